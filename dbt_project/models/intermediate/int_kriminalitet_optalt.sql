-- Reports per year × area × group for every area, every year from the first to the last year in the
-- police data, and every group (zeros included), with population and rate. Targets, baseline and index
-- are added in fct_kriminalitet / baseline_2024, which both read this model (so they cannot disagree).
with anmeldelser as (
    select * from {{ ref('int_anmeldelser_grupperet') }}
),

omraader as (
    select
        omraade_kode,
        niveau
    from {{ ref('int_omraader') }}
),

aar as (
    select unnest(generate_series(min(aar), max(aar))) as aar
    from {{ ref('int_anmeldelser_dedupliceret') }}
),

raster as (
    select
        aar.aar,
        omraader.omraade_kode,
        omraader.niveau,
        grupper.gruppe,
        grupper.maal
    from aar
    cross join omraader
    cross join {{ ref('int_grupper') }} as grupper
),

-- Decision 1: the municipality counts every report with its kommunekode, placed or not
kommune as (
    select
        anmeldelser.aar,
        omraader.omraade_kode,
        anmeldelser.gruppe,
        count(*) as antal_anmeldelser,
        count(*) filter (where not anmeldelser.har_koordinat) as antal_uden_placering
    from anmeldelser
    inner join omraader
        on
            omraader.niveau = 'kommune'
            and cast(anmeldelser.kommunekode as varchar) = omraader.omraade_kode
    group by all
),

-- lower levels: placed reports only, by polygon
placeret as (
    select
        anmeldelser.aar,
        placeret.omraade_kode,
        anmeldelser.gruppe,
        count(*) as antal_anmeldelser
    from anmeldelser
    inner join {{ ref('int_anmeldelser_placeret') }} as placeret
        on anmeldelser.journalnr = placeret.journalnr
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
    cast(coalesce(kommune.antal_anmeldelser, placeret.antal_anmeldelser, 0) as bigint) as antal_anmeldelser,
    cast(case when raster.niveau = 'kommune' then coalesce(kommune.antal_uden_placering, 0) end as bigint)
        as antal_uden_placering,
    befolkning.befolkning,
    befolkning.befolkning_kilde,
    befolkning.befolkning_undertrykte_celler,
    cast(
        1000.0 * coalesce(kommune.antal_anmeldelser, placeret.antal_anmeldelser, 0)
        / nullif(befolkning.befolkning, 0)
        as double
    ) as pr_1000
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
