{#
  The run's window of years (Dagster's yearly partitions): a partitioned run rebuilds only the rows of these
  years in the yearly marts; the others stay as the last run left them.

  The window comes as the vars `fra_aar` and `til_aar` (assets/foundation/settings.py, Settings.dbt_vars).
  Vars take part in dbt's partial-parse check, so a run whose window differs from the previous one parses
  the project again (~3 s); `tryghed run` always passes the whole range.
#}
{% macro aarsvindue() -%}
    {{ return([var('fra_aar') | int, var('til_aar') | int]) }}
{%- endmacro %}

{#
  Only an existing table is filled by years: when a yearly mart does not exist yet (a new warehouse, a new
  mart) or is rebuilt whole, it gets every year, so a first backfill never publishes only its own range.
#}
{% macro i_aarsvindue(kolonne='aar') -%}
    {%- if is_incremental() -%}
        {%- set vindue = aarsvindue() -%}
        {{ kolonne }} between {{ vindue[0] }} and {{ vindue[1] }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# pre-hook of the yearly marts: the window's rows go, the model inserts them anew (append) #}
{% macro slet_aarsvindue() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ i_aarsvindue('aar') }}
    {%- endif -%}
{%- endmacro %}
