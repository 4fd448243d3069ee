-- The areas with their geometry (EPSG:25832, reprojected by the loader).
with kilde as (
    select * from {{ source('raw', 'geo_omraader') }}
)

select
    upper(trim(omraade_kode)) as omraade_kode,
    trim(navn) as navn,
    lower(trim(niveau)) as niveau,
    nullif(upper(trim(overordnet_kode)), '') as overordnet_kode,
    gyldig_fra,
    gyldig_til,
    bydel_nr,
    st_geomfromtext(geometri_wkt) as geom,
    kildefil,
    kildelinje
from kilde
