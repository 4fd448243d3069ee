{%- set maal_standard = var('maal_samarbejde') -%}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ slet_aarsvindue() }}") }}
-- Collaboration in the safety plan: per partnership, year and focus area, plus a total row per
-- partnership and year with indsatsomraade empty (Decision 6). Cancelled activities are left out of every
-- count. The target is the partnership's collaboration goal (its file; the setting maal_samarbejde when
-- it has none).
with aktiviteter as (
    select *
    from {{ ref('int_aktiviteter_partnere') }}
    where status is distinct from 'aflyst'
),

taerskel as (
    select
        p.partnerskab_kode,
        coalesce(min(m.taerskel), {{ maal_standard }}) as maal
    from {{ ref('stg_partnerskaber__partnerskaber') }} as p
    left join {{ ref('stg_partnerskaber__maal') }} as m
        on p.partnerskab_kode = m.partnerskab_kode and m.art = 'samarbejde'
    group by p.partnerskab_kode
),

pr_indsatsomraade as (
    select
        partnerskab_kode,
        aar,
        indsatsomraade,
        false as er_total,
        count(*) as antal_aktiviteter,
        count(*) filter (where antal_partnere >= 2) as antal_med_mindst_2_partnere,
        sum(budget_kr) as budget_kr
    from aktiviteter
    group by partnerskab_kode, aar, indsatsomraade
),

-- the year's total row: indsatsomraade empty (Decision 6)
total as (
    select
        partnerskab_kode,
        aar,
        null as indsatsomraade,
        true as er_total,
        count(*) as antal_aktiviteter,
        count(*) filter (where antal_partnere >= 2) as antal_med_mindst_2_partnere,
        sum(budget_kr) as budget_kr
    from aktiviteter
    group by partnerskab_kode, aar
),

optalt as (
    select * from pr_indsatsomraade
    union all
    select * from total
)

select
    cast(optalt.aar as bigint) as aar,
    cast(optalt.indsatsomraade as bigint) as indsatsomraade,
    case optalt.indsatsomraade
        when 1 then 'Dialog, kommunikation og omdømme'
        when 2 then 'Aktive byrum'
        when 3 then 'Positive fællesskaber'
        when 4 then 'Job og fritid'
    end as indsatsomraade_navn,
    optalt.er_total,
    cast(optalt.antal_aktiviteter as bigint) as antal_aktiviteter,
    cast(optalt.antal_med_mindst_2_partnere as bigint) as antal_med_mindst_2_partnere,
    cast(optalt.antal_med_mindst_2_partnere / nullif(optalt.antal_aktiviteter, 0) as double)
        as andel_mindst_2_partnere,
    cast(optalt.budget_kr as double) as budget_kr,
    cast(taerskel.maal as double) as maal,
    optalt.antal_med_mindst_2_partnere / nullif(optalt.antal_aktiviteter, 0) >= taerskel.maal as maal_opfyldt,
    optalt.partnerskab_kode
from optalt
inner join taerskel on optalt.partnerskab_kode = taerskel.partnerskab_kode
where {{ i_aarsvindue('optalt.aar') }}
