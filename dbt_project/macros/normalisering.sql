{#-
    One normalisation for every name we match on (partners, the national survey's area names, housing
    organisations): case and spacing must never make two names out of one.
-#}
{% macro normaliser_navn(x) -%}
    lower(trim(regexp_replace({{ x }}, '\s+', ' ', 'g')))
{%- endmacro %}

{#- Housing department numbers arrive as text ('0012', '12', ' 12 '): compare without leading zeros. -#}
{% macro normaliser_afdelingsnr(x) -%}
    coalesce(nullif(ltrim(trim(cast({{ x }} as varchar)), '0'), case when trim(cast({{ x }} as varchar)) <> '' then '0' end))
{%- endmacro %}
