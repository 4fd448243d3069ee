-- The areas with geometry, level and area. The bounding box is kept so point-in-polygon joins can
-- discard far-away areas cheaply before the exact ST_Contains test.
--
-- Besides the areas of geo/omraader.geojson: the national survey's combined housing areas (decision 15,
-- seed jm_boligomraader), each the union of the housing areas it names, at level boligomraade, with the
-- survey's name, so the survey's figure is published on exactly the area it describes.
with geo as (
    select * from {{ ref('stg_geo__omraader') }}
),

jm_dele as (
    select
        kobling.omraade_kode,
        kobling.boligomraade as navn,
        unnest(string_split(trim(regexp_replace(kobling.dele, '\s+', ' ', 'g')), ' ')) as del_kode,
        len(string_split(trim(regexp_replace(kobling.dele, '\s+', ' ', 'g')), ' ')) as antal_dele
    from {{ ref('jm_boligomraader') }} as kobling
),

jm_omraader as (
    select
        jm_dele.omraade_kode,
        any_value(jm_dele.navn) as navn,
        'boligomraade' as niveau,
        -- the parts' common parent, when they share one
        case when count(distinct geo.overordnet_kode) = 1 then any_value(geo.overordnet_kode) end
            as overordnet_kode,
        min(geo.gyldig_fra) as gyldig_fra,
        max(geo.gyldig_til) as gyldig_til,
        cast(null as integer) as bydel_nr,
        st_union_agg(geo.geom) as geom
    from jm_dele
    inner join geo on upper(jm_dele.del_kode) = geo.omraade_kode
    -- a code the geo file has already (a single housing area) is not built again
    anti join geo as findes on jm_dele.omraade_kode = findes.omraade_kode
    group by jm_dele.omraade_kode
    -- only when every named part exists
    having count(*) = any_value(jm_dele.antal_dele)
),

omraader as (
    select
        omraade_kode,
        navn,
        niveau,
        overordnet_kode,
        gyldig_fra,
        gyldig_til,
        bydel_nr,
        geom
    from geo
    union all
    select * from jm_omraader
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
