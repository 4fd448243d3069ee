{{ config(materialized='view') }}
-- Every crime group that gets a row in fct_kriminalitet (zeros included): the fixed ones plus one per
-- case area / focus / monitoring value in the offence-code seed.
with koder as (
    select * from {{ ref('gerningskoder') }}
),

grupper as (
    select 'borgervendt_i_alt' as gruppe
    union
    select 'ikke_kortlagt'
    union
    select 'sagsomraade_' || trim(sagsomraade) from koder
    where nullif(trim(sagsomraade), '') is not null
    union
    select 'fokus_' || trim(fokus) from koder
    where nullif(trim(fokus), '') is not null
    union
    select 'overvaagning_' || trim(overvaagning) from koder
    where nullif(trim(overvaagning), '') is not null
)

select
    gruppe,
    case
        when gruppe = 'borgervendt_i_alt' or starts_with(gruppe, 'fokus_') then 'minimum_fastholdelse'
    end as maal
from grupper
