-- Reports that later police deliveries corrected, counted by year, the year before the correction, the
-- delivery file that brought the latest version, and what changed: the release manifest's "revisioner"
-- and the run summary (which reads the manifest, not the working database). No journal numbers.
select
    aar,
    forrige_aar,
    kildefil,
    omklassificeret,
    flyttet_aar,
    count(*) as antal
from {{ ref('int_anmeldelser_revisioner') }}
group by all
