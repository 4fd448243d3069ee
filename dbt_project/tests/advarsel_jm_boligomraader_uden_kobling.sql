{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_survey_jm__boligomraader'}}}) }}
-- The national survey publishes a housing-area name that seed jm_boligomraader does not map: its share is
-- left out of fct_tryghed until the seed is extended.
select jm.aar, jm.boligomraade, jm.kildefil, jm.kildelinje
from {{ ref('stg_survey_jm__boligomraader') }} as jm
anti join {{ ref('jm_boligomraader') }} as kobling
    on jm.boligomraade_normaliseret = {{ normaliser_navn('kobling.boligomraade') }}
