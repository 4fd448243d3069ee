-- One row per respondent of the city's safety survey. Answers outside the 1–5/9 scale are kept as they
-- are; the share's definition (1–2 among 1–5) is applied downstream.
with kilde as (
    select * from {{ source('raw', 'survey_kk') }}
)

select
    aar,
    trim(respondent_id) as respondent_id,
    bydel_nr,
    x_utm32,
    y_utm32,
    (x_utm32 is not null and y_utm32 is not null) as har_koordinat,
    vaegt,
    tryg_nabolag,
    tryg_aften_nat,
    upper(trim(koen)) as koen,
    trim(aldersgruppe) as aldersgruppe,
    kildefil,
    kildelinje
from kilde
