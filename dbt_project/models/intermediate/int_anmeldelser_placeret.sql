-- Each geocoded report → every area whose polygon contains its point, at every level below the
-- municipality (Decision 1: the municipality counts by kommunekode, placed or not, in
-- int_kriminalitet_optalt). Validity dates are ignored on purpose: every boundary gets every year
-- (Decision 2), so series are comparable.
with anmeldelser as (
    select
        journalnr,
        x_utm32 as x,
        y_utm32 as y
    from {{ ref('int_anmeldelser_dedupliceret') }}
    where har_koordinat
),

omraader as (
    select *
    from {{ ref('int_omraader') }}
    where niveau <> 'kommune'
),

placeringer as (
    select * from {{ placer_punkter('anmeldelser', 'omraader') }}
)

select
    anmeldelser.journalnr,
    placeringer.omraade_kode
from anmeldelser
inner join placeringer
    on
        anmeldelser.x = placeringer.x
        and anmeldelser.y = placeringer.y
