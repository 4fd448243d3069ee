{{ config(severity='warn') }}
-- Decision 11: a year inside a source's span without a delivery. Its figures are empty (never zero), and a
-- report dated in such a year is kept in raw but counted nowhere. The national survey is not yearly.
select kilde, aar
from {{ ref('fct_datadaekning') }}
where status = 'mangler' and kilde <> 'tryghed_jm'
