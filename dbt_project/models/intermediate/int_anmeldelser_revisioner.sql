{{ config(materialized='table') }}
-- Every report that a later police delivery changed: its latest version beside the one before it. The run
-- summary and the published manifest say from this how many reports were corrected, reclassified or moved
-- to another year, and in which years, so a figure that moved between two publications can be explained.
-- Exact repeats are not revisions (one version, delivered twice).
-- only reports delivered more than once are looked at (int_anmeldelser_gentaget): a few percent of the
-- rows, so the windows below stay small at national scale
with raekker as (
    select * from {{ ref('int_anmeldelser_gentaget') }}
),

rettede as (
    select journalnr
    from raekker
    group by journalnr
    having count(distinct indhold_hash) > 1
),

versioner as (
    select
        raekker.journalnr,
        raekker.leveret_dato,
        raekker.indhold_hash,
        raekker.aar,
        raekker.gerningskode,
        raekker.kildefil
    from raekker
    semi join rettede on raekker.journalnr = rettede.journalnr
    qualify row_number() over (
        partition by raekker.journalnr, raekker.leveret_dato, raekker.indhold_hash
        order by raekker.kildefil, raekker.kildelinje
    ) = 1
),

ordnet as (
    select
        *,
        -- the same order as int_anmeldelser_dedupliceret: the latest leveret_dato wins
        row_number() over (partition by journalnr order by leveret_dato desc, indhold_hash asc) as nr,
        count(distinct indhold_hash) over (partition by journalnr) as antal_indhold
    from versioner
),

seneste as (
    select *
    from ordnet
    where nr = 1 and antal_indhold > 1
),

-- the newest earlier version with other content: what the latest delivery corrected
forrige as (
    select ordnet.*
    from ordnet
    inner join seneste
        on
            ordnet.journalnr = seneste.journalnr
            and ordnet.indhold_hash <> seneste.indhold_hash
    qualify row_number() over (partition by ordnet.journalnr order by ordnet.nr) = 1
)

select
    seneste.journalnr,
    seneste.aar,
    forrige.aar as forrige_aar,
    seneste.gerningskode,
    forrige.gerningskode as forrige_gerningskode,
    seneste.gerningskode <> forrige.gerningskode as omklassificeret,
    seneste.aar <> forrige.aar as flyttet_aar,
    seneste.leveret_dato,
    forrige.leveret_dato as forrige_leveret_dato,
    seneste.kildefil,
    forrige.kildefil as forrige_kildefil
from seneste
inner join forrige on seneste.journalnr = forrige.journalnr
