-- Weighted sums per survey year × area × measure, from which fct_tryghed computes the share, Kish's
-- effective n and the interval. Valid answers are 1–5; "ved ikke" (9) and blank are left out of both
-- numerator and denominator; 1–2 ("meget tryg", "tryg") count as safe.
with respondenter as (
    select
        aar,
        respondent_id,
        vaegt,
        tryg_nabolag,
        tryg_aften_nat
    from {{ ref('stg_survey_kk__respondenter') }}
    where vaegt > 0
),

svar as (
    select
        aar,
        respondent_id,
        vaegt,
        'nabolag' as maal,
        tryg_nabolag as svar
    from respondenter
    union all
    select
        aar,
        respondent_id,
        vaegt,
        'aften_nat' as maal,
        tryg_aften_nat as svar
    from respondenter
),

gyldige as (
    select
        *,
        cast(vaegt as decimal(18, 9)) as vaegt_eksakt
    from svar
    where svar between 1 and 5
)

select
    placeret.omraade_kode,
    cast(gyldige.aar as bigint) as aar,
    gyldige.maal,
    count(*) as antal_svar,
    -- sums of weights as exact decimals (9 places): a parallel sum of doubles depends on the order of
    -- the rows and would make two runs on the same inbox differ in the last digit
    cast(sum(gyldige.vaegt_eksakt) as double) as sum_vaegt,
    cast(sum(gyldige.vaegt_eksakt * gyldige.vaegt_eksakt) as double) as sum_vaegt_kvadreret,
    cast(sum(case when gyldige.svar <= 2 then gyldige.vaegt_eksakt else 0 end) as double) as sum_vaegt_tryg
from gyldige
inner join {{ ref('int_respondenter_placeret') }} as placeret
    on
        gyldige.aar = placeret.aar
        and gyldige.respondent_id = placeret.respondent_id
group by placeret.omraade_kode, gyldige.aar, gyldige.maal
