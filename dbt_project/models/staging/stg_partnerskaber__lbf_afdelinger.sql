-- Landsbyggefonden departments → housing area, per partnership, normalised for matching the LBF files.
select
    partnerskab_kode,
    boligorganisation,
    afdelingsnr,
    omraade_kode,
    {{ normaliser_navn('boligorganisation') }} as boligorganisation_normaliseret,
    {{ normaliser_afdelingsnr('afdelingsnr') }} as afdelingsnr_normaliseret
from {{ source('partnerskaber', 'lbf_afdelinger') }}
