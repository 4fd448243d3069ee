{%- set partnerskab = var('partnerskab_kode', 'AP') -%}
-- The yearly status for the Finance Committee: one row per goal and year, for the partnership area on
-- its current boundary. Built from the other marts so the status can never disagree with them.
with aar as (
    select
        unnest(generate_series(
            cast({{ var('foerste_aar') }} as bigint),
            greatest(
                cast({{ var('foerste_aar') }} as bigint),
                (select max(aar) from {{ ref('fct_tryghed') }}),
                (select max(aar) from {{ ref('fct_kriminalitet') }}),
                (select max(aar) from {{ ref('fct_aktiviteter') }})
            )
        )) as aar
    -- no data at all → no rows (rather than a grid of empty years)
    where
        exists (select 1 from {{ ref('fct_tryghed') }})
        or exists (select 1 from {{ ref('fct_kriminalitet') }})
        or exists (select 1 from {{ ref('fct_aktiviteter') }})
),

maal as (
    select * from {{ ref('maal') }}
),

tryghed as (
    select
        case maal when 'nabolag' then '1a' when 'aften_nat' then '1b' end as maal_id,
        aar,
        andel as vaerdi,
        andel_kbh,
        afstand_til_kbh,
        aendring_signifikant,
        datagrundlag
    from {{ ref('fct_tryghed') }}
    where omraade_kode = '{{ partnerskab }}' and kilde = 'kk' and maal in ('nabolag', 'aften_nat')
),

-- goals 1a/1b: the share must rise every year: the target is last year's share, met when exceeded
tryghed_vurderet as (
    select
        nu.maal_id,
        nu.aar,
        nu.vaerdi,
        forrige.vaerdi as maalvaerdi,
        forrige.vaerdi as forrige_vaerdi,
        nu.vaerdi > forrige.vaerdi as opfyldt,
        nu.andel_kbh,
        nu.afstand_til_kbh,
        forrige.afstand_til_kbh as afstand_til_kbh_forrige_aar,
        nu.aendring_signifikant,
        nu.datagrundlag
    from tryghed as nu
    left join tryghed as forrige
        on
            nu.maal_id = forrige.maal_id
            and nu.aar - 1 = forrige.aar
),

kriminalitet as (
    select
        typer.maal_id,
        k.aar,
        case when k.gruppe = 'borgervendt_i_alt' then k.pr_1000 else k.antal_anmeldelser end as vaerdi,
        case when k.gruppe = 'borgervendt_i_alt' then k.baseline_2024_pr_1000 else k.baseline_2024_antal end
            as maalvaerdi,
        k.maal_opfyldt as opfyldt,
        -- which baseline the year is judged against: a frozen version when the team has frozen one
        k.baseline_version,
        k.baseline_fastfrosset
    from {{ ref('fct_kriminalitet') }} as k
    inner join {{ ref('baseline_gerningstyper') }} as typer on k.gruppe = typer.gruppe
    where k.omraade_kode = '{{ partnerskab }}'
),

kriminalitet_vurderet as (
    select
        nu.*,
        forrige.vaerdi as forrige_vaerdi
    from kriminalitet as nu
    left join kriminalitet as forrige
        on
            nu.maal_id = forrige.maal_id
            and nu.aar - 1 = forrige.aar
),

samarbejde as (
    select
        '3' as maal_id,
        aar,
        andel_mindst_2_partnere as vaerdi,
        maal as maalvaerdi,
        maal_opfyldt as opfyldt
    from {{ ref('fct_aktiviteter') }}
    where er_total
),

samarbejde_vurderet as (
    select
        nu.*,
        forrige.vaerdi as forrige_vaerdi
    from samarbejde as nu
    left join samarbejde as forrige on nu.aar - 1 = forrige.aar
),

vaerdier as (
    select
        maal_id,
        aar,
        vaerdi,
        maalvaerdi,
        opfyldt,
        forrige_vaerdi,
        andel_kbh,
        afstand_til_kbh,
        afstand_til_kbh_forrige_aar,
        aendring_signifikant,
        datagrundlag,
        null as baseline_version,
        null as baseline_fastfrosset
    from tryghed_vurderet
    union all
    select
        maal_id,
        aar,
        vaerdi,
        maalvaerdi,
        opfyldt,
        forrige_vaerdi,
        null as andel_kbh,
        null as afstand_til_kbh,
        null as afstand_til_kbh_forrige_aar,
        null as aendring_signifikant,
        null as datagrundlag,
        baseline_version,
        baseline_fastfrosset
    from kriminalitet_vurderet
    union all
    select
        maal_id,
        aar,
        vaerdi,
        maalvaerdi,
        opfyldt,
        forrige_vaerdi,
        null as andel_kbh,
        null as afstand_til_kbh,
        null as afstand_til_kbh_forrige_aar,
        null as aendring_signifikant,
        null as datagrundlag,
        null as baseline_version,
        null as baseline_fastfrosset
    from samarbejde_vurderet
)

select
    cast(aar.aar as bigint) as aar,
    maal.maal_id,
    maal.beskrivelse,
    cast(vaerdier.vaerdi as double) as vaerdi,
    cast(vaerdier.maalvaerdi as double) as maalvaerdi,
    maal.enhed,
    -- empty (not false) when the year's value or the comparison value is missing
    case when vaerdier.vaerdi is not null and vaerdier.maalvaerdi is not null then vaerdier.opfyldt end as opfyldt,
    case
        when vaerdier.vaerdi is null or vaerdier.forrige_vaerdi is null then null
        when vaerdier.vaerdi > vaerdier.forrige_vaerdi then 'stigende'
        when vaerdier.vaerdi < vaerdier.forrige_vaerdi then 'faldende'
        else 'uaendret'
    end as tendens,
    maal.kilde,
    '{{ partnerskab }}' as omraade_kode,
    cast(vaerdier.forrige_vaerdi as double) as forrige_vaerdi,
    cast(vaerdier.andel_kbh as double) as andel_kbh,
    cast(vaerdier.afstand_til_kbh as double) as afstand_til_kbh,
    cast(vaerdier.afstand_til_kbh - vaerdier.afstand_til_kbh_forrige_aar as double) as afstand_til_kbh_aendring,
    vaerdier.aendring_signifikant,
    vaerdier.datagrundlag,
    -- goals 2a–2d only: the baseline version judged against (empty while computed) and whether it is frozen
    cast(vaerdier.baseline_version as varchar) as baseline_version,
    cast(vaerdier.baseline_fastfrosset as boolean) as baseline_fastfrosset,
    cast(maal.sortering as bigint) as sortering
from aar
cross join maal
left join vaerdier
    on
        aar.aar = vaerdier.aar
        and maal.maal_id = vaerdier.maal_id
