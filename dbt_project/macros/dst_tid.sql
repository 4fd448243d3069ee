{#- Danmarks Statistik time codes: '2024' (year), '2024K1' (quarter), '2024M01' (month). -#}
{% macro dst_aar(tid) -%}
    try_cast(regexp_extract(upper(trim({{ tid }})), '^(\d{4})', 1) as integer)
{%- endmacro %}

{% macro dst_kvartal(tid) -%}
    try_cast(nullif(regexp_extract(upper(trim({{ tid }})), '^\d{4}K([1-4])$', 1), '') as integer)
{%- endmacro %}

{% macro dst_maaned(tid) -%}
    try_cast(nullif(regexp_extract(upper(trim({{ tid }})), '^\d{4}M(\d{2})$', 1), '') as integer)
{%- endmacro %}
