{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue() }}") }}
-- depends_on: {{ ref('int_anmeldelser_leveringskonflikter') }}
-- Coverage of the police extract against Danmarks Statistik's STRAF11 for the municipality: per year
-- and STRAF11 offence code, DST's count beside the extract's count for the same code group.
with straf11 as (
    select
        *,
        coalesce(kvartal, cast(ceil(maaned / 3.0) as integer)) as kvartal_afledt
    from {{ ref('stg_dst__straf11') }}
    where aar is not null
),

kommuner as (
    select omraade_kode from {{ ref('int_omraader') }}
    where niveau = 'kommune'
),

-- quarterly (or monthly) rows are used where the export has them; a yearly figure only otherwise,
-- so a file with both never double-counts
pr_aar as (
    select
        straf11.aar,
        straf11.omraade as omraade_kode,
        straf11.overtraed as overtraedelse_kode,
        bool_or(straf11.kvartal_afledt is not null) as har_kvartaler,
        sum(straf11.indhold) filter (where straf11.kvartal_afledt is not null) as antal_kvartalsvis,
        count(distinct straf11.kvartal_afledt) filter (where straf11.indhold is not null) as kvartaler_med_vaerdi,
        sum(straf11.indhold) filter (where straf11.kvartal_afledt is null) as antal_aarligt
    from straf11
    inner join kommuner on straf11.omraade = kommuner.omraade_kode
    group by all
),

dst as (
    select
        aar,
        omraade_kode,
        overtraedelse_kode,
        case when har_kvartaler then antal_kvartalsvis else antal_aarligt end as antal_dst,
        case
            when har_kvartaler then kvartaler_med_vaerdi
            when antal_aarligt is not null then 4
            else 0
        end as antal_kvartaler
    from pr_aar
),

-- reports per year, municipality and offence code (a few thousand rows, whatever the extract's size; counted
-- once, by year, in int_kriminalitet_koder),
-- with the code's STRAF11 top group from the mapping (seed gerningskoder, column straf11)
anmeldelser as (
    select
        anmeldelser.aar,
        anmeldelser.omraade_kode,
        cast(anmeldelser.gerningskode as varchar) as gerningskode,
        cast(koder.straf11 as varchar) as straf11_gruppe,
        sum(anmeldelser.antal_anmeldelser) filter (where anmeldelser.gerningskode is not null) as antal
    from {{ ref('int_kriminalitet_koder') }} as anmeldelser
    left join {{ ref('gerningskoder') }} as koder on anmeldelser.gerningskode = koder.gerningskode
    where anmeldelser.opgjort_efter = 'kommunekode'
    group by all
),

-- the years the police extract covers (decision 11): the years its files are named for
politiaar as (
    select aar from {{ ref('int_leverancer') }}
    where kilde = 'politi'
),

-- Decision 16: a police code counts under STRAF11 code C when C is TOT, when C is the code's straf11
-- group ('1' straffelov, '2' faerdselslov, '3' saerlove), or when its group is '1' and the code starts
-- with C ('12' violence, '1320' burglary in dwellings: sub-groups of the penal code only). A code not in
-- the mapping has no group and counts only under TOT.
politi as (
    select
        dst.aar,
        dst.omraade_kode,
        dst.overtraedelse_kode,
        cast(coalesce(sum(anmeldelser.antal), 0) as bigint) as antal_politiudtraek
    from dst
    left join anmeldelser
        on
            dst.aar = anmeldelser.aar
            and dst.omraade_kode = anmeldelser.omraade_kode
            and (
                dst.overtraedelse_kode = 'TOT'
                or dst.overtraedelse_kode = anmeldelser.straf11_gruppe
                or (
                    anmeldelser.straf11_gruppe = '1'
                    and regexp_full_match(dst.overtraedelse_kode, '1\d+')
                    and starts_with(anmeldelser.gerningskode, dst.overtraedelse_kode)
                )
            )
    group by all
)

select
    cast(dst.aar as bigint) as aar,
    dst.omraade_kode,
    dst.overtraedelse_kode,
    cast(dst.antal_dst as double) as antal_dst,
    cast(dst.antal_kvartaler as bigint) as antal_kvartaler,
    dst.antal_kvartaler = 4 as komplet,
    -- empty for years the police extract does not cover, and for codes that are not numeric groups
    cast(case
        when
            politiaar.aar is not null
            and (dst.overtraedelse_kode = 'TOT' or regexp_full_match(dst.overtraedelse_kode, '\d+'))
            then politi.antal_politiudtraek
    end as bigint) as antal_politiudtraek,
    cast(case
        when
            politiaar.aar is not null
            and (dst.overtraedelse_kode = 'TOT' or regexp_full_match(dst.overtraedelse_kode, '\d+'))
            then politi.antal_politiudtraek / nullif(dst.antal_dst, 0)
    end as double) as daekning
from dst
left join politiaar on dst.aar = politiaar.aar
left join politi
    on
        dst.aar = politi.aar
        and dst.omraade_kode = politi.omraade_kode
        and dst.overtraedelse_kode = politi.overtraedelse_kode
where {{ i_aarsvindue('dst.aar') }}
