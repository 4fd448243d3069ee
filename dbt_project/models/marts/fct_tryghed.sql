{%- set minimum_svar = var('minimum_svar') -%}
{%- set diskretion = var('diskretion_graense') -%}
{%- set reference_aar = var('reference_aar', var('foerste_aar')) -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue(1, [var('reference_aar', var('foerste_aar'))]) }}") }}
-- Feeling safe, one row per year × area × source (kk / jm) × measure.
-- Respondent data give the weighted share, Kish's effective n, Wilson's interval and the change test
-- (Decision 4); published shares fill years/areas without respondent data; where both exist the
-- respondent figure wins and the published one is shown beside it.
with summer as (
    select * from {{ ref('int_tryghed_summeret') }}
),

omraader as (
    select
        omraade_kode,
        niveau
    from {{ ref('int_omraader') }}
),

respondenter as (
    select
        aar,
        omraade_kode,
        'kk' as kilde,
        maal,
        'respondenter' as datagrundlag,
        antal_svar,
        sum_vaegt_tryg / sum_vaegt as andel_beregnet,
        (sum_vaegt * sum_vaegt) / sum_vaegt_kvadreret as effektiv_n
    from summer
    where sum_vaegt > 0
),

aar_med_svar as (
    select distinct aar from respondenter
),

-- survey years in which no respondent has a coordinate: below the district level nobody can be placed,
-- which is a different reason for an empty share than too few answers
aar_uden_koordinater as (
    select aar
    from {{ ref('stg_survey_kk__respondenter') }}
    group by aar
    having not bool_or(har_koordinat)
),

publiceret_kk as (
    select
        cast(publiceret.aar as bigint) as aar,
        publiceret.omraade_kode,
        'kk' as kilde,
        publiceret.maal,
        'publiceret' as datagrundlag,
        publiceret.antal_svar,
        publiceret.andel_tryg_pct / 100.0 as andel_beregnet,
        cast(null as double) as effektiv_n
    from {{ ref('stg_survey_kk__publicerede_andele') }} as publiceret
    -- codes that are not our areas are reported by the staging test, not published
    inner join omraader on publiceret.omraade_kode = omraader.omraade_kode
),

jm as (
    select
        cast(jm.aar as bigint) as aar,
        kobling.omraade_kode,
        'jm' as kilde,
        'grundlaeggende' as maal,
        'publiceret' as datagrundlag,
        jm.antal_svar,
        jm.andel_grundlaeggende_tryg_pct / 100.0 as andel_beregnet,
        cast(null as double) as effektiv_n
    from {{ ref('stg_survey_jm__boligomraader') }} as jm
    inner join {{ ref('stg_partnerskaber__jm_boligomraader') }} as kobling
        on jm.boligomraade_normaliseret = kobling.boligomraade_normaliseret
),

samlet as (
    select * from respondenter
    union all
    -- published shares only where no respondent-based row exists for that year/area/measure
    select publiceret_kk.*
    from publiceret_kk
    anti join respondenter
        on
            publiceret_kk.aar = respondenter.aar
            and publiceret_kk.omraade_kode = respondenter.omraade_kode
            and publiceret_kk.maal = respondenter.maal
    union all
    select * from jm
    union all
    -- every area gets a row for every measure in every survey year, so a reader sees "too few answers"
    -- instead of a missing row; not where a published share covers the area that year
    select
        aar_med_svar.aar,
        omraader.omraade_kode,
        'kk' as kilde,
        maal.maal,
        'respondenter' as datagrundlag,
        cast(0 as bigint) as antal_svar,
        cast(null as double) as andel_beregnet,
        cast(null as double) as effektiv_n
    from aar_med_svar
    cross join omraader
    cross join (values ('nabolag'), ('aften_nat')) as maal (maal)
    anti join respondenter
        on
            aar_med_svar.aar = respondenter.aar
            and omraader.omraade_kode = respondenter.omraade_kode
            and maal.maal = respondenter.maal
    anti join publiceret_kk
        on
            aar_med_svar.aar = publiceret_kk.aar
            and omraader.omraade_kode = publiceret_kk.omraade_kode
            and maal.maal = publiceret_kk.maal
),

-- a share on fewer than minimum_svar answers is not published (a published share without a count is
-- taken as the publisher's responsibility and kept)
vurderet as (
    select
        samlet.*,
        coalesce(samlet.antal_svar < {{ minimum_svar }}, false) as for_faa_svar,
        case when coalesce(samlet.antal_svar < {{ minimum_svar }}, false) then null else samlet.andel_beregnet end
            as andel,
        case
            -- nobody placed: the year's respondents have no coordinates (areas below the district level)
            when
                samlet.kilde = 'kk' and samlet.datagrundlag = 'respondenter' and samlet.antal_svar = 0
                and omraader.niveau not in ('kommune', 'bydel') and uden_koordinater.aar is not null
                then 'Ingen svar kan placeres i området: årets respondenter har ingen koordinat'
            when coalesce(samlet.antal_svar < {{ minimum_svar }}, false)
                -- the count itself only where it may be published (disclosure control)
                then
                    'Færre end {{ minimum_svar }} gyldige svar'
                    || case
                        when samlet.antal_svar >= {{ diskretion }} then ' (' || cast(samlet.antal_svar as varchar) || ')'
                        else ''
                    end
        end as undertrykt_aarsag
    from samlet
    left join omraader on samlet.omraade_kode = omraader.omraade_kode
    left join aar_uden_koordinater as uden_koordinater on samlet.aar = uden_koordinater.aar
),

kbh as (
    select
        vurderet.aar,
        vurderet.kilde,
        vurderet.maal,
        vurderet.andel
    from vurderet
    inner join omraader on vurderet.omraade_kode = omraader.omraade_kode
    where omraader.niveau = 'kommune'
),

-- rows that may enter a change test: respondent data with enough answers
testbare as (
    select
        aar,
        omraade_kode,
        kilde,
        maal,
        andel,
        effektiv_n
    from vurderet
    where datagrundlag = 'respondenter' and not for_faa_svar and effektiv_n > 0
),

med_sammenligning as (
    select
        vurderet.*,
        kbh.andel as andel_kbh,
        forrige.andel as andel_forrige_aar,
        {{ z_to_andele('test_nu.andel', 'test_nu.effektiv_n', 'test_forrige.andel', 'test_forrige.effektiv_n') }}
            as z_forrige_aar,
        reference.andel as andel_reference,
        {{ z_to_andele('test_nu.andel', 'test_nu.effektiv_n', 'test_reference.andel', 'test_reference.effektiv_n') }}
            as z_reference
    from vurderet
    left join kbh
        on
            vurderet.aar = kbh.aar
            and vurderet.kilde = kbh.kilde
            and vurderet.maal = kbh.maal
    left join vurderet as forrige
        on
            vurderet.aar - 1 = forrige.aar
            and vurderet.omraade_kode = forrige.omraade_kode
            and vurderet.kilde = forrige.kilde
            and vurderet.maal = forrige.maal
    left join vurderet as reference
        on
            reference.aar = {{ reference_aar }}
            and vurderet.aar > {{ reference_aar }}
            and vurderet.omraade_kode = reference.omraade_kode
            and vurderet.kilde = reference.kilde
            and vurderet.maal = reference.maal
    left join testbare as test_nu
        on
            vurderet.aar = test_nu.aar
            and vurderet.omraade_kode = test_nu.omraade_kode
            and vurderet.kilde = test_nu.kilde
            and vurderet.maal = test_nu.maal
    left join testbare as test_forrige
        on
            vurderet.aar - 1 = test_forrige.aar
            and vurderet.omraade_kode = test_forrige.omraade_kode
            and vurderet.kilde = test_forrige.kilde
            and vurderet.maal = test_forrige.maal
    left join testbare as test_reference
        on
            test_reference.aar = {{ reference_aar }}
            and vurderet.aar > {{ reference_aar }}
            and vurderet.omraade_kode = test_reference.omraade_kode
            and vurderet.kilde = test_reference.kilde
            and vurderet.maal = test_reference.maal
),

-- where respondent data won over a published share, report the published figure and the difference
publiceret_ved_siden as (
    select
        aar,
        omraade_kode,
        kilde,
        maal,
        andel_beregnet as publiceret_andel
    from publiceret_kk
)

select
    cast(m.aar as bigint) as aar,
    m.omraade_kode,
    m.kilde,
    m.maal,
    cast(m.andel as double) as andel,
    cast(case when m.andel is not null then {{ wilson_lav('m.andel', 'm.effektiv_n') }} end as double) as ci_lav,
    cast(case when m.andel is not null then {{ wilson_hoej('m.andel', 'm.effektiv_n') }} end as double) as ci_hoej,
    -- disclosure control: a count of persons below the threshold is not published
    cast(case when m.antal_svar >= {{ diskretion }} then m.antal_svar end as bigint) as antal_svar,
    coalesce(m.antal_svar < {{ diskretion }}, false) as antal_svar_undertrykt,
    cast(case when coalesce(m.antal_svar >= {{ diskretion }}, true) then m.effektiv_n end as double) as effektiv_n,
    cast(m.andel_kbh as double) as andel_kbh,
    cast(100.0 * (m.andel - m.andel_kbh) as double) as afstand_til_kbh,
    cast(100.0 * (m.andel - m.andel_forrige_aar) as double) as aendring,
    case when m.z_forrige_aar is not null then {{ p_vaerdi_tosidet('m.z_forrige_aar') }} < 0.05 end
        as aendring_signifikant,
    cast({{ p_vaerdi_tosidet('m.z_forrige_aar') }} as double) as p_vaerdi,
    m.datagrundlag,
    m.undertrykt_aarsag,
    cast(case when m.datagrundlag = 'respondenter' then p.publiceret_andel end as double) as publiceret_andel,
    cast(case when m.datagrundlag = 'respondenter' then 100.0 * (m.andel - p.publiceret_andel) end as double)
        as forskel_publiceret,
    cast({{ reference_aar }} as bigint) as reference_aar,
    cast(100.0 * (m.andel - m.andel_reference) as double) as aendring_siden_reference,
    cast({{ p_vaerdi_tosidet('m.z_reference') }} as double) as p_vaerdi_siden_reference,
    case when m.z_reference is not null then {{ p_vaerdi_tosidet('m.z_reference') }} < 0.05 end
        as signifikant_siden_reference
from med_sammenligning as m
left join publiceret_ved_siden as p
    on
        m.aar = p.aar
        and m.omraade_kode = p.omraade_kode
        and m.kilde = p.kilde
        and m.maal = p.maal
-- decision 17: the following year's change reads this year; every year's long-run test reads the reference
where {{ i_aarsvindue('m.aar', 1, [reference_aar]) }}
