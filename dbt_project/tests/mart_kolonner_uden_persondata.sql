{{ config(meta={'dagster': {'ref': {'name': 'dim_omraade'}}}) }}
-- No mart holds a column that identifies a person or a report (respondent ids, journal numbers, exact
-- coordinates: the patterns of the seed ikke_publicerbare_kolonner), nor any column name that is not
-- snake_case ASCII.
-- depends_on: {{ ref('dim_omraade') }}
-- depends_on: {{ ref('fct_tryghed') }}
-- depends_on: {{ ref('fct_kriminalitet') }}
-- depends_on: {{ ref('fct_kriminalitet_dst') }}
-- depends_on: {{ ref('baseline_2024') }}
-- depends_on: {{ ref('baseline') }}
-- depends_on: {{ ref('dim_partnerskab') }}
-- depends_on: {{ ref('fct_aktiviteter') }}
-- depends_on: {{ ref('fct_maalopfyldelse') }}
-- depends_on: {{ ref('fct_omraadeprofil') }}
select distinct
    kolonner.table_name,
    kolonner.column_name
from information_schema.columns as kolonner
where
    kolonner.table_schema = '{{ ref("dim_omraade").schema }}'
    and kolonner.table_catalog = current_database()
    and (
        exists (
            select 1 from {{ ref('ikke_publicerbare_kolonner') }} as forbudt
            where regexp_matches(lower(kolonner.column_name), forbudt.moenster)
        )
        or not regexp_full_match(kolonner.column_name, '[a-z][a-z0-9_]*')
    )
