{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_lbf__beboerdata'}}}) }}
-- A Landsbyggefonden department that no partnership's file maps to a housing area: left out of
-- fct_omraadeprofil until a file lists it (expected for departments outside every partnership).
select lbf.aar, lbf.boligorganisation, lbf.afdelingsnr, lbf.afdelingsnavn, lbf.kildefil, lbf.kildelinje
from {{ ref('stg_lbf__beboerdata') }} as lbf
anti join {{ ref('stg_partnerskaber__lbf_afdelinger') }} as kobling
    on lbf.boligorganisation_normaliseret = kobling.boligorganisation_normaliseret
    and lbf.afdelingsnr_normaliseret = kobling.afdelingsnr_normaliseret
