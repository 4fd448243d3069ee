{{ config(materialized='table') }}
-- Each offence code in the police data → the agreement's groups it belongs to, from the offence-code seed.
-- A code can be in several groups (borgervendt_i_alt, its case area, a focus group, a monitoring group);
-- a code missing from the seed lands in `ikke_kortlagt`, never dropped. Reports are counted per code
-- first and then per group (int_kriminalitet_optalt), so the groups are resolved once per code.
-- the codes in the data, from the per-code counts (every report is counted there under its kommunekode)
with koder_i_data as (
    select distinct gerningskode
    from {{ ref('int_kriminalitet_koder') }}
    where opgjort_efter = 'kommunekode'
),

koder as (
    select * from {{ ref('gerningskoder') }}
),

kortlagt as (
    select
        koder_i_data.gerningskode,
        koder.gerningskode is not null as er_kortlagt,
        koder.borgervendt,
        nullif(trim(koder.sagsomraade), '') as sagsomraade,
        nullif(trim(koder.fokus), '') as fokus,
        nullif(trim(koder.overvaagning), '') as overvaagning
    from koder_i_data
    left join koder on koder_i_data.gerningskode = koder.gerningskode
),

grupper as (
    select
        gerningskode,
        'borgervendt_i_alt' as gruppe
    from kortlagt
    where borgervendt = 1
    union all
    select
        gerningskode,
        'sagsomraade_' || sagsomraade as gruppe
    from kortlagt
    where sagsomraade is not null
    union all
    select
        gerningskode,
        'fokus_' || fokus as gruppe
    from kortlagt
    where fokus is not null
    union all
    select
        gerningskode,
        'overvaagning_' || overvaagning as gruppe
    from kortlagt
    where overvaagning is not null
    union all
    select
        gerningskode,
        'ikke_kortlagt' as gruppe
    from kortlagt
    where not er_kortlagt
)

select
    gerningskode,
    gruppe
from grupper
