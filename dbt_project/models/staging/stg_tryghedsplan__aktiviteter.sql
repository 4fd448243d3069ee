-- The safety plan's activities. Partner names are normalised in int_aktiviteter_partnere.
with kilde as (
    select * from {{ source('raw', 'aktiviteter') }}
)

select
    aar,
    trim(aktivitet_id) as aktivitet_id,
    trim(titel) as titel,
    indsatsomraade,
    partnere,
    budget_kr,
    lower(trim(status)) as status,
    kildefil,
    kildelinje
from kilde
