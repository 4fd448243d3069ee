-- Each 100 m grid cell → every area (all levels) that contains the cell's centre. Cells are placed once,
-- whatever year they occur in; population per year is summed in int_befolkning_pr_omraade.
with celler as (
    select distinct
        celle_id,
        celle_x_utm32,
        celle_y_utm32
    from {{ ref('stg_kvadratnet__befolkning') }}
    where celle_x_utm32 is not null and celle_y_utm32 is not null
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
)

select
    celler.celle_id,
    omraader.omraade_kode
from celler
inner join omraader
    on
        celler.celle_x_utm32 between omraader.bbox_xmin and omraader.bbox_xmax
        and celler.celle_y_utm32 between omraader.bbox_ymin and omraader.bbox_ymax
        and st_contains(omraader.geom, st_point(celler.celle_x_utm32, celler.celle_y_utm32))
