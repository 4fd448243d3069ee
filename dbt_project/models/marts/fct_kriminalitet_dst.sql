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

-- reports per year, municipality and offence code (a few thousand rows, whatever the extract's size)
anmeldelser as (
    select
        aar,
        cast(kommunekode as varchar) as omraade_kode,
        cast(gerningskode as varchar) as gerningskode,
        count(gerningskode) as antal
    from {{ ref('int_anmeldelser_dedupliceret') }}
    group by all
),

politiaar as (
    select
        min(aar) as foerste,
        max(aar) as sidste
    from anmeldelser
),

-- STRAF11 codes are hierarchical: TOT = every code, '1' = codes starting with 1, '12' = codes starting
-- with 12, '1320' = exactly 1320 (the police codes have four digits)
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
                or (regexp_full_match(dst.overtraedelse_kode, '\d+') and starts_with(anmeldelser.gerningskode, dst.overtraedelse_kode))
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
            dst.aar between politiaar.foerste and politiaar.sidste
            and (dst.overtraedelse_kode = 'TOT' or regexp_full_match(dst.overtraedelse_kode, '\d+'))
            then politi.antal_politiudtraek
    end as bigint) as antal_politiudtraek,
    cast(case
        when
            dst.aar between politiaar.foerste and politiaar.sidste
            and (dst.overtraedelse_kode = 'TOT' or regexp_full_match(dst.overtraedelse_kode, '\d+'))
            then politi.antal_politiudtraek / nullif(dst.antal_dst, 0)
    end as double) as daekning
from dst
cross join politiaar
left join politi
    on
        dst.aar = politi.aar
        and dst.omraade_kode = politi.omraade_kode
        and dst.overtraedelse_kode = politi.overtraedelse_kode
where {{ i_aarsvindue('dst.aar') }}
