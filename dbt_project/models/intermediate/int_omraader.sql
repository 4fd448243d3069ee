-- The areas with geometry, level and area. The bounding box is kept so point-in-polygon joins can
-- discard far-away areas cheaply before the exact ST_Contains test.
--
-- The municipality and the districts come from the geo files (the city's district layer or
-- omraader.geojson); every area below them comes from the configured partnerships (partnerskaber/*.toml:
-- boundary versions, parts, housing areas and the national survey's union areas, decision 15), built from
-- the geo layers at ingestion and keyed by partnerskab_kode. A feature of omraader.geojson below district
-- level that no partnership names is not an area of the marts.
with geo as (
    select
        omraade_kode,
        navn,
        niveau,
        overordnet_kode,
        gyldig_fra,
        gyldig_til,
        bydel_nr,
        geom,
        cast(null as varchar) as partnerskab_kode
    from {{ ref('stg_geo__omraader') }}
    where niveau in ('kommune', 'bydel')
),

partnerskaber as (
    select
        omraade_kode,
        navn,
        niveau,
        overordnet_kode,
        gyldig_fra,
        gyldig_til,
        cast(null as integer) as bydel_nr,
        geom,
        partnerskab_kode
    from {{ ref('stg_partnerskaber__omraader') }}
),

omraader as (
    select * from geo
    union all
    select * from partnerskaber
)

select
    omraade_kode,
    navn,
    niveau,
    case niveau
        when 'kommune' then 1
        when 'bydel' then 2
        when 'partnerskab' then 3
        when 'partnerskab_del' then 4
        when 'boligomraade' then 5
    end as niveau_nr,
    overordnet_kode,
    gyldig_fra,
    gyldig_til,
    bydel_nr,
    partnerskab_kode,
    geom,
    st_area(geom) / 1e6 as areal_km2,
    st_xmin(geom) as bbox_xmin,
    st_xmax(geom) as bbox_xmax,
    st_ymin(geom) as bbox_ymin,
    st_ymax(geom) as bbox_ymax
from omraader
