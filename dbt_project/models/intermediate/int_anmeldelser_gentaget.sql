{{ config(materialized='table') }}
-- Every delivered row of the reports delivered more than once, exact repeats included: the few percent
-- of the rows that corrections and delivery conflicts are about, so int_anmeldelser_revisioner and
-- int_anmeldelser_leveringskonflikter need not group every delivered row again.
with gentagne as (
    select journalnr
    from {{ ref('int_anmeldelser_dedupliceret') }}
    where antal_leverancer > 1
)

select raekker.*
from {{ ref('stg_police__anmeldelser') }} as raekker
semi join gentagne on raekker.journalnr = gentagne.journalnr
