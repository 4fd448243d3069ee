-- The partnerships' areas with their polygons (EPSG:25832), built from the geo layers at ingestion.
select
    partnerskab_kode,
    omraade_kode,
    navn,
    niveau,
    overordnet_kode,
    gyldig_fra,
    gyldig_til,
    definition,
    st_geomfromtext(geometri_wkt) as geom,
    kildefil,
    noegle
from {{ source('partnerskaber', 'omraader') }}
