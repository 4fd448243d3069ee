-- The yearly status for the Finance Committee: one row per partnership, goal and status year, for the
-- partnership's area on its current boundary. Built from the other marts so the status can never disagree
-- with them. The goals, their kinds, the agreement period and the baseline year are each partnership's
-- (its file in partnerskaber/); the projection runs to the last year of its agreement.
--
-- The calendar (indicators.md, decision 9): the status of year Y is presented in spring Y with the city's
-- survey edition Y. Goal 1 is judged on survey Y against Y−1; goal 2 on police year Y−1 (the last whole
-- year) against the baseline; goal 3 on the safety plan of Y−1. maalingsaar names the year used.
-- A status year exists for every survey year with respondent data (decision 14, history included);
-- opfyldt is set only where maalingsaar lies in the agreement period, never on preliminary or missing
-- data, and begrundelse says why in plain Danish.
with status_aar as (
    select aar as status_aar
    from {{ ref('fct_datadaekning') }}
    where kilde = 'tryghed_kk' and status = 'komplet'
),

partnerskaber as (
    select * from {{ ref('stg_partnerskaber__partnerskaber') }}
),

maal as (
    select * from {{ ref('stg_partnerskaber__maal') }}
),

-- every partnership in every status year
partnerskab_aar as (
    select
        partnerskaber.partnerskab_kode,
        partnerskaber.omraade_kode,
        partnerskaber.baseline_aar,
        partnerskaber.aftale_fra,
        partnerskaber.aftale_til,
        status_aar.status_aar
    from partnerskaber
    cross join status_aar
),

-- goal 1: the survey shares of the partnership area and of Copenhagen, respondent data only
tryghed as (
    select
        p.partnerskab_kode,
        t.aar,
        g.maal_id,
        max(t.andel) filter (where t.omraade_kode = p.omraade_kode) as andel,
        max(t.effektiv_n) filter (where t.omraade_kode = p.omraade_kode) as effektiv_n,
        max(t.andel) filter (where t.omraade_kode = '101') as andel_kbh,
        max(t.effektiv_n) filter (where t.omraade_kode = '101') as effektiv_n_kbh,
        bool_or(t.aendring_signifikant) filter (where t.omraade_kode = p.omraade_kode) as aendring_signifikant,
        max(t.p_vaerdi) filter (where t.omraade_kode = p.omraade_kode) as p_vaerdi,
        max(t.datagrundlag) filter (where t.omraade_kode = p.omraade_kode) as datagrundlag
    from {{ ref('fct_tryghed') }} as t
    inner join partnerskaber as p on t.omraade_kode in (p.omraade_kode, '101')
    inner join maal as g
        on
            p.partnerskab_kode = g.partnerskab_kode
            and g.art = 'tryghed'
            and t.maal = g.maaling
    where t.kilde = 'kk'
    group by p.partnerskab_kode, t.aar, g.maal_id
),

-- Decision 13's projection: a weighted least-squares line (weight 1 / variance, variance = p(1−p)/n_eff,
-- known) through the survey years from the baseline year to the status year, for the area and for
-- Copenhagen, evaluated in the last year of the partnership's agreement. Years are centred on that year, so the
-- projection is the line's value at 0 and its variance 1/Σw + x̄²/Sxx.
maalepunkter as (
    select
        partnerskab_kode,
        aar,
        maal_id,
        'omraade' as hvem,
        andel as p,
        effektiv_n as n_eff
    from tryghed
    union all
    select
        partnerskab_kode,
        aar,
        maal_id,
        'kbh' as hvem,
        andel_kbh as p,
        effektiv_n_kbh as n_eff
    from tryghed
),

punkter as (
    select
        partnerskab_aar.partnerskab_kode,
        partnerskab_aar.status_aar,
        maalepunkter.maal_id,
        maalepunkter.hvem,
        cast(maalepunkter.aar - partnerskab_aar.aftale_til as double) as x,
        maalepunkter.p as y,
        maalepunkter.n_eff / (maalepunkter.p * (1 - maalepunkter.p)) as w
    from partnerskab_aar
    inner join maalepunkter
        on
            partnerskab_aar.partnerskab_kode = maalepunkter.partnerskab_kode
            and maalepunkter.aar between partnerskab_aar.baseline_aar and partnerskab_aar.status_aar
    where maalepunkter.p > 0 and maalepunkter.p < 1 and maalepunkter.n_eff > 0
),

summer as (
    select
        partnerskab_kode,
        status_aar,
        maal_id,
        hvem,
        count(*) as antal_aar,
        sum(w) as sw,
        sum(w * x) / sum(w) as x_middel,
        sum(w * y) / sum(w) as y_middel,
        sum(w * x * x) - sum(w * x) * sum(w * x) / sum(w) as sxx,
        sum(w * x * y) - sum(w * x) * sum(w * y) / sum(w) as sxy
    from punkter
    group by all
),

linjer as (
    select
        partnerskab_kode,
        status_aar,
        maal_id,
        hvem,
        y_middel - (sxy / sxx) * x_middel as fremskrevet,
        sqrt(1 / sw + x_middel * x_middel / sxx) as fremskrevet_se
    from summer
    -- with a single year there is no line
    where antal_aar >= 2 and sxx > 0
),

fremskrivning as (
    select
        omr.partnerskab_kode,
        omr.status_aar,
        omr.maal_id,
        omr.fremskrevet,
        omr.fremskrevet_se,
        kbh.fremskrevet as fremskrevet_kbh
    from linjer as omr
    left join linjer as kbh
        on
            omr.partnerskab_kode = kbh.partnerskab_kode
            and omr.status_aar = kbh.status_aar
            and omr.maal_id = kbh.maal_id
            and kbh.hvem = 'kbh'
    where omr.hvem = 'omraade'
),

tryghed_basisaar as (
    select
        tryghed.partnerskab_kode,
        tryghed.maal_id,
        tryghed.andel - tryghed.andel_kbh as afstand_basisaar
    from tryghed
    inner join partnerskaber
        on
            tryghed.partnerskab_kode = partnerskaber.partnerskab_kode
            and tryghed.aar = partnerskaber.baseline_aar
),

tryghed_status as (
    select
        pa.partnerskab_kode,
        pa.status_aar,
        maal.maal_id,
        nu.aar as maalingsaar,
        nu.andel as vaerdi,
        forrige.andel as maalvaerdi,
        forrige.andel as forrige_vaerdi,
        nu.andel_kbh,
        100.0 * (nu.andel - nu.andel_kbh) as afstand_til_kbh,
        100.0 * (abs(nu.andel - nu.andel_kbh) - abs(forrige.andel - forrige.andel_kbh)) as afstand_aendring,
        -- decision 13: a rise, and the gap to Copenhagen did not grow or the area is at Copenhagen's level
        nu.andel > forrige.andel
        and (
            abs(nu.andel - nu.andel_kbh) <= abs(forrige.andel - forrige.andel_kbh)
            or nu.andel >= nu.andel_kbh
        ) as opfyldt_beregnet,
        nu.andel > forrige.andel as steg,
        nu.aendring_signifikant,
        nu.p_vaerdi,
        nu.datagrundlag,
        fremskrivning.fremskrevet,
        fremskrivning.fremskrevet_se,
        fremskrivning.fremskrevet_kbh,
        abs(fremskrivning.fremskrevet - fremskrivning.fremskrevet_kbh) < abs(basis.afstand_basisaar)
            as paa_kurs_2028
    from partnerskab_aar as pa
    inner join maal on pa.partnerskab_kode = maal.partnerskab_kode and maal.art = 'tryghed'
    left join tryghed as nu
        on
            pa.partnerskab_kode = nu.partnerskab_kode
            and pa.status_aar = nu.aar
            and maal.maal_id = nu.maal_id
    left join tryghed as forrige
        on
            pa.partnerskab_kode = forrige.partnerskab_kode
            and pa.status_aar - 1 = forrige.aar
            and maal.maal_id = forrige.maal_id
    left join fremskrivning
        on
            pa.partnerskab_kode = fremskrivning.partnerskab_kode
            and pa.status_aar = fremskrivning.status_aar
            and maal.maal_id = fremskrivning.maal_id
    left join tryghed_basisaar as basis
        on
            pa.partnerskab_kode = basis.partnerskab_kode
            and maal.maal_id = basis.maal_id
),

-- crime goals: fct_kriminalitet's rows for the partnership area, against the partnership's baseline year
-- (decision 18; a frozen version where the team froze one), in the goal's unit (per 1,000 or a count)
kriminalitet as (
    select
        p.partnerskab_kode,
        g.maal_id,
        k.aar,
        case when g.maal_enhed = 'pr_1000' then k.pr_1000 else k.antal_anmeldelser end as vaerdi,
        case when g.maal_enhed = 'pr_1000' then k.baseline_pr_1000 else k.baseline_antal end as maalvaerdi,
        k.foreloebig,
        k.har_levering,
        k.baseline_version,
        k.baseline_fastfrosset
    from {{ ref('fct_kriminalitet') }} as k
    inner join partnerskaber as p on k.omraade_kode = p.omraade_kode
    inner join maal as g
        on
            p.partnerskab_kode = g.partnerskab_kode
            and g.art = 'kriminalitet'
            and k.gruppe = g.gruppe
),

-- the baseline judged against; the same on every row
kriminalitet_baseline as (
    select
        partnerskab_kode,
        maal_id,
        any_value(maalvaerdi) as maalvaerdi,
        any_value(baseline_version) as baseline_version,
        any_value(baseline_fastfrosset) as baseline_fastfrosset
    from kriminalitet
    group by partnerskab_kode, maal_id
),

kriminalitet_status as (
    select
        pa.partnerskab_kode,
        pa.status_aar,
        maal.maal_id,
        pa.status_aar - 1 as maalingsaar,
        nu.vaerdi,
        basis.maalvaerdi,
        forrige.vaerdi as forrige_vaerdi,
        -- "held at the baseline level": value ≤ baseline, never for the baseline year or before it
        case when nu.aar > pa.baseline_aar then nu.vaerdi <= basis.maalvaerdi end as opfyldt_beregnet,
        coalesce(nu.foreloebig, false) as foreloebig,
        coalesce(nu.har_levering, false) as har_levering,
        basis.baseline_version,
        basis.baseline_fastfrosset
    from partnerskab_aar as pa
    inner join maal on pa.partnerskab_kode = maal.partnerskab_kode and maal.art = 'kriminalitet'
    left join kriminalitet as nu
        on
            pa.partnerskab_kode = nu.partnerskab_kode
            and pa.status_aar - 1 = nu.aar
            and maal.maal_id = nu.maal_id
    left join kriminalitet as forrige
        on
            pa.partnerskab_kode = forrige.partnerskab_kode
            and pa.status_aar - 2 = forrige.aar
            and maal.maal_id = forrige.maal_id
    left join kriminalitet_baseline as basis
        on
            pa.partnerskab_kode = basis.partnerskab_kode
            and maal.maal_id = basis.maal_id
),

samarbejde as (
    select
        partnerskab_kode,
        aar,
        andel_mindst_2_partnere as vaerdi,
        maal as maalvaerdi,
        maal_opfyldt
    from {{ ref('fct_aktiviteter') }}
    where er_total
),

samarbejde_status as (
    select
        pa.partnerskab_kode,
        pa.status_aar,
        maal.maal_id,
        pa.status_aar - 1 as maalingsaar,
        nu.vaerdi,
        coalesce(nu.maalvaerdi, maal.taerskel) as maalvaerdi,
        forrige.vaerdi as forrige_vaerdi,
        nu.maal_opfyldt as opfyldt_beregnet
    from partnerskab_aar as pa
    inner join maal on pa.partnerskab_kode = maal.partnerskab_kode and maal.art = 'samarbejde'
    left join samarbejde as nu
        on pa.partnerskab_kode = nu.partnerskab_kode and pa.status_aar - 1 = nu.aar
    left join samarbejde as forrige
        on pa.partnerskab_kode = forrige.partnerskab_kode and pa.status_aar - 2 = forrige.aar
),

vaerdier as (
    select
        partnerskab_kode,
        status_aar,
        maal_id,
        coalesce(maalingsaar, status_aar) as maalingsaar,
        vaerdi,
        maalvaerdi,
        forrige_vaerdi,
        opfyldt_beregnet,
        false as foreloebig,
        vaerdi is not null as har_data,
        andel_kbh,
        afstand_til_kbh,
        afstand_aendring,
        steg,
        aendring_signifikant,
        p_vaerdi,
        datagrundlag,
        fremskrevet,
        fremskrevet_se,
        fremskrevet_kbh,
        paa_kurs_2028,
        cast(null as varchar) as baseline_version,
        cast(null as boolean) as baseline_fastfrosset
    from tryghed_status
    union all
    select
        partnerskab_kode,
        status_aar,
        maal_id,
        maalingsaar,
        vaerdi,
        maalvaerdi,
        forrige_vaerdi,
        opfyldt_beregnet,
        foreloebig,
        har_levering and vaerdi is not null as har_data,
        null as andel_kbh,
        null as afstand_til_kbh,
        null as afstand_aendring,
        null as steg,
        null as aendring_signifikant,
        null as p_vaerdi,
        null as datagrundlag,
        null as fremskrevet,
        null as fremskrevet_se,
        null as fremskrevet_kbh,
        null as paa_kurs_2028,
        baseline_version,
        baseline_fastfrosset
    from kriminalitet_status
    union all
    select
        partnerskab_kode,
        status_aar,
        maal_id,
        maalingsaar,
        vaerdi,
        maalvaerdi,
        forrige_vaerdi,
        opfyldt_beregnet,
        false as foreloebig,
        vaerdi is not null as har_data,
        null as andel_kbh,
        null as afstand_til_kbh,
        null as afstand_aendring,
        null as steg,
        null as aendring_signifikant,
        null as p_vaerdi,
        null as datagrundlag,
        null as fremskrevet,
        null as fremskrevet_se,
        null as fremskrevet_kbh,
        null as paa_kurs_2028,
        null as baseline_version,
        null as baseline_fastfrosset
    from samarbejde_status
),

vurderet as (
    select
        v.*,
        p.omraade_kode,
        p.baseline_aar,
        p.aftale_fra,
        p.aftale_til,
        v.maalingsaar between p.aftale_fra and p.aftale_til as i_aftaleperiode,
        case
            when not v.har_data or v.maalvaerdi is null or v.foreloebig then null
            when v.maalingsaar not between p.aftale_fra and p.aftale_til then null
            else v.opfyldt_beregnet
        end as opfyldt
    from vaerdier as v
    inner join partnerskaber as p on v.partnerskab_kode = p.partnerskab_kode
)

select
    cast(v.status_aar as bigint) as status_aar,
    maal.maal_id,
    maal.beskrivelse,
    cast(v.maalingsaar as bigint) as maalingsaar,
    cast(v.vaerdi as double) as vaerdi,
    cast(v.maalvaerdi as double) as maalvaerdi,
    maal.enhed,
    v.opfyldt,
    -- why, in plain Danish: always when opfyldt is empty (decision 14), and the reason for a verdict
    case
        when not v.har_data and maal.art = 'tryghed'
            then 'Ingen andel for området i Tryghedsundersøgelsen ' || v.maalingsaar
        when not v.har_data and maal.art = 'kriminalitet'
            then 'Ingen politilevering for ' || v.maalingsaar || ': tallet er tomt, ikke nul'
        when not v.har_data
            then 'Ingen tryghedsplan for ' || v.maalingsaar
        when v.foreloebig
            then
                'Foreløbige politital for ' || v.maalingsaar
                || ' (året er endnu ikke leveret komplet): vises, men vurderes ikke'
        when maal.art = 'kriminalitet' and v.maalingsaar = v.baseline_aar
            then 'Basisåret ' || v.baseline_aar || ': værdien er selve baseline og vurderes ikke'
        when v.maalvaerdi is null and maal.art = 'tryghed'
            then 'Intet at sammenligne med: ingen andel i Tryghedsundersøgelsen ' || (v.maalingsaar - 1)
        when v.maalvaerdi is null
            then 'Ingen baseline at sammenligne med'
        when v.maalingsaar < v.aftale_fra
            then 'Før aftaleperioden ' || v.aftale_fra || '–' || v.aftale_til || ': vist som historik, ikke vurderet'
        when v.maalingsaar > v.aftale_til
            then 'Efter aftaleperioden ' || v.aftale_fra || '–' || v.aftale_til || ': ikke vurderet'
        when maal.art = 'tryghed' and v.opfyldt
            then
                'Andelen steg, og '
                || case
                    when v.vaerdi >= v.andel_kbh then 'området ligger på eller over Københavns niveau'
                    else 'afstanden til København blev ikke større'
                end
                || case when not v.aendring_signifikant then ' (stigningen er ikke statistisk signifikant)' else '' end
        when maal.art = 'tryghed' and v.steg
            then
                'Andelen steg, men afstanden til København blev større'
                || case when not v.aendring_signifikant then ' (stigningen er ikke statistisk signifikant)' else '' end
        when maal.art = 'tryghed'
            then
                case when v.vaerdi = v.maalvaerdi then 'Andelen steg ikke' else 'Andelen faldt' end
                || case when not v.aendring_signifikant then ' (faldet er ikke statistisk signifikant)' else '' end
        when maal.art = 'kriminalitet' and v.opfyldt
            then 'På eller under niveauet i basisåret ' || v.baseline_aar
        when maal.art = 'kriminalitet'
            then 'Over niveauet i basisåret ' || v.baseline_aar
        when v.opfyldt
            then 'Mindst ' || cast(round(100 * v.maalvaerdi) as integer) || ' % af aktiviteterne har mindst to partnere'
        else 'Under ' || cast(round(100 * v.maalvaerdi) as integer) || ' % af aktiviteterne har mindst to partnere'
    end as begrundelse,
    case
        when v.vaerdi is null or v.forrige_vaerdi is null then null
        when v.vaerdi > v.forrige_vaerdi then 'stigende'
        when v.vaerdi < v.forrige_vaerdi then 'faldende'
        else 'uaendret'
    end as tendens,
    maal.kilde,
    v.omraade_kode,
    v.foreloebig,
    v.i_aftaleperiode,
    cast(v.forrige_vaerdi as double) as forrige_vaerdi,
    cast(v.andel_kbh as double) as andel_kbh,
    cast(v.afstand_til_kbh as double) as afstand_til_kbh,
    cast(v.afstand_aendring as double) as afstand_aendring,
    v.aendring_signifikant,
    cast(v.p_vaerdi as double) as p_vaerdi,
    -- decision 13: the projection to the agreement's last year, clipped to [0, 1]
    cast(case when v.fremskrevet is not null then least(greatest(v.fremskrevet, 0), 1) end as double) as fremskrevet_2028,
    cast(case when v.fremskrevet is not null then least(greatest(v.fremskrevet - 1.96 * v.fremskrevet_se, 0), 1) end as double) as fremskrevet_2028_ci_lav,
    cast(case when v.fremskrevet is not null then least(greatest(v.fremskrevet + 1.96 * v.fremskrevet_se, 0), 1) end as double) as fremskrevet_2028_ci_hoej,
    cast(case when v.fremskrevet is not null then least(greatest(v.fremskrevet_kbh, 0), 1) end as double) as fremskrevet_2028_kbh,
    v.paa_kurs_2028,
    v.datagrundlag,
    -- goals 2a–2d only: the baseline version judged against (empty while computed) and whether it is frozen
    cast(v.baseline_version as varchar) as baseline_version,
    cast(v.baseline_fastfrosset as boolean) as baseline_fastfrosset,
    cast(maal.sortering as bigint) as sortering,
    v.partnerskab_kode,
    maal.art as maal_art
from vurderet as v
inner join maal on v.partnerskab_kode = maal.partnerskab_kode and v.maal_id = maal.maal_id
