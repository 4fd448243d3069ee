-- One row per activity with its number of distinct normalised partners. Names are split on ',',
-- normalised (case, spacing) and mapped through the aliases of the activity's partnership (its file's
-- parter); a name not listed counts as itself, so "KAB", "3B (KAB)" and " 3b " are one party, and an
-- unknown partner still counts. Activities of no configured partnership are left out.
with aktiviteter as (
    select * from {{ ref('stg_tryghedsplan__aktiviteter') }}
    where partnerskab_kode is not null
),

alias as (
    select
        partnerskab_kode,
        alias_normaliseret,
        partner_normaliseret
    from {{ ref('stg_partnerskaber__partnere') }}
),

navne as (
    select
        partnerskab_kode,
        aar,
        aktivitet_id,
        {{ normaliser_navn('navn') }} as navn_normaliseret
    from aktiviteter,
        unnest(string_split(coalesce(partnere, ''), ',')) as t (navn)
),

partnere as (
    select
        navne.partnerskab_kode,
        navne.aar,
        navne.aktivitet_id,
        coalesce(alias.partner_normaliseret, navne.navn_normaliseret) as partner
    from navne
    left join alias
        on
            navne.partnerskab_kode = alias.partnerskab_kode
            and navne.navn_normaliseret = alias.alias_normaliseret
    where navne.navn_normaliseret <> ''
),

pr_aktivitet as (
    select
        partnerskab_kode,
        aar,
        aktivitet_id,
        count(distinct partner) as antal_partnere,
        string_agg(distinct partner, ', ' order by partner) as partnere_normaliseret
    from partnere
    group by partnerskab_kode, aar, aktivitet_id
)

select
    aktiviteter.partnerskab_kode,
    aktiviteter.aar,
    aktiviteter.aktivitet_id,
    aktiviteter.titel,
    aktiviteter.indsatsomraade,
    aktiviteter.budget_kr,
    aktiviteter.status,
    cast(coalesce(pr_aktivitet.antal_partnere, 0) as bigint) as antal_partnere,
    pr_aktivitet.partnere_normaliseret
from aktiviteter
left join pr_aktivitet
    on
        aktiviteter.partnerskab_kode = pr_aktivitet.partnerskab_kode
        and aktiviteter.aar = pr_aktivitet.aar
        and aktiviteter.aktivitet_id = pr_aktivitet.aktivitet_id
