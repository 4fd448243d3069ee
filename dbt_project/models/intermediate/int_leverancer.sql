-- Which years each source delivers, one row per source × year, from the files in the inbox.
--
-- A source covers the years its files are named for (decision 11); a source without years in its file
-- names (the city's population file, Danmarks Statistik's tables) covers the years in its rows. Police
-- year Y is complete when its main delivery (the file without a suffix) was delivered on or after
-- 1 January Y+1 (decision 10); a year with only suffixed or early deliveries is preliminary. Every other
-- source's year is complete once a file for it is in the inbox, except a DST year with fewer than four
-- quarters.
{%- set fil_aar = "try_cast(regexp_extract(kildefil, '_(\\d{4})(_[^/]*)?\\.(csv|xlsx)(\\.gz)?$', 1) as integer)" -%}
{%- set fil_suffiks = "nullif(regexp_extract(kildefil, '_\\d{4}_([^/]*?)\\.(csv|xlsx)(\\.gz)?$', 1), '')" %}
with politi_filer as (
    select
        kildefil,
        {{ fil_aar }} as aar,
        {{ fil_suffiks }} as suffiks,
        max(leveret_dato) as seneste_leveret,
        count(*) as antal_raekker
    from {{ ref('stg_police__anmeldelser') }}
    group by kildefil
),

politi as (
    select
        'politi' as kilde,
        aar,
        -- decision 10: the main delivery (no suffix) sent after the year makes the year complete
        case
            when bool_or(suffiks is null and seneste_leveret >= make_date(aar + 1, 1, 1)) then 'komplet'
            else 'foreloebig'
        end as status,
        count(*) as antal_filer,
        string_agg(kildefil, ', ' order by kildefil) as filer,
        max(seneste_leveret) as seneste_leveret,
        sum(antal_raekker) as antal_raekker
    from politi_filer
    where aar is not null
    group by aar
),

-- sources named by year: one file per year, complete once it is there
{%- set aarsfiler = [
    ('tryghed_kk', 'stg_survey_kk__respondenter'),
    ('tryghed_jm', 'stg_survey_jm__boligomraader'),
    ('tryghedsplan', 'stg_tryghedsplan__aktiviteter'),
    ('lbf', 'stg_lbf__beboerdata'),
    ('befolkning_kvadratnet', 'stg_kvadratnet__befolkning'),
] %}
aarsfiler as (
    {%- for kilde, model in aarsfiler %}
        select
            '{{ kilde }}' as kilde,
            {{ fil_aar }} as aar,
            'komplet' as status,
            count(distinct kildefil) as antal_filer,
            string_agg(distinct kildefil, ', ' order by kildefil) as filer,
            cast(null as date) as seneste_leveret,
            count(*) as antal_raekker
        from {{ ref(model) }}
        where {{ fil_aar }} is not null
        group by all
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

-- sources without a year in the file name: the years in their rows
befolkning_kk as (
    select
        'befolkning_kk' as kilde,
        aar,
        'komplet' as status,
        count(distinct kildefil) as antal_filer,
        string_agg(distinct kildefil, ', ' order by kildefil) as filer,
        cast(null as date) as seneste_leveret,
        count(*) as antal_raekker
    from {{ ref('stg_kk__befolkning_bydel') }}
    group by aar
),

dst as (
    {%- for kilde, model in [('dst_folk1a', 'stg_dst__folk1a'), ('dst_straf11', 'stg_dst__straf11')] %}
        select
            '{{ kilde }}' as kilde,
            aar,
            -- a year given by quarters is complete with all four (a yearly figure is complete by itself)
            case
                when
                    count(distinct kvartal) filter (where indhold is not null) = 4
                    or count(*) filter (where kvartal is null and maaned is null and indhold is not null) > 0
                    then 'komplet'
                else 'foreloebig'
            end as status,
            count(distinct kildefil) as antal_filer,
            string_agg(distinct kildefil, ', ' order by kildefil) as filer,
            cast(null as date) as seneste_leveret,
            count(*) as antal_raekker
        from {{ ref(model) }}
        where aar is not null
        group by aar
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from politi
union all
select * from aarsfiler
union all
select * from befolkning_kk
union all
select * from dst
