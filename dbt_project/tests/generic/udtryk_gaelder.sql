{#- A boolean SQL expression holds on every row (NULL counts as a failure). -#}
{% test udtryk_gaelder(model, udtryk) %}
select *
from {{ model }}
where not coalesce(({{ udtryk }}), false)
{% endtest %}
