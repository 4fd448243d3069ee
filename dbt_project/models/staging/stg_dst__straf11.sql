-- STRAF11 as exported with codes. OVERTRÆD is hierarchical (TOT ⊃ 1 ⊃ 12 ⊃ 1220): never sum across levels.
with kilde as (
    select * from {{ source('raw', 'dst_straf11') }}
)

select
    trim(omraade) as omraade,
    upper(trim(overtraed)) as overtraed,
    upper(trim(tid)) as tid,
    {{ dst_aar('tid') }} as aar,
    {{ dst_kvartal('tid') }} as kvartal,
    {{ dst_maaned('tid') }} as maaned,
    indhold,
    kildefil,
    kildelinje
from kilde
