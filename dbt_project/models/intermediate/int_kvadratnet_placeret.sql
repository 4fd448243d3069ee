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

punkter as (
    select
        celle_x_utm32 as x,
        celle_y_utm32 as y
    from celler
),

placeringer as (
    select * from {{ placer_punkter('punkter', ref('int_omraader')) }}
)

select
    celler.celle_id,
    placeringer.omraade_kode
from celler
inner join placeringer
    on
        celler.celle_x_utm32 = placeringer.x
        and celler.celle_y_utm32 = placeringer.y
