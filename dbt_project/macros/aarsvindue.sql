{#
  The run's window of years (Dagster's yearly partitions): a partitioned run rebuilds only the rows of these
  years in the yearly marts; the others stay as the last run left them.

  The window comes as the vars `fra_aar` and `til_aar` (assets/foundation/settings.py, Settings.dbt_vars).
  Vars take part in dbt's partial-parse check, so a run whose window differs from the previous one parses
  the project again (~3 s); `tryghed run` always passes the whole range.
#}
{#
  Decision 17: years that depend on other years are recomputed with them. A mart whose row for year Y reads
  the following `efterfoelgende` years' data (e.g. the change on the previous year reads Y−1, so a new Y−1
  changes Y's row) widens the window by that many years; a mart whose every row reads an anchor year (the
  baseline year, the reference year of the long-run test) is rebuilt whole when the anchor is in the window.
  So a partial run gives the same marts as a full one.
#}
{% macro aarsvindue(efterfoelgende=0, ankre=[]) -%}
    {%- set fra = var('fra_aar') | int -%}
    {%- set til = var('til_aar') | int -%}
    {%- set ns = namespace(fra=fra, til=til + efterfoelgende) -%}
    {%- for anker in ankre -%}
        {%- if fra <= (anker | int) <= til -%}
            {%- set ns.fra = var('foerste_aar') | int -%}
            {%- set ns.til = 9999 -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return([ns.fra, [ns.til, 9999] | min]) }}
{%- endmacro %}

{#
  Only an existing table is filled by years: when a yearly mart does not exist yet (a new warehouse, a new
  mart) or is rebuilt whole, it gets every year, so a first backfill never publishes only its own range.
#}
{% macro i_aarsvindue(kolonne='aar', efterfoelgende=0, ankre=[]) -%}
    {%- if is_incremental() -%}
        {%- set vindue = aarsvindue(efterfoelgende, ankre) -%}
        {{ kolonne }} between {{ vindue[0] }} and {{ vindue[1] }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# pre-hook of the yearly marts: the window's rows go, the model inserts them anew (append) #}
{% macro slet_aarsvindue(efterfoelgende=0, ankre=[]) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ i_aarsvindue('aar', efterfoelgende, ankre) }}
    {%- endif -%}
{%- endmacro %}

{#
  Every baseline year in use: the setting baseline_aar (the shared baseline_2024_* columns) and each
  configured partnership's own (decision 18), read from the table the partnerships step wrote. A run whose
  window holds any of them rebuilds the marts that carry baselines whole (decision 17).
#}
{% macro baseline_aarene() -%}
    {%- set aarene = [var('baseline_aar') | int] -%}
    {%- if execute -%}
        {%- set raekker = run_query("select distinct baseline_aar from partnerskaber.partnerskaber order by 1") -%}
        {%- for raekke in raekker -%}
            {%- if (raekke[0] | int) not in aarene -%}{%- do aarene.append(raekke[0] | int) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(aarene) }}
{%- endmacro %}
