-- Landsbyggefonden resident data per housing department. Percentages stay percentages here.
with kilde as (
    select * from {{ source('raw', 'lbf') }}
)

select
    aar,
    trim(boligorganisation) as boligorganisation,
    {{ normaliser_navn('boligorganisation') }} as boligorganisation_normaliseret,
    trim(afdelingsnr) as afdelingsnr,
    {{ normaliser_afdelingsnr('afdelingsnr') }} as afdelingsnr_normaliseret,
    trim(afdelingsnavn) as afdelingsnavn,
    beboere_i_alt,
    pct_uden_arbejde_uddannelse,
    pct_kun_grundskole,
    pct_indkomst_af_region,
    pct_ikke_vestlige,
    doemte_faktor,
    pct_elever_over_10pct_fravaer,
    pct_10_17_uden_fritidsaktivitet,
    kildefil,
    kildelinje
from kilde
