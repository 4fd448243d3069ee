-- depends_on: {{ ref('int_anmeldelser_leveringskonflikter') }}
-- (the dependency makes `dbt build` skip every crime figure when the conflict test fails)
--
-- One row per report: per journalnr the delivery with the latest leveret_dato wins, whatever the order
-- of the file names; exact repeats (same content, same or other file) collapse to one row, and the row
-- keeps the lineage (file, line) of the winning content's first occurrence.
--
-- One hash aggregate instead of windows (a national extract has ~10 M delivered rows): arg_min picks the
-- row that sorts first by (latest leveret_dato, then indhold_hash, then file and line). indhold_hash only
-- breaks ties that the conflict test already reports as an error.
with raekker as (
    select * from {{ ref('stg_police__anmeldelser') }}
),

seneste as (
    select
        journalnr,
        arg_min(
            struct_pack(
                anmeldt_dato, aar, gerning_fra, gerning_til, gerningskode, gerningskode_tekst, kommunekode,
                x_utm32, y_utm32, har_koordinat, leveret_dato, kildefil, kildelinje
            ),
            struct_pack(
                nyest := date '9999-12-31' - leveret_dato, indhold_hash, kildefil, kildelinje
            )
        ) as vinder,
        -- distinct deliveries seen (exact repeats of the same delivery count once)
        count(distinct (leveret_dato, indhold_hash)) as antal_versioner
    from raekker
    group by journalnr
)

select
    journalnr,
    vinder.anmeldt_dato,
    vinder.aar,
    vinder.gerning_fra,
    vinder.gerning_til,
    vinder.gerningskode,
    vinder.gerningskode_tekst,
    vinder.kommunekode,
    vinder.x_utm32,
    vinder.y_utm32,
    vinder.har_koordinat,
    vinder.leveret_dato,
    antal_versioner,
    vinder.kildefil,
    vinder.kildelinje
from seneste
