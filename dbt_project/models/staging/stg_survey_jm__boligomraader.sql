-- Justitsministeriet's national survey: one published share per housing area and year.
with kilde as (
    select * from {{ source('raw', 'survey_jm') }}
)

select
    aar,
    trim(regexp_replace(boligomraade, '\s+', ' ', 'g')) as boligomraade,
    {{ normaliser_navn('boligomraade') }} as boligomraade_normaliseret,
    andel_grundlaeggende_tryg_pct,
    antal_svar,
    kildefil,
    kildelinje
from kilde
