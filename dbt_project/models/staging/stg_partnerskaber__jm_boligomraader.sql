-- The national survey's published names → the area its figure belongs to, per partnership.
select
    partnerskab_kode,
    boligomraade,
    omraade_kode,
    {{ normaliser_navn('boligomraade') }} as boligomraade_normaliseret
from {{ source('partnerskaber', 'jm_boligomraader') }}
