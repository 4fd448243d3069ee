-- The areas, without geometry (BI tools get plain columns). Placement never uses overordnet_kode
-- (Decision 8); it is here for navigation only. partnerskab_kode names the partnership a partnership,
-- part or housing-area row belongs to (empty on the shared municipality and district rows).
select
    omraade_kode,
    navn,
    niveau,
    cast(niveau_nr as bigint) as niveau_nr,
    overordnet_kode,
    gyldig_fra,
    gyldig_til,
    cast(areal_km2 as double) as areal_km2,
    cast(bydel_nr as bigint) as bydel_nr,
    partnerskab_kode
from {{ ref('int_omraader') }}
