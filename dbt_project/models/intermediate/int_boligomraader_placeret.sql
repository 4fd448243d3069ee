-- Each housing area → every area that contains it (itself included), judged by a point guaranteed to lie
-- inside the housing area's polygon (ST_PointOnSurface; a centroid can fall outside a U-shaped estate).
-- Used to carry Landsbyggefonden's department figures up the hierarchy, to the partnership level at most:
-- the departments we know cover only the partnership's estates, so a district or municipality figure
-- built from them would look like a district figure and be misread.
with boligomraader as (
    select
        omraade_kode,
        st_pointonsurface(geom) as punkt
    from {{ ref('int_omraader') }}
    where niveau = 'boligomraade'
),

omraader as (
    select
        omraade_kode,
        geom
    from {{ ref('int_omraader') }}
    where niveau in ('partnerskab', 'partnerskab_del', 'boligomraade')
)

select
    boligomraader.omraade_kode as boligomraade_kode,
    omraader.omraade_kode
from boligomraader
inner join omraader
    on st_contains(omraader.geom, boligomraader.punkt)
