-- Every partnership's baseline table (indicators.md, decision 18): one row per crime goal of its file
-- (the agreement's row label in gerningstype), for its area on the current boundary in its baseline year.
-- A computed version is named by a fingerprint of a partnership's values, so the same data always give the
-- same version. Frozen versions come from the seed baseline_2024_frosset (written by `tryghed baseline
-- freeze`, committed by the team; keyed by the partnership's area code) and are shown exactly as frozen,
-- never recomputed; a computed version with different values appears next to them, unfrozen. A computed
-- version identical to a frozen one is not repeated, so freezing it again is recognised as "already frozen".
with partnerskaber as (
    select * from {{ ref('stg_partnerskaber__partnerskaber') }}
),

typer as (
    select
        partnerskab_kode,
        gerningstype,
        gruppe,
        'Minimum fastholdelse' as maal,
        sortering
    from {{ ref('stg_partnerskaber__maal') }}
    where art = 'kriminalitet'
),

optalt as (
    select optalt.*
    from {{ ref('int_kriminalitet_optalt') }} as optalt
    inner join partnerskaber
        on
            optalt.omraade_kode = partnerskaber.omraade_kode
            and optalt.aar = partnerskaber.baseline_aar
),

beregnet as (
    select
        partnerskaber.partnerskab_kode,
        partnerskaber.baseline_aar,
        typer.gerningstype,
        typer.gruppe,
        typer.maal,
        typer.sortering,
        optalt.antal_anmeldelser as baseline_antal,
        optalt.pr_1000 as baseline_pr_1000,
        partnerskaber.omraade_kode
    from typer
    inner join partnerskaber on typer.partnerskab_kode = partnerskaber.partnerskab_kode
    left join optalt on partnerskaber.omraade_kode = optalt.omraade_kode and typer.gruppe = optalt.gruppe
),

-- fingerprint: a partnership's rows' values in a fixed text form (rates rounded to 6 decimals)
{% set fingeraftryk -%}
    md5(string_agg(
        gerningstype || '=' || coalesce(cast(baseline_antal as varchar), 'NA') || '/'
        || coalesce(cast(round(baseline_pr_1000, 6) as varchar), 'NA'),
        '|' order by gerningstype
    ))
{%- endset %}

beregnet_version as (
    select
        partnerskab_kode,
        'beregnet-' || left({{ fingeraftryk }}, 8) as version,
        {{ fingeraftryk }} as fingeraftryk
    from beregnet
    group by partnerskab_kode
),

frosset as (
    select
        partnerskaber.partnerskab_kode,
        partnerskaber.baseline_aar,
        typer.gruppe,
        frosset.*
    from {{ ref('baseline_2024_frosset') }} as frosset
    inner join partnerskaber on frosset.omraade_kode = partnerskaber.omraade_kode
    left join typer
        on
            partnerskaber.partnerskab_kode = typer.partnerskab_kode
            and frosset.gerningstype = typer.gerningstype
),

frosset_fingeraftryk as (
    select
        partnerskab_kode,
        version,
        {{ fingeraftryk }} as fingeraftryk
    from frosset
    group by partnerskab_kode, version
),

nye as (
    select
        beregnet.partnerskab_kode,
        cast(beregnet.baseline_aar as bigint) as baseline_aar,
        beregnet.gerningstype,
        beregnet.maal,
        cast(beregnet.baseline_antal as bigint) as baseline_antal,
        cast(beregnet.baseline_pr_1000 as double) as baseline_pr_1000,
        beregnet.omraade_kode,
        beregnet_version.version,
        cast(current_timestamp as timestamp) as beregnet,
        false as fastfrosset,
        beregnet.gruppe
    from beregnet
    inner join beregnet_version on beregnet.partnerskab_kode = beregnet_version.partnerskab_kode
    where not exists (
        select 1 from frosset_fingeraftryk
        where
            frosset_fingeraftryk.partnerskab_kode = beregnet_version.partnerskab_kode
            and frosset_fingeraftryk.fingeraftryk = beregnet_version.fingeraftryk
    )
)

select * from nye
union all
select
    partnerskab_kode,
    cast(baseline_aar as bigint) as baseline_aar,
    gerningstype,
    maal,
    cast(baseline_antal as bigint) as baseline_antal,
    cast(baseline_pr_1000 as double) as baseline_pr_1000,
    omraade_kode,
    version,
    cast(beregnet as timestamp) as beregnet,
    -- every row of the seed is frozen (the seed's own test keeps its fastfrosset column true)
    true as fastfrosset,
    gruppe
from frosset
