{{ config(meta={'dagster': {'ref': {'name': 'fct_kriminalitet'}}}) }}
-- fct_kriminalitet has a row for every year × area × group (zeros included): no gaps a BI tool would
-- read as "no data".
with k as (select * from {{ ref('fct_kriminalitet') }}),
forventet as (
    select
        (select count(distinct aar) from k)
        * (select count(*) from {{ ref('dim_omraade') }})
        * (select count(*) from {{ ref('int_grupper') }}) as antal
)
select forventet.antal as forventet, (select count(*) from k) as faktisk
from forventet
where (select count(*) from k) > 0 and forventet.antal <> (select count(*) from k)
