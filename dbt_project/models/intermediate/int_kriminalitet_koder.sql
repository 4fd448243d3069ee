-- Reports per year × area × offence code, the one pass over the de-duplicated reports that the crime
-- figures make (int_kriminalitet_optalt spreads these counts over the groups and adds the raster,
-- coverage and population): per kommunekode for the municipality (decision 1: every report, placed or not,
-- with antal_uden_placering) and per area below it for placed reports, joined to their point's areas
-- while counting, so no row per report and area is stored. A few thousand rows a year.
--
-- Counting only the years touched (decision 62): incremental by year. An incremental build recounts the
-- years of the reconsidered reports, before and after the build (a report revised into another year leaves
-- the old year and enters the new one), from every report of those years; the other years keep their
-- counts. Every year is recounted when the areas changed or the build reconsiders every report.
-- depends_on: {{ ref('int_anmeldelser_aendringer') }}
-- depends_on: {{ ref('int_omraader') }}
{%- set alle = not is_incremental() or omraader_aendret() or alt_aendret() %}
{%- set aarene = [] if alle else aendrede_aar() %}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_optalte_aar() }}") }}
with anmeldelser as (
    select
        aar,
        gerningskode,
        kommunekode,
        x_utm32,
        y_utm32,
        har_koordinat
    from {{ ref('int_anmeldelser_dedupliceret') }}
    {%- if not alle %}
        where {{ i_aendrede_aar('aar', aarene) }}
    {%- endif %}
),

kommune as (
    select
        aar,
        'kommunekode' as opgjort_efter,
        cast(kommunekode as varchar) as omraade_kode,
        gerningskode,
        count(*) as antal_anmeldelser,
        count(*) filter (where not har_koordinat) as antal_uden_placering
    from anmeldelser
    group by all
),

-- lower levels: placed reports only, by the polygons containing their point
placeret as (
    select
        anmeldelser.aar,
        'placering' as opgjort_efter,
        steder.omraade_kode,
        anmeldelser.gerningskode,
        count(*) as antal_anmeldelser,
        cast(null as bigint) as antal_uden_placering
    from anmeldelser
    inner join {{ ref('int_gerningssteder_placeret') }} as steder
        on
            anmeldelser.x_utm32 = steder.x
            and anmeldelser.y_utm32 = steder.y
    group by all
)

select
    cast(aar as integer) as aar,
    opgjort_efter,
    omraade_kode,
    gerningskode,
    cast(antal_anmeldelser as bigint) as antal_anmeldelser,
    cast(antal_uden_placering as bigint) as antal_uden_placering
from kommune
union all
select
    cast(aar as integer) as aar,
    opgjort_efter,
    omraade_kode,
    gerningskode,
    cast(antal_anmeldelser as bigint) as antal_anmeldelser,
    cast(antal_uden_placering as bigint) as antal_uden_placering
from placeret
