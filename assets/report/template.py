"""The HTML page, as a Jinja2 template in a Python string.

A string rather than a .html.j2 file so it ships with the package whatever way it is installed (the
project's packaging includes Python modules only). The page must open offline from a mail attachment or
a file share: no external URL anywhere (fonts are the reader's own, images are data: URIs, the one script
is inline). Stable hooks for tests and browsers: table#maaltabel, tr[data-maal], figure[data-figur],
body[data-billeder-indlaest] (set by the inline script once every image has decoded).
"""

from __future__ import annotations

import jinja2

TEMPLATE = r"""<!DOCTYPE html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tryghed statusrapport">
<title>{{ partnerskab }} – status {{ year }}</title>
<style>
  :root { --blaa: #1f3a93; --groen: #1e6b2a; --roed: #a12a1f; --graa: #5f5f5f; --linje: #d9d9d9; }
  * { box-sizing: border-box; }
  body { margin: 0; background: #f6f6f3; color: #1d1d1d;
         font: 15px/1.5 "Liberation Sans", "Helvetica Neue", Arial, sans-serif; }
  header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
  header { padding-top: 28px; padding-bottom: 8px; }
  .overlinje { text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: var(--graa); margin: 0; }
  h1 { font-size: 30px; margin: 4px 0 6px; color: var(--blaa); }
  h2 { font-size: 21px; margin: 34px 0 10px; border-bottom: 2px solid var(--blaa); padding-bottom: 4px; }
  h3 { font-size: 16px; margin: 22px 0 6px; }
  .indledning { font-size: 16px; max-width: 60em; margin: 0 0 6px; }
  .meta { color: var(--graa); font-size: 13px; margin: 0; }
  code { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 12.5px; }
  .noegletal { display: flex; gap: 14px; padding: 0; margin: 12px 0 0; list-style: none; flex-wrap: wrap; }
  .noegletal li { background: #fff; border: 1px solid var(--linje); border-left: 6px solid var(--graa);
                  padding: 10px 18px; min-width: 170px; }
  .noegletal li.opfyldt { border-left-color: var(--groen); }
  .noegletal li.ikke-opfyldt { border-left-color: var(--roed); }
  .noegletal b { display: block; font-size: 28px; line-height: 1.1; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { border-bottom: 1px solid var(--linje); padding: 8px 10px; text-align: left; vertical-align: top; }
  th { background: #eceee9; font-size: 13px; }
  caption { text-align: left; color: var(--graa); font-size: 13px; padding: 0 0 6px; caption-side: top; }
  td.tal { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  td.maal-id { font-weight: bold; }
  .maal-note { display: block; font-size: 12px; color: var(--graa); }
  .komparator { color: var(--graa); }
  .maerke { display: inline-block; padding: 2px 9px; border-radius: 10px; font-size: 13px; white-space: nowrap; }
  .maerke.opfyldt { background: #e3f1e4; color: var(--groen); }
  .maerke.ikke-opfyldt { background: #fbe3e1; color: var(--roed); }
  .maerke.ingen-data { background: #ececec; color: var(--graa); }
  td.tendens { white-space: nowrap; }
  td.tendens.god { color: var(--groen); }
  td.tendens.daarlig { color: var(--roed); }
  td.bemaerkning { font-size: 13px; color: #333; }
  figure { margin: 14px 0 8px; background: #fff; border: 1px solid var(--linje); padding: 12px; }
  figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
  figcaption { font-size: 13px; color: #333; margin-top: 6px; }
  .forklaring { font-size: 13px; color: var(--graa); }
  dl.definitioner dt { font-weight: bold; margin-top: 8px; }
  dl.definitioner dd { margin: 0 0 0 0; max-width: 62em; }
  dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
  dl.manifest dt { color: var(--graa); }
  dl.manifest dd { margin: 0; }
  table.filer td, table.filer th { padding: 3px 8px; font-size: 12.5px; }
  table.daekning td { text-align: center; padding: 2px 4px; }
  table.daekning td.komplet { color: #1b7f3b; } table.daekning td.foreloebig { color: #b7791f; }
  table.daekning td.mangler { color: #b42318; }
  .ikke-vurderet { background: #eef0f4; }
  details summary { cursor: pointer; margin: 8px 0; }
  footer { color: var(--graa); font-size: 12px; padding-top: 26px; padding-bottom: 30px; }
  /* Print (the PDF is this page printed by Chromium): A4, each numbered section and the notes from a new
     page, figures and table rows never split, the input files unfolded, colours kept. */
  @page { size: A4; margin: 14mm 13mm 16mm; }
  @media print {
    html, body { background: #fff; font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    header, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
    header { padding-top: 0; }
    h1 { font-size: 22pt; }
    h2 { font-size: 15pt; margin-top: 0; break-after: avoid; }
    h3, caption, dt { break-after: avoid; }
    section { break-before: page; }
    section#sammenfatning, section#maal { break-before: auto; }
    section#maal h2 { margin-top: 18pt; }
    figure, tr, .noegletal li, dl.manifest { break-inside: avoid; }
    figure { border: none; padding: 0; margin: 8pt 0 14pt; }
    figure img { max-height: 205mm; width: auto; max-width: 100%; }
    thead { display: table-header-group; }
    th, td { padding: 4pt 6pt; }
    table#maaltabel { font-size: 9pt; }
    table#maaltabel td.beskrivelse { width: 34%; }
    .noegletal li { padding: 4pt 12pt; }
    .noegletal b { font-size: 18pt; }
    td.bemaerkning, figcaption, .forklaring { font-size: 9pt; }
    details > summary { display: none; }
    details::details-content { content-visibility: visible; display: block; }
    footer { padding-top: 12pt; padding-bottom: 0; }
  }
</style>
</head>
<body data-aar="{{ year }}" data-run-id="{{ manifest.run_id }}">
<header>
  <p class="overlinje">Til Økonomiudvalget · Københavns Kommune</p>
  <h1>{{ partnerskab }} – status for {{ year }}</h1>
  <p class="indledning">Tryghed, anmeldt kriminalitet og samarbejde i partnerskabsområdet (nuværende grænse),
    målt mod målene i partnerskabsaftalen {{ periode }}.</p>
  <p class="meta">Data udgivet {{ manifest.published }} · kørsel <code>{{ manifest.run_id }}</code></p>
</header>
<main>
<section id="sammenfatning">
  <h2>Sammenfatning</h2>
  <p>I status {{ year }} er {{ summary['opfyldt'] }} af {{ rows|length }} mål opfyldt,
     {{ summary['ikke opfyldt'] }} ikke opfyldt, {{ summary['ikke vurderet'] }} ikke vurderet og
     {{ summary['ingen data'] }} uden data.</p>
  <ul class="noegletal">
    <li class="opfyldt"><b>{{ summary['opfyldt'] }}</b>opfyldt</li>
    <li class="ikke-opfyldt"><b>{{ summary['ikke opfyldt'] }}</b>ikke opfyldt</li>
    <li class="ikke-vurderet"><b>{{ summary['ikke vurderet'] }}</b>ikke vurderet</li>
    <li class="ingen-data"><b>{{ summary['ingen data'] }}</b>ingen data</li>
  </ul>
</section>

<section id="maal">
  <h2>Målopfyldelse {{ year }}</h2>
  <table id="maaltabel" data-aar="{{ year }}">
    <caption>Partnerskabsområdet, nuværende grænse. Kilde: fct_maalopfyldelse.</caption>
    <thead><tr>
      <th>Mål</th><th>Beskrivelse</th><th>Målingsår</th><th>Værdi</th><th>Målværdi</th><th>Status</th>
      <th>Tendens</th><th>Bemærkning</th>
    </tr></thead>
    <tbody>
{%- for r in rows %}
      <tr data-maal="{{ r.maal_id }}" data-status="{{ r.status_class }}">
        <td class="maal-id">{{ r.maal_id }}</td>
        <td class="beskrivelse">{{ r.beskrivelse }}</td>
        <td class="maalingsaar tal">{{ r.maalingsaar }}</td>
        <td class="vaerdi tal">{{ r.vaerdi }}</td>
        <td class="maalvaerdi tal">{% if r.comparator %}<span class="komparator">{{ r.comparator }}</span> {% endif -%}
          <span class="maalvaerdi-tal">{{ r.maalvaerdi }}</span>
          {%- if r.target_note %}<span class="maal-note">{{ r.target_note }}</span>{% endif %}</td>
        <td class="status"><span class="maerke {{ r.status_class }}">{{ r.status }}</span></td>
        <td class="tendens {{ r.trend_class }}">{{ r.trend }}</td>
        <td class="bemaerkning">{{ r.note }}</td>
      </tr>
{%- endfor %}
    </tbody>
  </table>
  <p class="forklaring">Status {{ year }} vurderer tryghed i Tryghedsundersøgelsen {{ year }} og kriminalitet
    og tryghedsplan i {{ year - 1 }} (det seneste hele år). “Ingen data”: tallet mangler; “ikke vurderet”: tallet
    er foreløbigt, er selve baseline eller ligger uden for aftaleperioden {{ periode }} (se bemærkningen).
    Tendens er ændringen fra målingsåret før; grøn betyder en udvikling i målets retning, rød det modsatte.</p>
</section>

<section id="datadaekning">
  <h2>Datagrundlag: kilder og år</h2>
{%- if coverage.rows %}
  <table id="daekning" class="daekning">
    <caption>● komplet · ◐ foreløbig · ○ ingen levering. Kilde: fct_datadaekning.</caption>
    <thead><tr><th>Kilde</th>{% for y in coverage.years %}<th>{{ y }}</th>{% endfor %}</tr></thead>
    <tbody>
{%- for label, cells in coverage.rows %}
      <tr><th scope="row">{{ label }}</th>
        {%- for mark, css, title in cells %}<td class="{{ css }}" title="{{ title }}">{{ mark }}</td>{% endfor %}</tr>
{%- endfor %}
    </tbody>
  </table>
{%- for note in coverage.notes %}
  <p class="forklaring">{{ note }}.</p>
{%- endfor %}
{%- else %}
  <p>Udgivelsen har ingen oversigt over datadækning.</p>
{%- endif %}
</section>
{% macro figur(f) -%}
  <figure id="figur-{{ f.key }}" data-figur="{{ f.key }}">
    <img src="data:image/png;base64,{{ f.png }}" alt="{{ f.alt }}" width="{{ f.width }}" height="{{ f.height }}">
    <figcaption>{{ f.caption }}</figcaption>
  </figure>
{%- endmacro %}
<section id="tryghed">
  <h2>1. Tryghed</h2>
  {{ figur(figures.tryghed) }}
</section>

<section id="kriminalitet">
  <h2>2. Anmeldt kriminalitet</h2>
  {{ figur(figures.kriminalitet) }}
  {{ figur(figures.fokus) }}
  <h3>Overvågning (uden mål)</h3>
  <p>Aftalen følger desuden fire typer år for år uden et mål: antal anmeldelser i partnerskabsområdet.</p>
{%- if monitoring.rows %}
  <table id="overvaagning">
    <thead><tr><th>Type</th>
      {%- for y in monitoring.years %}<th>{{ y }}{% if y in monitoring.preliminary %}*{% endif %}</th>{% endfor %}
    </tr></thead>
    <tbody>
{%- for name, values in monitoring.rows %}
      <tr><th scope="row">{{ name }}</th>{% for v in values %}<td class="tal">{{ v }}</td>{% endfor %}</tr>
{%- endfor %}
    </tbody>
  </table>
{%- if monitoring.preliminary %}
  <p class="forklaring">* foreløbige tal.</p>
{%- endif %}
{%- endif %}
</section>

<section id="samarbejde">
  <h2>3. Samarbejde i tryghedsplanen</h2>
  {{ figur(figures.samarbejde) }}
</section>

<section id="omraadet">
  <h2>Området</h2>
{%- if figures.kort %}
  {{ figur(figures.kort) }}
{%- else %}
  <p id="kort-mangler">Udgivelsen indeholder ikke områdernes afgrænsning (omraader.geojson), så kortet mangler.</p>
{%- endif %}
</section>

<section id="noter">
  <h2>Noter</h2>
  <h3>Kilder</h3>
  <ul id="kilder">
{%- for name, n in sources %}
    <li>{{ name }} ({{ n }} {{ 'fil' if n == 1 else 'filer' }})</li>
{%- endfor %}
  </ul>

  <h3>Definitioner</h3>
  <dl class="definitioner">
{%- for term, text in definitions %}
    <dt>{{ term }}</dt><dd>{{ text }}</dd>
{%- endfor %}
  </dl>

  <h3>Undertrykte værdier</h3>
  <div id="undertrykte-vaerdier" data-undertrykte="{{ suppression.chart_empty }}"
       data-undertrykte-aar="{{ suppression.year_empty }}">
    <p>En andel, der bygger på færre end {{ thresholds.minimum_svar }} gyldige svar, offentliggøres
      ikke: den står tom i data og som et hul
      i kurven, aldrig som et tal. I tryghedsfiguren er {{ suppression.chart_empty }} af
      {{ suppression.chart_total }} punkter tomme af den grund{{ ':' if suppression.chart_empty else '.' }}</p>
{%- if suppression.chart_where %}
    <ul>
{%- for line in suppression.chart_where %}
      <li>{{ line }}</li>
{%- endfor %}
    </ul>
{%- endif %}
{%- if suppression.chart_reasons %}
    <p>Årsag:
{%- for reason, n in suppression.chart_reasons %} {{ reason|lower }}: {{ n }} {{ 'punkt' if n == 1 else 'punkter' }}
{{- '; ' if not loop.last }}{% endfor %}.</p>
{%- endif %}
    <p>For {{ year }} er {{ suppression.year_empty }} af {{ suppression.year_total }} andele i byens
      tryghedsundersøgelse (alle områder, dag og aften/nat) tomme.
{%- if suppression.year_counts_suppressed %}
      For {{ suppression.year_counts_suppressed }} af dem er også antallet af svar skjult, fordi det er under
      diskretionsgrænsen på {{ thresholds.diskretion_graense }} personer.
{%- endif %}</p>
  </div>

  <h3>Datagrundlag</h3>
  <dl class="manifest" id="manifest">
    <dt>Kørsel (run id)</dt><dd><code>{{ manifest.run_id }}</code></dd>
    <dt>Udgivet</dt><dd>{{ manifest.published }}</dd>
    <dt>Kodeversion</dt><dd><code>{{ manifest.code_version }}</code></dd>
    <dt>Udgivelse</dt><dd><code>{{ manifest.release }}</code></dd>
    <dt>Inputfiler</dt><dd>{{ files|length }} (sha256 forkortet til 12 tegn)</dd>
  </dl>
  <details id="inputfiler">
    <summary>Vis inputfiler ({{ files|length }})</summary>
    <table class="filer">
      <thead><tr><th>Fil</th><th>Kilde</th><th>Rækker</th><th>sha256</th></tr></thead>
      <tbody>
{%- for f in files %}
        <tr><td><code>{{ f.fil }}</code></td><td>{{ f.kilde }}</td><td class="tal">{{ f.raekker }}</td>
          <td><code>{{ f.sha256 }}</code></td></tr>
{%- endfor %}
      </tbody>
    </table>
  </details>
</section>
</main>
<footer>
  Rapporten er dannet alene ud fra den udgivne version af data (Parquet-marts, manifest.json og
  omraader.geojson), ikke fra arbejdsdatabasen. Siden henter intet fra nettet.
</footer>
<script>
  // Marks, for a test browser and for anyone checking a copy, that every embedded image decoded.
  window.addEventListener("load", function () {
    var images = Array.prototype.slice.call(document.images), ok = 0;
    images.forEach(function (img) {
      var decoded = img.complete && img.naturalWidth > 0;
      img.setAttribute("data-indlaest", decoded ? "ja" : "nej");
      if (decoded) { ok += 1; }
    });
    document.body.setAttribute("data-billeder-indlaest", ok + "/" + images.length);
  });
  // Printed (and so in the PDF), the folded lists are unfolded.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
</script>
</body>
</html>
"""


def render(**context) -> str:
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return environment.from_string(TEMPLATE).render(**context)
