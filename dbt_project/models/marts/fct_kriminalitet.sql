{%- set diskretion = var('diskretion_graense') -%}
{%- set baseline_aar = var('baseline_aar') -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue(0, [var('baseline_aar')]) }}") }}
-- Reported crime per year × area × group (every combination, zeros included), with the 2024 baseline,
-- the index (Decision 5) and whether the "at least held at the 2024 level" target is met.
with optalt as (
    select * from {{ ref('int_kriminalitet_optalt') }}
),

-- disclosure control: a population below the threshold is not published, nor the rate that reveals it
beskyttet as (
    select
        *,
        coalesce(befolkning > 0 and befolkning < {{ diskretion }}, false) as befolkning_undertrykt
    from optalt
),

beregnet_baseline as (
    select
        omraade_kode,
        gruppe,
        antal_anmeldelser as baseline_antal,
        case when not befolkning_undertrykt then pr_1000 end as baseline_pr_1000
    from beskyttet
    where aar = {{ baseline_aar }}
),

-- A frozen (adopted) baseline overrides the computed one for its area (the partnership, AP). When the team
-- has frozen more than one version, the latest wins as a whole (latest frosset_dato, then the later
-- computation, then the highest version name), so the four groups are never judged against a mix of
-- versions. Every row of the seed is frozen.
frosset as (
    select * from {{ ref('baseline_2024_frosset') }}
),

seneste_frosne_version as (
    select
        omraade_kode,
        version
    from frosset
    group by omraade_kode, version
    qualify row_number() over (
        partition by omraade_kode
        order by max(frosset_dato) desc nulls last, max(beregnet) desc nulls last, version desc
    ) = 1
),

frosset_baseline as (
    select
        frosset.omraade_kode,
        typer.gruppe,
        frosset.baseline_antal,
        frosset.baseline_pr_1000,
        frosset.version
    from frosset
    inner join seneste_frosne_version
        on
            frosset.omraade_kode = seneste_frosne_version.omraade_kode
            and frosset.version = seneste_frosne_version.version
    inner join {{ ref('baseline_gerningstyper') }} as typer on frosset.gerningstype = typer.gerningstype
),

samlet as (
    select
        beskyttet.*,
        case
            when frosset_baseline.version is not null
                then frosset_baseline.baseline_antal
            else beregnet_baseline.baseline_antal
        end as baseline_2024_antal,
        case
            when frosset_baseline.version is not null
                then frosset_baseline.baseline_pr_1000
            else beregnet_baseline.baseline_pr_1000
        end as baseline_2024_pr_1000,
        frosset_baseline.version is not null as baseline_fastfrosset,
        frosset_baseline.version as baseline_version,
        case when not beskyttet.befolkning_undertrykt then beskyttet.pr_1000 end as pr_1000_offentlig
    from beskyttet
    left join beregnet_baseline
        on
            beskyttet.omraade_kode = beregnet_baseline.omraade_kode
            and beskyttet.gruppe = beregnet_baseline.gruppe
    left join frosset_baseline
        on
            beskyttet.omraade_kode = frosset_baseline.omraade_kode
            and beskyttet.gruppe = frosset_baseline.gruppe
)

select
    cast(aar as bigint) as aar,
    omraade_kode,
    gruppe,
    cast(antal_anmeldelser as bigint) as antal_anmeldelser,
    cast(case when not befolkning_undertrykt then befolkning end as bigint) as befolkning,
    befolkning_undertrykt,
    cast(pr_1000_offentlig as double) as pr_1000,
    cast(baseline_2024_antal as bigint) as baseline_2024_antal,
    cast(baseline_2024_pr_1000 as double) as baseline_2024_pr_1000,
    baseline_fastfrosset,
    baseline_version,
    -- Decision 5: the rate for borgervendt_i_alt, counts for every other group
    cast(case
        when gruppe = 'borgervendt_i_alt' then 100.0 * pr_1000_offentlig / nullif(baseline_2024_pr_1000, 0)
        else 100.0 * antal_anmeldelser / nullif(baseline_2024_antal, 0)
    end as double) as indeks_2024,
    maal,
    -- "held at the 2024 level" = value ≤ baseline; empty without a target or without the data to judge,
    -- for a preliminary year (decision 10) and for the baseline year and the years before it (nothing to hold)
    case
        when maal is null or foreloebig or not har_levering or aar <= {{ baseline_aar }} then null
        when gruppe = 'borgervendt_i_alt' then pr_1000_offentlig <= baseline_2024_pr_1000
        else antal_anmeldelser <= baseline_2024_antal
    end as maal_opfyldt,
    cast(antal_uden_placering as bigint) as antal_uden_placering,
    befolkning_kilde,
    cast(befolkning_undertrykte_celler as bigint) as befolkning_undertrykte_celler,
    -- decisions 10, 11: the year's police deliveries are preliminary / there is no delivery for the year
    coalesce(foreloebig, false) as foreloebig,
    har_levering
from samlet
-- decision 17: a run that includes the baseline year rebuilds every year (each row carries the baseline)
where {{ i_aarsvindue('aar', 0, [baseline_aar]) }}
