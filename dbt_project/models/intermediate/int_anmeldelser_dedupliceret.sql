-- One row per report: per journalnr the delivery with the latest leveret_dato wins, whatever the order
-- of the file names; exact repeats (same content, same or other file) collapse to one row, and the row
-- keeps the lineage (file, line) of the winning content's first occurrence. Two contents under the same
-- leveret_dato are a contract violation that int_anmeldelser_leveringskonflikter fails the build on; the
-- content hash only makes the choice deterministic.
--
-- At national scale (~10 M delivered rows) writing this table is most of its cost, so it keeps the
-- columns the figures and the lineage need, not the offence times and texts (stg_police__anmeldelser
-- has them). antal_leverancer (delivered rows, exact repeats included) marks the few reports that
-- int_anmeldelser_gentaget looks at again.
with raekker as (
    select * from {{ ref('stg_police__anmeldelser') }}
)

select
    journalnr,
    anmeldt_dato,
    aar,
    gerningskode,
    kommunekode,
    x_utm32,
    y_utm32,
    har_koordinat,
    leveret_dato,
    count(*) over (partition by journalnr) as antal_leverancer,
    kildefil,
    kildelinje
from raekker
qualify row_number() over (
    partition by journalnr
    order by leveret_dato desc, indhold_hash asc, kildefil asc, kildelinje asc
) = 1
