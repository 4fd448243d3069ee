{#
  Refresh by delivery (decision 62): the police models that grow with the whole history
  (int_anmeldelser_dedupliceret, int_anmeldelser_gentaget, int_gerningssteder_placeret,
  int_kriminalitet_koder) are incremental. An incremental build reconsiders only the journal numbers in
  int_anmeldelser_aendringer (the reports of new, changed and removed deliveries) and keeps every other row.

  Whether a build may be incremental at all is decided before dbt starts (assets/foundation/refresh.py):
  only when int_anmeldelser_grundlag, the files the previous complete build was made from, carries the
  fingerprint of the current dbt project, vars and loader contract; otherwise the build is a full refresh.
  So the macros below may trust the previous build's tables.
#}

{# The previous build's table of this schema, or none (read by name: it is this run's input, not a ref) #}
{% macro tidligere_tabel(navn) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=navn)) }}
{%- endmacro %}

{#
  True when this build reconsiders every report: int_anmeldelser_aendringer holds its row without a journal
  number (a full build, or no usable previous build, e.g. a plain `dbt build` after a failed one).
#}
{% macro alt_aendret() -%}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {%- set raekker = run_query("select count(*) from " ~ ref('int_anmeldelser_aendringer')
                                ~ " where journalnr is null") -%}
    {{ return(raekker[0][0] > 0) }}
{%- endmacro %}

{# Only the reconsidered reports of `relation` (an alias with a journalnr), on an incremental build #}
{% macro kun_aendrede(alias) -%}
    {%- if execute and is_incremental() and not alt_aendret() -%}
        semi join {{ ref('int_anmeldelser_aendringer') }} as aendringer on {{ alias }}.journalnr = aendringer.journalnr
    {%- endif -%}
{%- endmacro %}

{# pre-hook: the reconsidered reports' rows go; the model inserts them anew (append) #}
{% macro slet_aendrede_anmeldelser() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        {%- if not alt_aendret() %}
            where journalnr in (select journalnr from {{ ref('int_anmeldelser_aendringer') }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#
  The areas' content as one digest: placement and counting start again when an area was added, removed or
  its polygon changed (a partnership's file, the geo files, `--partnerskab`).
#}
{% macro omraader_fingeraftryk() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raekker = run_query(
        "select coalesce(md5(string_agg(concat_ws('|', omraade_kode, niveau, md5(st_astext(geom))), ';'
         order by omraade_kode)), '') from " ~ ref('int_omraader') ~ " where niveau <> 'kommune'") -%}
    {{ return(raekker[0][0]) }}
{%- endmacro %}

{# True when the areas differ from those the previous build placed its points in #}
{% macro omraader_aendret() -%}
    {%- if not execute or not is_incremental() -%}{{ return(true) }}{%- endif -%}
    {%- set grundlag = tidligere_tabel('int_anmeldelser_grundlag') -%}
    {%- if grundlag is none -%}{{ return(true) }}{%- endif -%}
    {%- set raekker = run_query("select distinct omraader_fingeraftryk from " ~ grundlag) -%}
    {%- if raekker | length != 1 -%}{{ return(true) }}{%- endif -%}
    {{ return(raekker[0][0] != omraader_fingeraftryk()) }}
{%- endmacro %}

{#
  The years whose counts an incremental build recounts: the year of every reconsidered report before
  (aar_foer, read from the previous de-duplication) and after this build, so a report revised into
  another year leaves the old year and enters the new one. Returns a list of ints (possibly empty).
#}
{% macro aendrede_aar() -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set raekker = run_query(
        "select aar_foer as aar from " ~ ref('int_anmeldelser_aendringer') ~ " where aar_foer is not null"
        ~ " union select d.aar from " ~ ref('int_anmeldelser_dedupliceret') ~ " as d semi join "
        ~ ref('int_anmeldelser_aendringer') ~ " as a on d.journalnr = a.journalnr order by aar") -%}
    {{ return(raekker.columns[0].values() | map('int') | list) }}
{%- endmacro %}

{# A SQL condition on the year column: the years to recount (none: false) #}
{% macro i_aendrede_aar(kolonne, aarene) -%}
    {%- if aarene | length == 0 -%}false{%- else -%}{{ kolonne }} in ({{ aarene | join(', ') }}){%- endif -%}
{%- endmacro %}

{# pre-hook of int_kriminalitet_koder: the years to recount go (every year when everything is recounted) #}
{% macro slet_optalte_aar() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        {%- if not (omraader_aendret() or alt_aendret()) %}
            where {{ i_aendrede_aar('aar', aendrede_aar()) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
