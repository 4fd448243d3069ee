-- Every spelling of a party, normalised for matching, per partnership.
select
    partnerskab_kode,
    alias,
    partner,
    partnertype,
    {{ normaliser_navn('alias') }} as alias_normaliseret,
    {{ normaliser_navn('partner') }} as partner_normaliseret
from {{ source('partnerskaber', 'partnere') }}
