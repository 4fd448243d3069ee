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
    select * from svar
    where svar between 1 and 5
)

select
    placeret.omraade_kode,
    cast(gyldige.aar as bigint) as aar,
    gyldige.maal,
    count(*) as antal_svar,
    sum(gyldige.vaegt) as sum_vaegt,
    sum(gyldige.vaegt * gyldige.vaegt) as sum_vaegt_kvadreret,
    sum(case when gyldige.svar <= 2 then gyldige.vaegt else 0 end) as sum_vaegt_tryg
from gyldige
inner join {{ ref('int_respondenter_placeret') }} as placeret
    on
        gyldige.aar = placeret.aar
        and gyldige.respondent_id = placeret.respondent_id
group by placeret.omraade_kode, gyldige.aar, gyldige.maal
