-- Each version of the baseline has exactly the agreement's four rows.
select version, count(*) as antal_raekker
from {{ ref('baseline_2024') }}
group by version
having count(*) <> 4
