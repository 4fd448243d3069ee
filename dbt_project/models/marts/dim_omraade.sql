-- The areas, without geometry (BI tools get plain columns). Placement never uses overordnet_kode
-- (Decision 8); it is here for navigation only.
select
    omraade_kode,
    navn,
    niveau,
    cast(niveau_nr as bigint) as niveau_nr,
    overordnet_kode,
    gyldig_fra,
    gyldig_til,
    cast(areal_km2 as double) as areal_km2,
    cast(bydel_nr as bigint) as bydel_nr
from {{ ref('int_omraader') }}
