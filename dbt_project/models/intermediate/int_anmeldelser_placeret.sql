-- Each geocoded report → every area whose polygon contains its point, at every level below the
-- municipality (Decision 1: the municipality counts by kommunekode, placed or not, in
-- int_kriminalitet_optalt). Validity dates are ignored on purpose: every boundary gets every year
-- (Decision 2), so series are comparable.
with anmeldelser as (
    select
        journalnr,
        x_utm32,
        y_utm32
    from {{ ref('int_anmeldelser_dedupliceret') }}
    where har_koordinat
),

omraader as (
    select
        omraade_kode,
        geom,
        bbox_xmin,
        bbox_xmax,
        bbox_ymin,
        bbox_ymax
    from {{ ref('int_omraader') }}
    where niveau <> 'kommune'
)

select
    anmeldelser.journalnr,
    omraader.omraade_kode
from anmeldelser
inner join omraader
    on
        anmeldelser.x_utm32 between omraader.bbox_xmin and omraader.bbox_xmax
        and anmeldelser.y_utm32 between omraader.bbox_ymin and omraader.bbox_ymax
        and st_contains(omraader.geom, st_point(anmeldelser.x_utm32, anmeldelser.y_utm32))
