{%- set baseline_aar = var('baseline_aar') -%}
-- The agreement's empty baseline table, filled, as it was published before there were several
-- partnerships (decision 18): the rows of the mart `baseline` for the partnerships whose baseline year is
-- the setting baseline_aar (2024), with the same columns as before, so existing reports keep working.
select
    gerningstype,
    maal,
    baseline_antal,
    baseline_pr_1000,
    omraade_kode,
    version,
    beregnet,
    fastfrosset
from {{ ref('baseline') }}
where baseline_aar = {{ baseline_aar }}
