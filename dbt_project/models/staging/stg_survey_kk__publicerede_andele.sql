-- Published survey shares (backfill for years without respondent data). Percent stays percent here;
-- the mart divides by 100 (Decision 7).
with kilde as (
    select * from {{ source('raw', 'survey_kk_published') }}
)

select
    aar,
    upper(trim(omraade_kode)) as omraade_kode,
    lower(trim(maal)) as maal,
    andel_tryg_pct,
    antal_svar,
    kildefil,
    kildelinje
from kilde
