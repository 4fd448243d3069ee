-- No mart holds a column that identifies a person or a report (respondent ids, journal numbers, exact
-- coordinates), nor any column name that is not snake_case ASCII.
-- depends_on: {{ ref('dim_omraade') }}
-- depends_on: {{ ref('fct_tryghed') }}
-- depends_on: {{ ref('fct_kriminalitet') }}
-- depends_on: {{ ref('fct_kriminalitet_dst') }}
-- depends_on: {{ ref('baseline_2024') }}
-- depends_on: {{ ref('fct_aktiviteter') }}
-- depends_on: {{ ref('fct_maalopfyldelse') }}
-- depends_on: {{ ref('fct_omraadeprofil') }}
select table_name, column_name
from information_schema.columns
where table_schema = '{{ ref("dim_omraade").schema }}'
    and table_catalog = current_database()
    and (
        regexp_matches(lower(column_name), 'journalnr|respondent|utm32|koordinat|^x$|^y$|geom|wkt|cpr|kildelinje')
        or not regexp_full_match(column_name, '[a-z][a-z0-9_]*')
    )
