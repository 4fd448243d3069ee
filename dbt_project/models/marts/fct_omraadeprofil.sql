{%- set diskretion = var('diskretion_graense') -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue(1) }}") }}
{#- LBF measure → (mart column, divide by 100?) -#}
{%- set maal = [
    ('pct_uden_arbejde_uddannelse', 'andel_uden_for_arbejde_uddannelse', true),
    ('pct_kun_grundskole', 'andel_kun_grundskole', true),
    ('pct_indkomst_af_region', 'indkomst_pct_af_region', false),
    ('pct_ikke_vestlige', 'andel_ikke_vestlige', true),
    ('doemte_faktor', 'doemte_faktor', false),
    ('pct_elever_over_10pct_fravaer', 'andel_elever_over_10pct_fravaer', true),
    ('pct_10_17_uden_fritidsaktivitet', 'andel_10_17_uden_fritidsaktivitet', true),
] -%}
-- Context and the state's criteria (almenboligloven § 61 a / § 61 b) per year and area, from
-- Landsbyggefonden's department figures: each department → its housing area (the partnership's file, lbf_afdelinger) →
-- every area containing that housing area. Values are resident-weighted averages over the departments
-- with a value; suppressed department values are left out and counted.
with afdelinger as (
    select
        lbf.*,
        kobling.omraade_kode as boligomraade_kode
    from {{ ref('stg_lbf__beboerdata') }} as lbf
    inner join {{ ref('stg_partnerskaber__lbf_afdelinger') }} as kobling
        on
            lbf.boligorganisation_normaliseret = kobling.boligorganisation_normaliseret
            and lbf.afdelingsnr_normaliseret = kobling.afdelingsnr_normaliseret
),

placeret as (
    select
        afdelinger.*,
        omr.omraade_kode
    from afdelinger
    inner join {{ ref('int_boligomraader_placeret') }} as omr
        on afdelinger.boligomraade_kode = omr.boligomraade_kode
),

vaegtet as (
    select
        aar,
        omraade_kode,
        count(*) as antal_afdelinger,
        sum(beboere_i_alt) as beboere,
        {%- for kol, navn, pct in maal %}
            -- exact decimal sum: the same result whatever order the rows are summed in
            cast(
                sum(cast({{ kol }} as decimal(18, 6)) * beboere_i_alt)
                filter (where {{ kol }} is not null and beboere_i_alt > 0) as double
            )
            / nullif(sum(beboere_i_alt) filter (where {{ kol }} is not null and beboere_i_alt > 0), 0)
            {%- if pct %} / 100.0{% endif %} as {{ navn }},
        {%- endfor %}
        0
        {%- for kol, navn, pct in maal %}
            + count(*) filter (where {{ kol }} is null)
        {%- endfor %} as antal_undertrykte_vaerdier,
        count(*) filter (where beboere_i_alt is null) as antal_afdelinger_uden_beboertal
    from placeret
    group by aar, omraade_kode
),

-- § 61 a/b judge employment and convictions on a 2-year average: this year and last year where last
-- year exists, otherwise this year alone (flagged)
med_gennemsnit as (
    select
        nu.*,
        forrige.aar is not null as toaarsgennemsnit,
        case
            when forrige.andel_uden_for_arbejde_uddannelse is not null
                then (nu.andel_uden_for_arbejde_uddannelse + forrige.andel_uden_for_arbejde_uddannelse) / 2
            else nu.andel_uden_for_arbejde_uddannelse
        end as uden_for_arbejde_2aar,
        case
            when forrige.doemte_faktor is not null
                then (nu.doemte_faktor + forrige.doemte_faktor) / 2
            else nu.doemte_faktor
        end as doemte_2aar
    from vaegtet as nu
    left join vaegtet as forrige
        on
            nu.omraade_kode = forrige.omraade_kode
            and nu.aar - 1 = forrige.aar
),

kriterier as (
    -- values are rounded to 9 decimals before the comparison so float noise in the weighted average
    -- (e.g. 40 % arriving as 0.4000000000001) cannot flip a criterion
    select
        *,
        round(uden_for_arbejde_2aar, 9) > 0.40 as kriterie_61a_uden_for_arbejde_uddannelse,
        round(doemte_2aar, 9) >= 3 as kriterie_61a_doemte,
        round(andel_kun_grundskole, 9) > 0.60 as kriterie_61a_kun_grundskole,
        round(indkomst_pct_af_region, 9) < 55 as kriterie_61a_indkomst,
        round(andel_ikke_vestlige, 9) > 0.30 as kriterie_61b_ikke_vestlige,
        round(uden_for_arbejde_2aar, 9) > 0.30 as kriterie_61b_uden_for_arbejde_uddannelse,
        round(doemte_2aar, 9) >= 2 as kriterie_61b_doemte,
        round(andel_kun_grundskole, 9) > 0.60 as kriterie_61b_kun_grundskole,
        round(indkomst_pct_af_region, 9) < 65 as kriterie_61b_indkomst
    from med_gennemsnit
),

optalt as (
    select
        *,
        coalesce(kriterie_61a_uden_for_arbejde_uddannelse::int, 0) + coalesce(kriterie_61a_doemte::int, 0)
        + coalesce(kriterie_61a_kun_grundskole::int, 0) + coalesce(kriterie_61a_indkomst::int, 0)
            as antal_kriterier_61a,
        (kriterie_61a_uden_for_arbejde_uddannelse is null)::int + (kriterie_61a_doemte is null)::int
        + (kriterie_61a_kun_grundskole is null)::int + (kriterie_61a_indkomst is null)::int
            as ukendte_kriterier_61a,
        coalesce(kriterie_61b_uden_for_arbejde_uddannelse::int, 0) + coalesce(kriterie_61b_doemte::int, 0)
        + coalesce(kriterie_61b_kun_grundskole::int, 0) + coalesce(kriterie_61b_indkomst::int, 0)
            as antal_kriterier_61b,
        (kriterie_61b_uden_for_arbejde_uddannelse is null)::int + (kriterie_61b_doemte is null)::int
        + (kriterie_61b_kun_grundskole is null)::int + (kriterie_61b_indkomst is null)::int
            as ukendte_kriterier_61b
    from kriterier
)

select
    aar::bigint as aar,
    omraade_kode,
    antal_afdelinger::bigint as antal_afdelinger,
    -- disclosure control on the resident count
    cast(case when beboere >= {{ diskretion }} then beboere end as bigint) as beboere,
    coalesce(beboere < {{ diskretion }}, false) as beboere_undertrykt,
    {%- for kol, navn, pct in maal %}
        cast({{ navn }} as double) as {{ navn }},
    {%- endfor %}
    antal_undertrykte_vaerdier::bigint as antal_undertrykte_vaerdier,
    antal_afdelinger_uden_beboertal::bigint as antal_afdelinger_uden_beboertal,
    toaarsgennemsnit,
    uden_for_arbejde_2aar::double as andel_uden_for_arbejde_uddannelse_2aar,
    doemte_2aar::double as doemte_faktor_2aar,

    -- § 61 a (udsat boligområde): ≥ 1,000 residents and at least 2 of 4
    beboere >= 1000 as kriterie_61a_beboere,
    kriterie_61a_uden_for_arbejde_uddannelse,
    kriterie_61a_doemte,
    kriterie_61a_kun_grundskole,
    kriterie_61a_indkomst,
    antal_kriterier_61a::bigint as antal_kriterier_61a,
    case
        when beboere >= 1000 and antal_kriterier_61a >= 2 then true
        when beboere < 1000 or antal_kriterier_61a + ukendte_kriterier_61a < 2 then false
    end as udsat_boligomraade,

    -- § 61 b (forebyggelsesområde): an area as in § 61 a stk. 3, so also ≥ 1,000 residents (domain.md),
    -- non-Western > 30 % and at least 2 of 4
    beboere >= 1000 as kriterie_61b_beboere,
    kriterie_61b_ikke_vestlige,
    kriterie_61b_uden_for_arbejde_uddannelse,
    kriterie_61b_doemte,
    kriterie_61b_kun_grundskole,
    kriterie_61b_indkomst,
    antal_kriterier_61b::bigint as antal_kriterier_61b,
    case
        when beboere >= 1000 and kriterie_61b_ikke_vestlige and antal_kriterier_61b >= 2 then true
        when beboere < 1000 or not kriterie_61b_ikke_vestlige or antal_kriterier_61b + ukendte_kriterier_61b < 2
            then false
    end as forebyggelsesomraade,

    -- distance to each threshold; positive = beyond the threshold (criterion met, or met at 0 for ≥),
    -- negative = the margin left. Shares and income in percentage points, convictions in factor units.
    cast(case when beboere >= {{ diskretion }} then beboere - 1000 end as bigint) as afstand_61a_beboere,
    (100.0 * (uden_for_arbejde_2aar - 0.40))::double as afstand_61a_uden_for_arbejde_uddannelse,
    (doemte_2aar - 3)::double as afstand_61a_doemte,
    (100.0 * (andel_kun_grundskole - 0.60))::double as afstand_61a_kun_grundskole,
    (55 - indkomst_pct_af_region)::double as afstand_61a_indkomst,
    (100.0 * (andel_ikke_vestlige - 0.30))::double as afstand_61b_ikke_vestlige,
    (100.0 * (uden_for_arbejde_2aar - 0.30))::double as afstand_61b_uden_for_arbejde_uddannelse,
    (doemte_2aar - 2)::double as afstand_61b_doemte,
    (100.0 * (andel_kun_grundskole - 0.60))::double as afstand_61b_kun_grundskole,
    (65 - indkomst_pct_af_region)::double as afstand_61b_indkomst
from optalt
-- decision 17: the following year's 2-year averages read this year
where {{ i_aarsvindue('aar', 1) }}
