{{ config(materialized='table') }}
-- depends_on: {{ ref('stg_police__anmeldelser') }}
-- The journal numbers an incremental build reconsiders (decision 62), with their year in the previous
-- build (aar_foer, empty for a new report): every report with a row in a delivery the previous build did
-- not have (a new file, or a changed one: same name, other sha256), and every report that had a row in a
-- delivery that is gone (removed, or the old content of a changed file). The latter are found in the
-- previous build's own tables, before this build replaces their rows: the winner's kildefil in
-- int_anmeldelser_dedupliceret, and every other delivered row of a report delivered more than once in
-- int_anmeldelser_gentaget (a report delivered once has its one row as the winner). So a removed delivery
-- costs no more than a new one, and antal_leverancer and the non-winning rows stay right.
--
-- The previous build's tables are read by name, not by ref: they are this build's input, as it left them.
-- A full build (a full refresh, or no previous build) reconsiders everything: the table then holds one row
-- without a journal number, which tells the tests on the incremental models to check every row (on an
-- incremental build they check only the reconsidered reports' rows).
{%- set grundlag = tidligere_tabel('int_anmeldelser_grundlag') -%}
{%- set dedupliceret = tidligere_tabel('int_anmeldelser_dedupliceret') -%}
{%- set gentaget = tidligere_tabel('int_anmeldelser_gentaget') -%}
{%- set tidligere = grundlag is not none and dedupliceret is not none and gentaget is not none
    and not flags.FULL_REFRESH %}
{% if tidligere %}
    with nu as (
        select distinct
            kildefil,
            kilde_sha256
        from {{ ref('stg_police__anmeldelser') }}
    ),

    nye as (
        select
            nu.kildefil,
            nu.kilde_sha256
        from nu
        anti join {{ grundlag }} as grundlag
            on nu.kildefil = grundlag.kildefil and nu.kilde_sha256 = grundlag.kilde_sha256
    ),

    -- deliveries of the previous build not in the inbox now (by name: the previous build had one content per name)
    forsvundne as (
        select grundlag.kildefil
        from {{ grundlag }} as grundlag
        anti join nu on grundlag.kildefil = nu.kildefil and grundlag.kilde_sha256 = nu.kilde_sha256
    ),

    journalnumre as (
        select raekker.journalnr
        from {{ ref('stg_police__anmeldelser') }} as raekker
        semi join nye on raekker.kildefil = nye.kildefil and raekker.kilde_sha256 = nye.kilde_sha256
        union
        select vinder.journalnr
        from {{ dedupliceret }} as vinder
        semi join forsvundne on vinder.kildefil = forsvundne.kildefil
        union
        select raekker.journalnr
        from {{ gentaget }} as raekker
        semi join forsvundne on raekker.kildefil = forsvundne.kildefil
    )

    select
        journalnumre.journalnr,
        foer.aar as aar_foer
    from journalnumre
    left join {{ dedupliceret }} as foer on journalnumre.journalnr = foer.journalnr
{% else %}
    select
        cast(null as varchar) as journalnr,
        cast(null as integer) as aar_foer
{% endif %}
