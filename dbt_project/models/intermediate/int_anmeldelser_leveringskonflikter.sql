{{ config(materialized='table') }}
-- Contract violation: the same journalnr delivered twice with the same leveret_dato but different
-- content. We cannot know which row is right, so the test on this model (severity error) fails the
-- build (and every crime figure, which depends on this model); each row names the file and line so the
-- police contact can be asked about it. Only reports delivered more than once can conflict.
with raekker as (
    select * from {{ ref('int_anmeldelser_gentaget') }}
),

konflikter as (
    select
        journalnr,
        leveret_dato
    from raekker
    group by journalnr, leveret_dato
    having count(distinct indhold_hash) > 1
)

select
    raekker.kildefil,
    raekker.kildelinje,
    raekker.journalnr,
    raekker.leveret_dato,
    raekker.anmeldt_dato,
    raekker.gerningskode,
    raekker.kommunekode,
    raekker.x_utm32,
    raekker.y_utm32,
    raekker.indhold_hash
from raekker
inner join konflikter
    on
        raekker.journalnr = konflikter.journalnr
        and raekker.leveret_dato = konflikter.leveret_dato
order by raekker.journalnr, raekker.kildefil, raekker.kildelinje
