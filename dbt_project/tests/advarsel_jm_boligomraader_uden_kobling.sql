{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_survey_jm__boligomraader'}}}) }}
-- The national survey publishes a housing-area name that no partnership's file maps: its share is
-- left out of fct_tryghed until a file names it.
select jm.aar, jm.boligomraade, jm.kildefil, jm.kildelinje
from {{ ref('stg_survey_jm__boligomraader') }} as jm
anti join {{ ref('stg_partnerskaber__jm_boligomraader') }} as kobling
    on jm.boligomraade_normaliseret = kobling.boligomraade_normaliseret
