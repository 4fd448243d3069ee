{#-
    Statistical helpers for fct_tryghed. DuckDB has no normal CDF, so we build one from the complementary
    error function.

    erfc: Numerical Recipes' `erfcc` (Chebyshev fit), fractional error < 1.2e-7 everywhere. It is used
    instead of Abramowitz–Stegun 7.1.26 because its error is *relative*, so small p-values stay accurate.
    All arguments are SQL expressions; they are wrapped in parentheses because they are repeated.
-#}

{% macro erfc(x) -%}
    (case
        when ({{ x }}) is null then null
        when ({{ x }}) >= 0 then {{ _erfc_positiv(x) }}
        else 2.0 - {{ _erfc_positiv('-(' ~ x ~ ')') }}
    end)
{%- endmacro %}

{% macro _erfc_positiv(x) -%}
    (
        (1.0 / (1.0 + 0.5 * ({{ x }})))
        * exp(
            -({{ x }}) * ({{ x }}) - 1.26551223
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (1.00002368
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.37409196
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.09678418
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-0.18628806
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.27886807
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-1.13520398
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (1.48851587
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-0.82215223
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * 0.17087277))))))))
        )
    )
{%- endmacro %}

{#- Standard normal cumulative distribution function Φ(x). -#}
{% macro normal_cdf(x) -%}
    (0.5 * {{ erfc('-(' ~ x ~ ') / sqrt(2.0)') }})
{%- endmacro %}

{#- Two-sided p-value of a z statistic: 2·(1 − Φ(|z|)) = erfc(|z|/√2). -#}
{#- The erfc approximation overshoots 1 by ~3e-8 at z = 0 (no change at all): a p-value is at most 1
    (DuckDB's least ignores NULL, hence the case). -#}
{% macro p_vaerdi_tosidet(z) -%}
    case when ({{ z }}) is not null then least(1.0, {{ erfc('abs(' ~ z ~ ') / sqrt(2.0)') }}) end
{%- endmacro %}

{#- The two-sided 95 % critical value, written out once. -#}
{% macro z_95() -%}1.959963984540054{%- endmacro %}

{#-
    Wilson score interval for a share p on n (here: Kish's effective sample size).
    centre = (p + z²/2n) / (1 + z²/n); half-width = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
-#}
{% macro wilson_lav(p, n, z=none) -%}
    {%- set z = z or z_95() -%}
    (case when ({{ n }}) > 0 then
        ((({{ p }}) + {{ z }} * {{ z }} / (2.0 * ({{ n }})))
         - {{ z }} * sqrt(({{ p }}) * (1.0 - ({{ p }})) / ({{ n }}) + {{ z }} * {{ z }} / (4.0 * ({{ n }}) * ({{ n }}))))
        / (1.0 + {{ z }} * {{ z }} / ({{ n }}))
    end)
{%- endmacro %}

{% macro wilson_hoej(p, n, z=none) -%}
    {%- set z = z or z_95() -%}
    (case when ({{ n }}) > 0 then
        ((({{ p }}) + {{ z }} * {{ z }} / (2.0 * ({{ n }})))
         + {{ z }} * sqrt(({{ p }}) * (1.0 - ({{ p }})) / ({{ n }}) + {{ z }} * {{ z }} / (4.0 * ({{ n }}) * ({{ n }}))))
        / (1.0 + {{ z }} * {{ z }} / ({{ n }}))
    end)
{%- endmacro %}

{#-
    Decision 4: unpooled two-proportion z statistic on effective sample sizes,
    z = (p1 − p0) / √(p0(1−p0)/n0 + p1(1−p1)/n1). Null when the standard error is 0 or an input is missing.
-#}
{% macro z_to_andele(p1, n1, p0, n0) -%}
    (({{ p1 }}) - ({{ p0 }}))
    / nullif(sqrt(({{ p0 }}) * (1.0 - ({{ p0 }})) / ({{ n0 }}) + ({{ p1 }}) * (1.0 - ({{ p1 }})) / ({{ n1 }})), 0)
{%- endmacro %}
