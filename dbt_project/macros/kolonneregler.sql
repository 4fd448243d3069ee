{#- The SQL of the generic tests kolonneregler / kolonneadvarsler (tests/generic/kolonneregler.sql): one
    test node per model instead of one per rule (dbt spends ~15–30 ms of its own on every node), with the
    rules still written beside the columns they concern (decision 71):

        - name: fct_tryghed
          config: {meta: {noegle: [aar, omraade_kode], regler: [{udtryk_gaelder: "andel is null or ..."}]}}
          data_tests: [kolonneregler]
          columns:
            - name: kilde
              config: {meta: {regler: [not_null, {accepted_values: [kk, jm]}]}}

    A column rule is a name or {name: arguments}: not_null, unique, {accepted_values: [values]} (compared
    as text, like dbt's accepted_values; {accepted_values: {values: [...], quote: false}} compares them
    as SQL literals), {mellem: {min_value: a, max_value: b}}. A row rule (the model's own meta) is
    {udtryk_gaelder: "a boolean SQL expression"}. The semantics are those of the one-rule tests they
    replace: NULL passes accepted_values, mellem and unique; an expression must be true (NULL fails).

    The query is a UNION ALL of one predicate per rule; each row is one broken rule on one row: regel,
    kolonne (empty for an expression), krav (the rule's arguments as JSON, which the Danish message of
    orchestration/dbt_messages.py is made from), vaerdi (the value as text) and the model's key columns
    (its meta `noegle`: e.g. aar, omraade_kode; kildefil, kildelinje in staging). -#}
{% macro kolonneregler_sql(model, meta_key) %}
    {%- set branches = [] -%}
    {%- if execute -%}
        {%- set node = kolonneregler_node(model) -%}
        {%- set model_meta = kolonneregler_meta(node) -%}
        {%- set noegle = model_meta.get('noegle') or [] -%}
        {%- for column in node.columns.values() -%}
            {%- for rule in kolonneregler_meta(column).get(meta_key) or [] -%}
                {%- do branches.append(kolonneregel(model, node.name, column.name, rule, noegle)) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- for rule in model_meta.get(meta_key) or [] -%}
            {%- if rule is mapping and rule | length == 1 and rule.udtryk_gaelder is string -%}
                {%- do branches.append(kolonneregel_gren(model, 'udtryk_gaelder', none, rule.udtryk_gaelder, 'null',
                    'not coalesce((' ~ rule.udtryk_gaelder ~ '), false)', noegle)) -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error(node.name ~ ": a model's own rule is {udtryk_gaelder: \"...\"}, not "
                    ~ rule ~ " (column rules go with their column)") }}
            {%- endif -%}
        {%- endfor -%}
        {%- if not branches -%}
            {{ exceptions.raise_compiler_error(
                "the test on " ~ node.name ~ " finds no rules: give its columns `config: {meta: {"
                ~ meta_key ~ ": [...]}}`, or remove the test") }}
        {%- endif -%}
    {%- else -%}
        {#- parsing: only the ref matters -#}
        {%- do branches.append(kolonneregel_gren(model, 'parse', none, none, 'null', 'false', [])) -%}
    {%- endif -%}
    {{ branches | join('\nunion all\n') }}
{% endmacro %}


{#- A node's or a column's meta (dbt 1.10+ keeps it under config; older YAML at the top). -#}
{% macro kolonneregler_meta(properties) %}
    {{ return((properties.get('config') or {}).get('meta') or properties.get('meta') or {}) }}
{% endmacro %}


{#- The graph's node (with its columns and meta) of the relation a generic test runs on. -#}
{% macro kolonneregler_node(model) %}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type in ('model', 'seed', 'snapshot')
              and (node.alias or node.name) | lower == model.identifier | lower
              and node.schema | lower == model.schema | lower -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("kolonneregler: no model for " ~ model ~ " (a `where` config is not supported)") }}
{% endmacro %}


{#- One rule of one column as one SELECT of its broken rows. -#}
{% macro kolonneregel(model, model_name, column, rule, noegle) %}
    {%- if rule is string -%}
        {%- set name, args = rule, none -%}
    {%- elif rule is mapping and rule | length == 1 -%}
        {%- set name = (rule.keys() | list)[0] -%}
        {%- set args = rule[name] -%}
    {%- else -%}
        {%- set name, args = none, none -%}
    {%- endif -%}
    {%- set value = column -%}
    {%- if name == 'accepted_values' and args is mapping and 'values' in args -%}
        {%- set values, quote = args['values'], args.get('quote', true) -%}
    {%- elif name == 'accepted_values' and args is sequence and args is not string and args is not mapping -%}
        {%- set values, quote = args, true -%}
    {%- else -%}
        {%- set values, quote = none, true -%}
    {%- endif -%}
    {%- if name == 'not_null' and args is none -%}
        {{ return(kolonneregel_gren(model, name, column, none, 'null', column ~ ' is null', noegle)) }}
    {%- elif name == 'unique' and args is none -%}
        {{ return(kolonneregel_gren(model, name, column, none, value,
            column ~ ' in (select ' ~ column ~ ' from ' ~ model ~ ' where ' ~ column ~ ' is not null group by '
            ~ column ~ ' having count(*) > 1)', noegle)) }}
    {%- elif values is not none -%}
        {%- set literals = [] -%}
        {%- for v in values -%}
            {%- do literals.append("'" ~ (v | string | replace("'", "''")) ~ "'" if quote else v | string) -%}
        {%- endfor -%}
        {{ return(kolonneregel_gren(model, name, column, values | list, value,
            column ~ ' not in (' ~ literals | join(', ') ~ ')', noegle)) }}
    {%- elif name == 'mellem' and args is mapping and 'min_value' in args and 'max_value' in args -%}
        {{ return(kolonneregel_gren(model, name, column, args, value,
            column ~ ' < ' ~ args.min_value ~ ' or ' ~ column ~ ' > ' ~ args.max_value, noegle)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            model_name ~ "." ~ column ~ ": unknown rule " ~ rule ~ " (a rule is not_null, unique, {accepted_values: "
            ~ "[...]} or {mellem: {min_value: a, max_value: b}})") }}
    {%- endif -%}
{% endmacro %}


{#- The SELECT of one rule: the rows where `hvor` holds are the broken ones. -#}
{% macro kolonneregel_gren(model, regel, kolonne, krav, vaerdi, hvor, noegle) %}
    {%- set kolonne_sql = "'" ~ kolonne ~ "'" if kolonne else 'null' -%}
    {%- set krav_sql = "'" ~ (tojson(krav) | replace("'", "''")) ~ "'" if krav is not none else 'null' -%}
select
    '{{ regel }}' as regel,
    cast({{ kolonne_sql }} as varchar) as kolonne,
    cast({{ krav_sql }} as varchar) as krav,
    cast({{ vaerdi }} as varchar) as vaerdi{% for k in noegle %},
    {{ k }}{% endfor %}
from {{ model }}
where {{ hvor }}
{% endmacro %}
