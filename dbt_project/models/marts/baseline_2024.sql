{%- set baseline_aar = var('baseline_aar') -%}
{%- set partnerskab = var('partnerskab_kode', 'AP') -%}
-- The agreement's empty baseline table, filled: the four rows for the partnership area on its current
-- boundary. A computed version is named by a fingerprint of its values, so the same data always give the
-- same version. Frozen versions come from the seed baseline_2024_frosset (written by `tryghed baseline
-- freeze`, committed by the team) and are shown exactly as frozen, never recomputed; a computed version
-- with different values appears next to them, unfrozen. A computed version identical to a frozen one is
-- not repeated, so freezing it again is recognised as "already frozen".
with typer as (
    select * from {{ ref('baseline_gerningstyper') }}
),

optalt as (
    select * from {{ ref('int_kriminalitet_optalt') }}
    where aar = {{ baseline_aar }} and omraade_kode = '{{ partnerskab }}'
),

beregnet as (
    select
        typer.gerningstype,
        typer.maal,
        typer.sortering,
        optalt.antal_anmeldelser as baseline_antal,
        optalt.pr_1000 as baseline_pr_1000,
        '{{ partnerskab }}' as omraade_kode
    from typer
    left join optalt on typer.gruppe = optalt.gruppe
),

-- fingerprint: the four rows' values in a fixed text form (rates rounded to 6 decimals)
{% set fingeraftryk -%}
    md5(string_agg(
        gerningstype || '=' || coalesce(cast(baseline_antal as varchar), 'NA') || '/'
        || coalesce(cast(round(baseline_pr_1000, 6) as varchar), 'NA'),
        '|' order by gerningstype
    ))
{%- endset %}

beregnet_version as (
    select
        'beregnet-' || left({{ fingeraftryk }}, 8) as version,
        {{ fingeraftryk }} as fingeraftryk
    from beregnet
),

frosset as (
    select * from {{ ref('baseline_2024_frosset') }}
),

frosset_fingeraftryk as (
    select
        version,
        {{ fingeraftryk }} as fingeraftryk
    from frosset
    where omraade_kode = '{{ partnerskab }}'
    group by version
),

nye as (
    select
        beregnet.gerningstype,
        beregnet.maal,
        cast(beregnet.baseline_antal as bigint) as baseline_antal,
        cast(beregnet.baseline_pr_1000 as double) as baseline_pr_1000,
        beregnet.omraade_kode,
        beregnet_version.version,
        cast(current_timestamp as timestamp) as beregnet,
        false as fastfrosset
    from beregnet
    cross join beregnet_version
    where not exists (
        select 1 from frosset_fingeraftryk
        where frosset_fingeraftryk.fingeraftryk = beregnet_version.fingeraftryk
    )
)

select * from nye
union all
select
    gerningstype,
    maal,
    cast(baseline_antal as bigint) as baseline_antal,
    cast(baseline_pr_1000 as double) as baseline_pr_1000,
    omraade_kode,
    version,
    cast(beregnet as timestamp) as beregnet,
    -- every row of the seed is frozen (the seed's own test keeps its fastfrosset column true)
    true as fastfrosset
from frosset
