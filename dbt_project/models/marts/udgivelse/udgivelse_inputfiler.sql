-- Every inbox file that went into this run, with its sha256 and row count, from the raw tables' lineage
-- columns: the release manifest's list of input files. The raw tables are found in the database when the
-- model runs (every source the loaders wrote), so a new source needs no change here.
{%- set tabeller = [] -%}
{%- if execute -%}
    {%- set fundet = run_query(
        "select table_name from duckdb_tables() where schema_name = 'raw' order by table_name"
    ) -%}
    {%- set tabeller = fundet.columns[0].values() -%}
{%- endif %}
{% for tabel in tabeller %}
    select
        '{{ tabel }}' as kilde,
        kildefil,
        kilde_sha256,
        count(*) as raekker
    from raw.{{ tabel }}
    group by all
    union all
{% endfor %}
-- typed and empty: the union's end, and the whole model when no raw table exists yet
select
    null::varchar as kilde,
    null::varchar as kildefil,
    null::varchar as kilde_sha256,
    null::bigint as raekker
where false
