-- The partnerships' goals, each of a known kind (tryghed, kriminalitet, samarbejde).
select
    partnerskab_kode,
    maal_id,
    art,
    beskrivelse,
    enhed,
    kilde,
    sortering,
    maaling,
    gruppe,
    maal_enhed,
    gerningstype,
    taerskel
from {{ source('partnerskaber', 'maal') }}
