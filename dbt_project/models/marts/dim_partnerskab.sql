-- The partnerships (one file each in partnerskaber/): what a BI report or the status report needs to
-- know about one without reading its file. Areas are in dim_omraade (partnerskab_kode), goals in
-- fct_maalopfyldelse, the baseline table in baseline.
select
    partnerskab_kode,
    navn,
    omraade_kode,
    cast(aftale_fra as bigint) as aftale_fra,
    cast(aftale_til as bigint) as aftale_til,
    cast(baseline_aar as bigint) as baseline_aar,
    cast(budget_kr as double) as budget_kr,
    standard
from {{ ref('stg_partnerskaber__partnerskaber') }}
