{{ config(materialized='view') }}
-- Each report → the agreement's groups it belongs to, from the offence-code seed. A report can be in
-- several groups (borgervendt_i_alt, its case area, a focus group, a monitoring group); a code missing
-- from the seed lands in `ikke_kortlagt`, never dropped.
with anmeldelser as (
    select
        journalnr,
        aar,
        gerningskode,
        kommunekode,
        har_koordinat
    from {{ ref('int_anmeldelser_dedupliceret') }}
),

koder as (
    select * from {{ ref('gerningskoder') }}
),

kortlagt as (
    select
        anmeldelser.*,
        koder.gerningskode is not null as er_kortlagt,
        koder.borgervendt,
        nullif(trim(koder.sagsomraade), '') as sagsomraade,
        nullif(trim(koder.fokus), '') as fokus,
        nullif(trim(koder.overvaagning), '') as overvaagning
    from anmeldelser
    left join koder on anmeldelser.gerningskode = koder.gerningskode
),

grupper as (
    select
        *,
        'borgervendt_i_alt' as gruppe
    from kortlagt
    where borgervendt = 1
    union all
    select
        *,
        'sagsomraade_' || sagsomraade as gruppe
    from kortlagt
    where sagsomraade is not null
    union all
    select
        *,
        'fokus_' || fokus as gruppe
    from kortlagt
    where fokus is not null
    union all
    select
        *,
        'overvaagning_' || overvaagning as gruppe
    from kortlagt
    where overvaagning is not null
    union all
    select
        *,
        'ikke_kortlagt' as gruppe
    from kortlagt
    where not er_kortlagt
)

select
    journalnr,
    aar,
    gerningskode,
    kommunekode,
    har_koordinat,
    gruppe
from grupper
