{{ config(materialized='table') }}
-- depends_on: {{ ref('int_anmeldelser_gentaget') }}
-- depends_on: {{ ref('int_kriminalitet_koder') }}
-- depends_on: {{ ref('int_omraader') }}
-- The state of the refresh by delivery (decision 62): the police deliveries (kildefil, kilde_sha256) the
-- incremental police models were built from, and the digest of the areas the points were placed in. Built
-- last, after every incremental police model (the depends_on above), so it is only replaced when they all
-- were; the next build compares the inbox with it (int_anmeldelser_aendringer) and the areas with its
-- digest. Before a build, the pipeline marks it stale (its table comment, the fingerprint of the dbt
-- project, vars and loader contract: assets/foundation/refresh.py) and marks it current again when this
-- model was built, so a build that stopped half-way is followed by a full one.
select distinct
    kildefil,
    kilde_sha256,
    '{{ omraader_fingeraftryk() }}' as omraader_fingeraftryk
from {{ ref('stg_police__anmeldelser') }}
