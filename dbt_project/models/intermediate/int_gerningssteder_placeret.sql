-- Each distinct crime-scene point → every area below the municipality whose polygon contains it
-- (Decision 1: the municipality counts by kommunekode, placed or not, in int_kriminalitet_koder).
-- Points, not reports: a national extract has ~10 M reports at ~1 M distinct points, and the counts join
-- reports to their point's areas while aggregating, so report × area pairs are never stored. Validity
-- dates are ignored on purpose: every boundary gets every year (Decision 2), so series are comparable.
--
-- A point is placed once (decision 62): the table is incremental and an incremental build places only the
-- points of the reconsidered reports (int_anmeldelser_aendringer) that are not in it yet. A point no longer
-- used by any report may stay (counting joins from the reports, so it counts nothing). When the areas
-- changed since the previous build (their digest, kept in int_anmeldelser_grundlag) every point is placed
-- again. A point outside every area has no row, so it is tested again when a later report uses it.
-- depends_on: {{ ref('int_anmeldelser_aendringer') }}
{%- set alle = not is_incremental() or omraader_aendret() or alt_aendret() %}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{% if is_incremental() and (omraader_aendret() or alt_aendret()) %}delete from {{ this }}{% endif %}") }}
with steder as (
    select
        dedupliceret.x_utm32 as x,
        dedupliceret.y_utm32 as y
    from {{ ref('int_anmeldelser_dedupliceret') }} as dedupliceret
    {%- if not alle %}
        semi join {{ ref('int_anmeldelser_aendringer') }} as aendringer
            on dedupliceret.journalnr = aendringer.journalnr
    {%- endif %}
    where dedupliceret.har_koordinat
),

-- the points already placed keep their rows
nye_steder as (
    select
        steder.x,
        steder.y
    from steder
    {%- if not alle %}
        anti join (
            select distinct
                x,
                y
            from {{ this }}
        ) as placeret
            on steder.x = placeret.x and steder.y = placeret.y
    {%- endif %}
),

omraader as (
    select *
    from {{ ref('int_omraader') }}
    where niveau <> 'kommune'
)

select * from {{ placer_punkter('nye_steder', 'omraader') }}
