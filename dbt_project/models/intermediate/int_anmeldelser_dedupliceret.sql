-- depends_on: {{ ref('int_anmeldelser_leveringskonflikter') }}
-- (the dependency makes `dbt build` skip every crime figure when the conflict test fails)
--
-- One row per report: per journalnr the delivery with the latest leveret_dato wins, whatever the order
-- of the file names; exact repeats (same content, same or other file) collapse to one row.
with raekker as (
    select * from {{ ref('stg_police__anmeldelser') }}
),

-- exact repeats: keep the first occurrence (by file and line) for lineage
unikke_leverancer as (
    select *
    from raekker
    qualify row_number() over (
        partition by journalnr, leveret_dato, indhold_hash order by kildefil, kildelinje
    ) = 1
),

seneste as (
    select
        *,
        count(*) over (partition by journalnr) as antal_versioner
    from unikke_leverancer
    -- indhold_hash only breaks ties that the conflict test already reports as an error
    qualify row_number() over (
        partition by journalnr order by leveret_dato desc, indhold_hash asc
    ) = 1
)

select
    journalnr,
    anmeldt_dato,
    aar,
    gerning_fra,
    gerning_til,
    gerningskode,
    gerningskode_tekst,
    kommunekode,
    x_utm32,
    y_utm32,
    har_koordinat,
    leveret_dato,
    antal_versioner,
    kildefil,
    kildelinje
from seneste
