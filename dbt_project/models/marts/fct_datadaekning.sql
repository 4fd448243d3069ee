-- Which years each source covers, and whether each year is complete or preliminary (decisions 10, 11):
-- one row per source × year from the source's first to its last year, a year without a delivery
-- included (status 'mangler'), so a reader and the status report can see every gap. Figures of a
-- 'mangler' year are empty in the marts, never zero; figures of a 'foreloebig' police year are
-- published with foreloebig = true and never judged.
with leverancer as (
    select * from {{ ref('int_leverancer') }}
),

spaend as (
    select
        kilde,
        min(aar) as foerste_aar,
        max(aar) as sidste_aar
    from leverancer
    group by kilde
),

raster as (
    select
        kilde,
        unnest(generate_series(foerste_aar, sidste_aar)) as aar
    from spaend
)

select
    raster.kilde,
    cast(raster.aar as bigint) as aar,
    coalesce(leverancer.status, 'mangler') as status,
    coalesce(leverancer.status = 'komplet', false) as komplet,
    coalesce(leverancer.status = 'foreloebig', false) as foreloebig,
    cast(coalesce(leverancer.antal_filer, 0) as bigint) as antal_filer,
    leverancer.filer,
    leverancer.seneste_leveret,
    cast(coalesce(leverancer.antal_raekker, 0) as bigint) as antal_raekker
from raster
left join leverancer
    on
        raster.kilde = leverancer.kilde
        and raster.aar = leverancer.aar
