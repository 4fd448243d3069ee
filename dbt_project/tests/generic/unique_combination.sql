{#- The combination of columns is unique. NULLs compare equal (GROUP BY semantics), which is what we
    want for e.g. the activities' total row whose indsatsomraade is NULL. -#}
{% test unique_combination(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as antal_raekker
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
