-- The configured partnerships (partnerskaber/*.toml), one row each.
select
    partnerskab_kode,
    navn,
    omraade_kode,
    aftale_fra,
    aftale_til,
    baseline_aar,
    budget_kr,
    standard,
    kildefil
from {{ source('partnerskaber', 'partnerskaber') }}
