-- Each survey respondent → the areas they count in:
--   * with a coordinate: every area below the municipality whose polygon contains the grid-cell centre;
--   * without one: only their district, via bydel_nr (99 = unknown → no district);
--   * everyone: the municipality (the city's survey covers the whole city, so "all of Copenhagen"
--     is every respondent, placed or not).
with respondenter as (
    select
        aar,
        respondent_id,
        bydel_nr,
        x_utm32,
        y_utm32,
        har_koordinat
    from {{ ref('stg_survey_kk__respondenter') }}
),

omraader as (
    select * from {{ ref('int_omraader') }}
),

punkter as (
    select
        x_utm32 as x,
        y_utm32 as y
    from respondenter
    where har_koordinat
),

placeringer as (
    select *
    from {{ placer_punkter('punkter', "(select * from omraader where niveau <> 'kommune')") }}
),

efter_koordinat as (
    select
        respondenter.aar,
        respondenter.respondent_id,
        placeringer.omraade_kode,
        'koordinat' as placeret_ved
    from respondenter
    inner join placeringer
        on
            respondenter.x_utm32 = placeringer.x
            and respondenter.y_utm32 = placeringer.y
    where respondenter.har_koordinat
),

efter_bydel_nr as (
    select
        respondenter.aar,
        respondenter.respondent_id,
        omraader.omraade_kode,
        'bydel_nr' as placeret_ved
    from respondenter
    inner join omraader
        on
            omraader.niveau = 'bydel'
            and respondenter.bydel_nr = omraader.bydel_nr
    where not respondenter.har_koordinat
),

kommune as (
    select
        respondenter.aar,
        respondenter.respondent_id,
        omraader.omraade_kode,
        'kommune' as placeret_ved
    from respondenter
    cross join omraader
    where omraader.niveau = 'kommune'
)

select * from efter_koordinat
union all
select * from efter_bydel_nr
union all
select * from kommune
