-- depends_on: {{ ref('int_anmeldelser_leveringskonflikter') }}
-- (the dependency makes `dbt build` skip every crime figure when the delivery-conflict test fails)
--
-- Reports per year × area × group for every area, every year from the first to the last year the police
-- deliveries are named for, and every group, with population and rate. A year the deliveries cover gets
-- zeros where nothing happened; a year inside the span without a delivery gets empty counts (decision 11:
-- empty, never zero), and a report dated in a year no delivery covers is counted nowhere. foreloebig marks
-- a year whose main delivery has not come yet (decision 10). Targets, baseline and index
-- are added in fct_kriminalitet / baseline_2024, which both read this model (so they cannot disagree).
--
-- Reports are counted per year, area and offence code first (int_kriminalitet_koder, which joins each
-- report to its point's areas and is refreshed by year: decision 62), and only then spread over the code's
-- groups here: at national scale that is one pass over the reports instead of storing a row per report,
-- area and group. This model reads only those small counts, so it is rebuilt whole on every run.
with koder as (
    select * from {{ ref('int_kriminalitet_koder') }}
),

kode_grupper as (
    select * from {{ ref('int_gerningskoder_grupperet') }}
),

omraader as (
    select
        omraade_kode,
        niveau
    from {{ ref('int_omraader') }}
),

daekning as (
    select
        aar,
        status = 'foreloebig' as foreloebig
    from {{ ref('int_leverancer') }}
    where kilde = 'politi'
),

aar as (
    select unnest(generate_series(min(aar), max(aar))) as aar
    from daekning
),

raster as (
    select
        aar.aar,
        omraader.omraade_kode,
        omraader.niveau,
        grupper.gruppe,
        grupper.maal,
        daekning.aar is not null as har_levering,
        daekning.foreloebig
    from aar
    cross join omraader
    cross join {{ ref('int_grupper') }} as grupper
    left join daekning on aar.aar = daekning.aar
),

-- Decision 1: the municipality counts every report with its kommunekode, placed or not
kommune as (
    select
        kommune_koder.aar,
        omraader.omraade_kode,
        kode_grupper.gruppe,
        cast(sum(kommune_koder.antal_anmeldelser) as bigint) as antal_anmeldelser,
        cast(sum(kommune_koder.antal_uden_placering) as bigint) as antal_uden_placering
    from koder as kommune_koder
    inner join omraader
        on
            omraader.niveau = 'kommune'
            and kommune_koder.omraade_kode = omraader.omraade_kode
    inner join kode_grupper on kommune_koder.gerningskode = kode_grupper.gerningskode
    where kommune_koder.opgjort_efter = 'kommunekode'
    group by all
),

-- lower levels: placed reports only, by the polygons containing their point
placeret as (
    select
        placeret_koder.aar,
        placeret_koder.omraade_kode,
        kode_grupper.gruppe,
        cast(sum(placeret_koder.antal_anmeldelser) as bigint) as antal_anmeldelser
    from koder as placeret_koder
    inner join kode_grupper on placeret_koder.gerningskode = kode_grupper.gerningskode
    where placeret_koder.opgjort_efter = 'placering'
    group by all
),

befolkning as (
    select * from {{ ref('int_befolkning_pr_omraade') }}
)

select
    cast(raster.aar as bigint) as aar,
    raster.omraade_kode,
    raster.niveau,
    raster.gruppe,
    raster.maal,
    raster.har_levering,
    raster.foreloebig,
    cast(
        case when raster.har_levering then coalesce(kommune.antal_anmeldelser, placeret.antal_anmeldelser, 0) end
        as bigint
    ) as antal_anmeldelser,
    cast(case
        when raster.niveau = 'kommune' and raster.har_levering then coalesce(kommune.antal_uden_placering, 0)
    end as bigint) as antal_uden_placering,
    befolkning.befolkning,
    befolkning.befolkning_kilde,
    befolkning.befolkning_undertrykte_celler,
    cast(case
        when raster.har_levering then
            1000.0 * coalesce(kommune.antal_anmeldelser, placeret.antal_anmeldelser, 0)
            / nullif(befolkning.befolkning, 0)
    end as double) as pr_1000
from raster
left join kommune
    on
        raster.niveau = 'kommune'
        and raster.aar = kommune.aar
        and raster.omraade_kode = kommune.omraade_kode
        and raster.gruppe = kommune.gruppe
left join placeret
    on
        raster.niveau <> 'kommune'
        and raster.aar = placeret.aar
        and raster.omraade_kode = placeret.omraade_kode
        and raster.gruppe = placeret.gruppe
left join befolkning
    on
        raster.aar = befolkning.aar
        and raster.omraade_kode = befolkning.omraade_kode
