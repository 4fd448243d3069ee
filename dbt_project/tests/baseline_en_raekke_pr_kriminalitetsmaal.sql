{{ config(meta={'dagster': {'ref': {'name': 'baseline'}}}) }}
-- Each version of a partnership's baseline has exactly one row per crime goal of its file (Amager: the
-- agreement's four rows).
with maal as (
    select
        partnerskab_kode,
        count(*) as antal_maal
    from {{ ref('stg_partnerskaber__maal') }}
    where art = 'kriminalitet'
    group by partnerskab_kode
)

select
    baseline.partnerskab_kode,
    baseline.version,
    count(*) as antal_raekker
from {{ ref('baseline') }} as baseline
inner join maal on baseline.partnerskab_kode = maal.partnerskab_kode
group by baseline.partnerskab_kode, baseline.version
having count(*) <> any_value(maal.antal_maal)
