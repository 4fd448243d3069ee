{%- set maal = var('maal_samarbejde') -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue() }}") }}
-- Collaboration in the safety plan: per year and focus area, plus a total row per year with
-- indsatsomraade empty (Decision 6). Cancelled activities are left out of every count.
with aktiviteter as (
    select *
    from {{ ref('int_aktiviteter_partnere') }}
    where status is distinct from 'aflyst'
),

pr_indsatsomraade as (
    select
        aar,
        indsatsomraade,
        false as er_total,
        count(*) as antal_aktiviteter,
        count(*) filter (where antal_partnere >= 2) as antal_med_mindst_2_partnere,
        sum(budget_kr) as budget_kr
    from aktiviteter
    group by aar, indsatsomraade
),

-- the year's total row: indsatsomraade empty (Decision 6)
total as (
    select
        aar,
        null as indsatsomraade,
        true as er_total,
        count(*) as antal_aktiviteter,
        count(*) filter (where antal_partnere >= 2) as antal_med_mindst_2_partnere,
        sum(budget_kr) as budget_kr
    from aktiviteter
    group by aar
),

optalt as (
    select * from pr_indsatsomraade
    union all
    select * from total
)

select
    cast(aar as bigint) as aar,
    cast(indsatsomraade as bigint) as indsatsomraade,
    case indsatsomraade
        when 1 then 'Dialog, kommunikation og omdømme'
        when 2 then 'Aktive byrum'
        when 3 then 'Positive fællesskaber'
        when 4 then 'Job og fritid'
    end as indsatsomraade_navn,
    er_total,
    cast(antal_aktiviteter as bigint) as antal_aktiviteter,
    cast(antal_med_mindst_2_partnere as bigint) as antal_med_mindst_2_partnere,
    cast(antal_med_mindst_2_partnere / nullif(antal_aktiviteter, 0) as double) as andel_mindst_2_partnere,
    cast(budget_kr as double) as budget_kr,
    cast({{ maal }} as double) as maal,
    antal_med_mindst_2_partnere / nullif(antal_aktiviteter, 0) >= {{ maal }} as maal_opfyldt
from optalt
where {{ i_aarsvindue('aar') }}
