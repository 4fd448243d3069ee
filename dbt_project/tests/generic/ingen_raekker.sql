{#- The model must be empty: used on models that list contract violations (each row names the file and
    line), so the failing test's rows tell the data team exactly what to fix. -#}
{% test ingen_raekker(model) %}
select * from {{ model }}
{% endtest %}
