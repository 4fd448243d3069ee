-- The core figures of the indicator pipeline, computed straight on the inbox's extracts by one hand-written
-- DuckDB script: the practical limit the pipeline is measured against (bench/run_bench.py, variant c).
--   * reports per year, area and group (fct_kriminalitet.antal_anmeldelser)
--   * weighted safety shares per year, area and measure (fct_tryghed.andel, city survey, respondent data)
-- The same definitions as ../shared/docs/indicators.md: the latest delivery of a report wins; the
-- municipality counts every report with kommunekode 101, lower levels only reports whose point lies in the
-- area's polygon; respondents with a coordinate are placed by polygon, those without count in their
-- district (bydel_nr) and everyone counts in the municipality; share = weighted 1-2 among 1-5.
-- {inbox} and {seeds} are filled in by bench/core_duckdb.py; spatial is loaded by it.

create temp table omraader as
select omraade_kode, niveau, bydel_nr, geom
from st_read('{inbox}/geo/omraader.geojson');

create temp table koder as
select * from read_csv('{seeds}/gerningskoder.csv', delim = ';', header = true, all_varchar = true);

create temp table anmeldelser as
select aar, journalnr, gerningskode, kommunekode, x, y
from (
    select
        year(anmeldt_dato) as aar, journalnr, gerningskode, kommunekode, x_utm32 as x, y_utm32 as y
    from read_csv('{inbox}/police/anmeldelser_*.csv*', delim = ';', header = true, union_by_name = true,
                  columns = {{'journalnr': 'VARCHAR', 'anmeldt_dato': 'DATE', 'gerning_fra': 'VARCHAR',
                             'gerning_til': 'VARCHAR', 'gerningskode': 'INTEGER',
                             'gerningskode_tekst': 'VARCHAR', 'kommunekode': 'INTEGER',
                             'x_utm32': 'DOUBLE', 'y_utm32': 'DOUBLE', 'leveret_dato': 'DATE'}})
    qualify row_number() over (partition by journalnr order by leveret_dato desc) = 1
);

-- each distinct point once, in every area below the municipality whose polygon contains it
create temp table steder as
select p.x, p.y, o.omraade_kode
from (select distinct x, y from anmeldelser where x is not null and y is not null) as p
join omraader as o on st_contains(o.geom, st_point(p.x, p.y))
where o.niveau <> 'kommune';

create temp table grupper as
select cast(gerningskode as integer) as gerningskode, 'borgervendt_i_alt' as gruppe from koder where borgervendt = '1'
union all select cast(gerningskode as integer), 'sagsomraade_' || trim(sagsomraade) from koder where nullif(trim(sagsomraade), '') is not null
union all select cast(gerningskode as integer), 'fokus_' || trim(fokus) from koder where nullif(trim(fokus), '') is not null
union all select cast(gerningskode as integer), 'overvaagning_' || trim(overvaagning) from koder where nullif(trim(overvaagning), '') is not null;

create temp table anmeldelser_grupper as
select a.aar, a.x, a.y, a.kommunekode, coalesce(g.gruppe, 'ikke_kortlagt') as gruppe
from anmeldelser as a
left join grupper as g using (gerningskode);

create temp table kriminalitet as
select aar, cast(kommunekode as varchar) as omraade_kode, gruppe, count(*) as antal
from anmeldelser_grupper
group by all
union all
select a.aar, s.omraade_kode, a.gruppe, count(*) as antal
from anmeldelser_grupper as a
join steder as s on a.x = s.x and a.y = s.y
group by all;

create temp table svar as
select
    row_number() over () as rid, aar, bydel_nr, x_utm32 as x, y_utm32 as y,
    cast(replace(vaegt, ',', '.') as double) as vaegt,
    cast(tryg_nabolag as integer) as nabolag,
    cast(tryg_aften_nat as integer) as aften_nat
from read_csv('{inbox}/survey_kk/tryghedsundersoegelse_*.csv', delim = ';', header = true,
              columns = {{'aar': 'INTEGER', 'respondent_id': 'VARCHAR', 'bydel_nr': 'INTEGER', 'x_utm32': 'DOUBLE',
                         'y_utm32': 'DOUBLE', 'vaegt': 'VARCHAR', 'tryg_nabolag': 'INTEGER',
                         'tryg_aften_nat': 'INTEGER', 'koen': 'VARCHAR', 'aldersgruppe': 'VARCHAR'}});

create temp table respondent_omraade as
-- by coordinate (every level below the municipality)
select s.rid, o.omraade_kode
from svar as s
join omraader as o on st_contains(o.geom, st_point(s.x, s.y))
where s.x is not null and o.niveau <> 'kommune'
union all
-- without a coordinate: the district by number
select s.rid, o.omraade_kode
from svar as s
join omraader as o on o.niveau = 'bydel' and o.bydel_nr = s.bydel_nr
where s.x is null
union all
-- everyone: the municipality
select rid, '101' from svar;

create temp table tryghed as
with lang as (
    select aar, rid, vaegt, 'nabolag' as maal, nabolag as svar from svar
    union all
    select aar, rid, vaegt, 'aften_nat', aften_nat from svar
)
select
    cast(l.aar as bigint) as aar, ro.omraade_kode, l.maal,
    count(*) as antal_svar,
    coalesce(sum(l.vaegt) filter (where l.svar <= 2), 0) / sum(l.vaegt) as andel
from lang as l
join respondent_omraade as ro using (rid)
where l.svar between 1 and 5
group by all;
