-- The safety plan's activities. Partner names are normalised in int_aktiviteter_partnere.
-- A partnership's plans lie in aktiviteter/<code>/; files directly in aktiviteter/ belong to the default
-- partnership (`standard = true` in its file). Plans of a partnership that is not configured belong to none.
with kilde as (
    select
        *,
        case
            when len(string_split(kildefil, '/')) >= 3 then upper(string_split(kildefil, '/')[2])
        end as mappe
    from {{ source('raw', 'aktiviteter') }}
),

partnerskaber as (
    select
        partnerskab_kode,
        standard
    from {{ ref('stg_partnerskaber__partnerskaber') }}
)

select
    partnerskaber.partnerskab_kode,
    kilde.aar,
    trim(kilde.aktivitet_id) as aktivitet_id,
    trim(kilde.titel) as titel,
    kilde.indsatsomraade,
    kilde.partnere,
    kilde.budget_kr,
    lower(trim(kilde.status)) as status,
    kilde.kildefil,
    kilde.kildelinje
from kilde
left join partnerskaber
    on
        kilde.mappe = partnerskaber.partnerskab_kode
        or (kilde.mappe is null and partnerskaber.standard)
