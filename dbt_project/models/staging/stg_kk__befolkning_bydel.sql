-- The city's population by district: single ages × statistical codes, no total rows, so summing is safe.
with kilde as (
    select * from {{ source('raw', 'kk_befolkning') }}
)

select
    aar,
    bydel as bydel_nr,
    alder,
    statkode,
    personer,
    kildefil,
    kildelinje
from kilde
