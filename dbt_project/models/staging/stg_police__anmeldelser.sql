-- Every delivered report row, duplicates included (int_anmeldelser_dedupliceret resolves them).
with kilde as (
    select * from {{ source('raw', 'police') }}
)

select
    trim(journalnr) as journalnr,
    anmeldt_dato,
    cast(year(anmeldt_dato) as integer) as aar,
    gerning_fra,
    gerning_til,
    gerningskode,
    trim(gerningskode_tekst) as gerningskode_tekst,
    kommunekode,
    x_utm32,
    y_utm32,
    (x_utm32 is not null and y_utm32 is not null) as har_koordinat,
    leveret_dato,
    -- DuckDB's 64-bit hash of the content, for finding exact repeats and conflicting deliveries; only
    -- ever compared between rows of the same journalnr
    hash(
        anmeldt_dato, gerning_fra, gerning_til, gerningskode, trim(gerningskode_tekst),
        kommunekode, x_utm32, y_utm32
    ) as indhold_hash,
    kildefil,
    kilde_sha256,
    kildelinje
from kilde
