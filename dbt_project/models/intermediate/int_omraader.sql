-- The areas with geometry, level and area. The bounding box is kept so point-in-polygon joins can
-- discard far-away areas cheaply before the exact ST_Contains test.
with omraader as (
    select * from {{ ref('stg_geo__omraader') }}
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
    geom,
    st_area(geom) / 1e6 as areal_km2,
    st_xmin(geom) as bbox_xmin,
    st_xmax(geom) as bbox_xmax,
    st_ymin(geom) as bbox_ymin,
    st_ymax(geom) as bbox_ymax
from omraader
