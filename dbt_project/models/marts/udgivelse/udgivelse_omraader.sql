-- The areas' polygons as GeoJSON in WGS84 (what map libraries and BI map visuals expect), for the file
-- omraader.geojson that publishing writes beside the marts. Simplified to ~2 m, which no map at city
-- scale shows. Kept out of the BI marts so those keep to BI-readable types.
select
    omraade_kode,
    navn,
    niveau,
    niveau_nr,
    overordnet_kode,
    gyldig_fra,
    gyldig_til,
    partnerskab_kode,
    st_asgeojson(
        st_transform(st_simplifypreservetopology(geom, 2.0), 'EPSG:25832', 'EPSG:4326', always_xy := true)
    ) as geometri_geojson
from {{ ref('int_omraader') }}
