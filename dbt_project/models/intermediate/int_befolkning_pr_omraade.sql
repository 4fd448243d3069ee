-- Population (1 January) per area and year, one source per row (Decision 3):
--   kommune: FOLK1A quarter 1, totals only                     → befolkning_kilde 'dst'
--   bydel:   the city's district file (sum of persons)         → 'kk'
--   other:   the 100 m grid, cells whose centre lies inside    → 'kvadratnet'
-- Fallbacks when the preferred source lacks the year (not in the contract, documented in the yml):
-- kommune → kk (all districts incl. 99) → grid; bydel → grid.
with folk1a_k1 as (
    select
        omraade,
        aar,
        koen,
        alder,
        coalesce(civilstand, 'TOT') as civilstand,  -- no CIVILSTAND column = already a total
        indhold
    from {{ ref('stg_dst__folk1a') }}
    where kvartal = 1
),

-- FOLK1A's dimensions each hold a total code and its parts. Use the total where the export has it;
-- otherwise sum the finest parts (e.g. an export of single ages by sex without totals). Never both.
folk1a_niveauer as (
    select
        folk1a_k1.omraade,
        folk1a_k1.aar,
        bool_or(folk1a_k1.koen in ('TOT', 'IALT')) as har_koen_total,
        bool_or(folk1a_k1.alder in ('IALT', 'TOT')) as har_alder_total,
        bool_or(folk1a_k1.civilstand in ('TOT', 'IALT')) as har_civilstand_total
    from folk1a_k1
    group by folk1a_k1.omraade, folk1a_k1.aar
),

kommune_dst as (
    select
        folk1a_k1.omraade as omraade_kode,
        folk1a_k1.aar,
        sum(folk1a_k1.indhold) as befolkning
    from folk1a_k1
    inner join folk1a_niveauer on folk1a_k1.omraade = folk1a_niveauer.omraade and folk1a_k1.aar = folk1a_niveauer.aar
    where
        (case when folk1a_niveauer.har_koen_total then folk1a_k1.koen in ('TOT', 'IALT') else folk1a_k1.koen not in ('TOT', 'IALT') end)
        and (case when folk1a_niveauer.har_alder_total then folk1a_k1.alder in ('IALT', 'TOT') else regexp_full_match(folk1a_k1.alder, '\d+') end)
        and (case when folk1a_niveauer.har_civilstand_total then folk1a_k1.civilstand in ('TOT', 'IALT') else folk1a_k1.civilstand not in ('TOT', 'IALT') end)
    group by folk1a_k1.omraade, folk1a_k1.aar
    having count(folk1a_k1.indhold) > 0
),

omraader as (
    select
        omraade_kode,
        niveau,
        bydel_nr
    from {{ ref('int_omraader') }}
),

kk_pr_bydel as (
    select
        aar,
        bydel_nr,
        sum(personer) as befolkning
    from {{ ref('stg_kk__befolkning_bydel') }}
    group by aar, bydel_nr
),

bydel_kk as (
    select
        omraader.omraade_kode,
        kk_pr_bydel.aar,
        kk_pr_bydel.befolkning
    from kk_pr_bydel
    inner join omraader
        on
            omraader.niveau = 'bydel'
            and kk_pr_bydel.bydel_nr = omraader.bydel_nr
),

kommune_kk as (
    select
        omraader.omraade_kode,
        kk_pr_bydel.aar,
        sum(kk_pr_bydel.befolkning) as befolkning
    from kk_pr_bydel
    cross join omraader
    where omraader.niveau = 'kommune'
    group by omraader.omraade_kode, kk_pr_bydel.aar
),

kvadratnet as (
    select * from {{ ref('stg_kvadratnet__befolkning') }}
),

kvadratnet_aar as (
    select distinct aar from kvadratnet
),

-- every area gets every grid year (an area with no inhabited cell has 0 inhabitants, not no data)
kvadratnet_pr_omraade as (
    select
        omraader.omraade_kode,
        kvadratnet_aar.aar,
        coalesce(sum(kvadratnet.personer), 0) as befolkning,
        count(distinct kvadratnet.celle_id) filter (where kvadratnet.undertrykt) as befolkning_undertrykte_celler
    from omraader
    cross join kvadratnet_aar
    left join {{ ref('int_kvadratnet_placeret') }} as placeret
        on omraader.omraade_kode = placeret.omraade_kode
    left join kvadratnet
        on
            placeret.celle_id = kvadratnet.celle_id
            and kvadratnet_aar.aar = kvadratnet.aar
    group by omraader.omraade_kode, kvadratnet_aar.aar
),

kandidater as (
    select
        omraade_kode,
        aar,
        befolkning,
        'dst' as befolkning_kilde,
        null::bigint as befolkning_undertrykte_celler,
        1 as prioritet
    from kommune_dst
    union all
    select
        omraade_kode,
        aar,
        befolkning,
        'kk' as befolkning_kilde,
        null as befolkning_undertrykte_celler,
        2 as prioritet
    from kommune_kk
    union all
    select
        omraade_kode,
        aar,
        befolkning,
        'kk' as befolkning_kilde,
        null as befolkning_undertrykte_celler,
        1 as prioritet
    from bydel_kk
    union all
    select
        omraade_kode,
        aar,
        befolkning,
        'kvadratnet' as befolkning_kilde,
        befolkning_undertrykte_celler,
        9 as prioritet
    from kvadratnet_pr_omraade
)

select
    kandidater.omraade_kode,
    (kandidater.aar)::bigint as aar,
    (kandidater.befolkning)::bigint as befolkning,
    kandidater.befolkning_kilde,
    (kandidater.befolkning_undertrykte_celler)::bigint as befolkning_undertrykte_celler
from kandidater
-- FOLK1A may hold other municipalities and DK total: keep only our areas
inner join omraader on kandidater.omraade_kode = omraader.omraade_kode
qualify row_number() over (partition by kandidater.omraade_kode, kandidater.aar order by kandidater.prioritet) = 1
