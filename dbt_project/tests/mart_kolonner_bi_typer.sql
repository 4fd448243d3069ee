{{ config(meta={'dagster': {'ref': {'name': 'dim_omraade'}}}) }}
-- Every mart column has a type every BI tool reads: text, 64-bit int, double, boolean, date, timestamp.
-- (INTEGER, HUGEINT, DECIMAL, GEOMETRY, ... must be cast in the model.)
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
select table_name, column_name, data_type
from information_schema.columns
where table_schema = '{{ ref("dim_omraade").schema }}'
    and table_catalog = current_database()
    and data_type not in ('VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP')
