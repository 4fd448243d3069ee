-- FOLK1A as exported with codes. KØN, ALDER and CIVILSTAND each hold a total code and its parts: the
-- population model picks one level per dimension before summing.
with kilde as (
    select * from {{ source('raw', 'dst_folk1a') }}
)

select
    trim(omraade) as omraade,
    upper(trim(koen)) as koen,
    upper(trim(alder)) as alder,
    upper(trim(civilstand)) as civilstand,
    upper(trim(tid)) as tid,
    {{ dst_aar('tid') }} as aar,
    {{ dst_kvartal('tid') }} as kvartal,
    {{ dst_maaned('tid') }} as maaned,
    indhold,
    kildefil,
    kildelinje
from kilde
