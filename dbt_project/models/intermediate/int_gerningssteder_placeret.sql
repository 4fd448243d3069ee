{{ config(materialized='table') }}
-- Each distinct crime-scene point → every area below the municipality whose polygon contains it
-- (Decision 1: the municipality counts by kommunekode, placed or not, in int_kriminalitet_optalt).
-- Points, not reports: a national extract has ~10 M reports at ~1 M distinct points, and the counts join
-- reports to their point's areas while aggregating, so report × area pairs are never stored. Validity
-- dates are ignored on purpose: every boundary gets every year (Decision 2), so series are comparable.
with steder as (
    select
        x_utm32 as x,
        y_utm32 as y
    from {{ ref('int_anmeldelser_dedupliceret') }}
    where har_koordinat
),

omraader as (
    select *
    from {{ ref('int_omraader') }}
    where niveau <> 'kommune'
)

select * from {{ placer_punkter('steder', 'omraader') }}
