-- Every delivered row of the reports delivered more than once, exact repeats included: the few percent
-- of the rows that corrections and delivery conflicts are about, so int_anmeldelser_revisioner and
-- int_anmeldelser_leveringskonflikter need not group every delivered row again.
--
-- Incremental like int_anmeldelser_dedupliceret (decision 62): the reconsidered reports' rows go and are
-- taken again when the report is (still) delivered more than once. It is also what tells the next build
-- which reports had a non-winning row in a delivery that is later removed (int_anmeldelser_aendringer).
-- depends_on: {{ ref('int_anmeldelser_aendringer') }}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aendrede_anmeldelser() }}") }}
with gentagne as (
    select dedupliceret.journalnr
    from {{ ref('int_anmeldelser_dedupliceret') }} as dedupliceret
    {{ kun_aendrede('dedupliceret') }}
    where dedupliceret.antal_leverancer > 1
)

select raekker.*
from {{ ref('stg_police__anmeldelser') }} as raekker
semi join gentagne on raekker.journalnr = gentagne.journalnr
