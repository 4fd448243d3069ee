{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'stg_partnerskaber__lbf_afdelinger'}}}) }}
-- Every department in a partnership's lbf_afdelinger points to an existing housing area (niveau boligomraade).
select kobling.*
from {{ ref('stg_partnerskaber__lbf_afdelinger') }} as kobling
left join {{ ref('int_omraader') }} as omraader
    on kobling.omraade_kode = omraader.omraade_kode
    and omraader.niveau = 'boligomraade'
where omraader.omraade_kode is null
    and exists (select 1 from {{ ref('int_omraader') }})
