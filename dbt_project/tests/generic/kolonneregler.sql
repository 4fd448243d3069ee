{#- Every rule of one model in one test node (macro kolonneregler_sql): the rules stand beside the columns
    they concern in the YAML, `config: {meta: {regler: [...]}}` for kolonneregler (an error fails the
    build) and `advarsler: [...]` for kolonneadvarsler (a warning); row rules over several columns in the
    model's own `config: {meta: {regler: [{udtryk_gaelder: "..."}]}}`. One row per broken rule and row. -#}
{% test kolonneregler(model) %}
{{ kolonneregler_sql(model, 'regler') }}
{% endtest %}

{% test kolonneadvarsler(model) %}
{{ config(severity='warn') }}
{{ kolonneregler_sql(model, 'advarsler') }}
{% endtest %}
