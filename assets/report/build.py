"""Putting the report together: data → figures → one self-contained HTML page (and a PDF of the figures)."""

from __future__ import annotations

import base64
import io
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.report import charts, content, kort, template
from assets.report.data import CRIME_TOTAL, ReportData, load, partnership_codes

DPI = 100


@dataclass(frozen=True)
class EncodedFigure:
    key: str  # the figure's stable name: figure[data-figur=<key>] in the page
    png: str  # base64
    width: int
    height: int
    alt: str
    caption: str


def build_reports(marts_dir: Path, year: int, out_dir: Path, *, pdf: bool = True,
                  partnerskab: str | None = None) -> list[Path]:
    """One report per partnership of the release (or only `partnerskab`), each in `out_dir/<code>/`."""
    codes = [partnerskab.upper()] if partnerskab else partnership_codes(Path(marts_dir))
    return [build_report(marts_dir, year, Path(out_dir) / code, pdf=pdf, partnerskab=code) for code in codes]


def build_report(marts_dir: Path, year: int, out_dir: Path, *, pdf: bool = True,
                 partnerskab: str | None = None) -> Path:
    """Write `out_dir/status_<year>.html` (and `status_<year>.pdf` with the goal table and the figures) for
    one partnership (default: the first of the release); build_reports puts each in its own folder.

    Reads only the published release in `marts_dir`. Raises data.NothingPublished when there is none and
    data.NoDataForYear when the year has no goal figures. Files are written aside and renamed into place, so
    a reader (or a file share's sync) never sees half a report.
    """
    data = load(Path(marts_dir), year, partnerskab)
    rows = content.goal_rows(data)
    with charts.style():
        figures = {
            "tryghed": charts.safety(data),
            "kriminalitet": charts.crime(data),
            "fokus": charts.focus(data),
            "samarbejde": charts.collaboration(data),
            "kort": kort.area_map(data),
        }
        captions = _captions(data)
        encoded = {key: _encode(key, figure, *captions[key]) if figure is not None else None
                   for key, figure in figures.items()}
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        if pdf:
            _write_atomically(out_dir / f"status_{year}.pdf", _pdf(data, rows, figures))
    html = template.render(
        year=year,
        partnerskab=data.partnership.navn,
        periode=data.partnership.period,
        rows=rows,
        summary=content.summary(rows),
        figures=encoded,
        sources=content.sources(data),
        definitions=content.definitions(data),
        suppression=content.suppression(data),
        coverage=content.coverage(data),
        monitoring=content.monitoring(data),
        manifest=_manifest(data),
        files=content.input_files(data),
    )
    path = out_dir / f"status_{year}.html"
    _write_atomically(path, html.encode("utf-8"))
    return path


def _encode(key: str, figure, alt: str, caption: str) -> EncodedFigure:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    width, height = (round(v) for v in figure.get_size_inches() * DPI)
    return EncodedFigure(key, base64.b64encode(buffer.getvalue()).decode("ascii"), width, height, alt, caption)


def _captions(data: ReportData) -> dict[str, tuple[str, str]]:
    """(alt text, caption) per figure, in Danish."""
    year = data.year
    first = int(data.safety["aar"].min()) if len(data.safety) else year
    baseline = data.baseline
    rate = baseline.pr_1000.get(CRIME_TOTAL)
    baseline_text = (f"{'fastfrosset' if baseline.frozen else 'beregnet, endnu ikke fastfrosset'}"
                     if baseline.version else "mangler")
    captions = {
        "tryghed": (
            f"Andel, der føler sig tryg i nabolaget, dag og aften/nat, {first}–{year}, for partnerskabet, "
            "dets to dele, Amager Vest, Amager Øst og København.",
            f"Andel af borgerne, der føler sig trygge i nabolaget om dagen (til venstre) og om aftenen og natten "
            f"(til højre), {first}–{year}, med 95 %-konfidensinterval (skygge). Huller i kurverne er år, hvor "
            f"andelen ikke offentliggøres (færre end 30 svar, se noterne). {year} er fremhævet. "
            "Kilde: Københavns Kommunes Tryghedsundersøgelse (fct_tryghed).",
        ),
        "kriminalitet": (
            "Anmeldelser af borgervendt kriminalitet pr. 1.000 indbyggere pr. år mod baseline 2024.",
            "Anmeldelser af borgervendt kriminalitet pr. 1.000 indbyggere i partnerskabsområdet (nuværende "
            f"grænse, tyk linje) mod baseline 2024 (rød prikket linje: {fmt.number(rate, 2)}; {baseline_text}); "
            "bydelene og København til sammenligning. Mål 2a: højst baseline. "
            "Kilde: Københavns Politi (fct_kriminalitet, baseline_2024).",
        ),
        "fokus": (
            "Antal anmeldelser af indbrud, tyveri/røveri og vold/våben pr. år mod baseline 2024.",
            f"Antal anmeldelser af de tre fokustyper i partnerskabsområdet; {year} er fremhævet. Rød prikket "
            "linje: baseline 2024 (mål 2b–2d: højst baseline). Kilde: Københavns Politi (fct_kriminalitet).",
        ),
        "samarbejde": (
            "Andel af tryghedsplanens aktiviteter med mindst to partnere mod målet på 75 %.",
            "Andel af tryghedsplanens aktiviteter med mindst to partnere, pr. år (til venstre) og pr. "
            f"indsatsområde i {year} (til højre). Mål 3: mindst 75 % (rød prikket linje). "
            "Kilde: tryghedsplanen (fct_aktiviteter).",
        ),
        "kort": _map_caption(data),
    }
    return {key: tuple(_own(text, data) for text in pair) for key, pair in captions.items()}


NUMBERS = {1: "ene", 2: "to", 3: "tre", 4: "fire", 5: "fem"}


def _own(text: str, data: ReportData) -> str:
    """The captions are written for Amager; each partnership's own districts, parts and years go in."""
    p = data.partnership
    districts = ", ".join(p.labels[c] for c in p.districts)
    target = data.goals[data.goals["maal_art"] == "samarbejde"]["maalvaerdi"].dropna()
    share = f"{round(100 * float(target.iloc[0]))} %" if len(target) else "75 %"
    words = {"dets to dele, Amager Vest, Amager Øst og": f"dets {NUMBERS.get(len(p.parts), len(p.parts))} dele, "
             f"{districts} og" if p.parts else f"{districts} og",
             "baseline 2024": f"baseline {data.baseline.year}", "75 %": share}
    for old, new in words.items():
        text = text.replace(old, new)
    return text


def _map_caption(data: ReportData) -> tuple[str, str]:
    p = data.partnership
    if [c for c, _ in p.old_boundaries] and len(p.parts) == 2:
        (_, years), first, second = p.old_boundaries[0], p.part_name(p.parts[0]), p.part_name(p.parts[1])
        where = _district_words(data)
        return (f"Kort over {where} med partnerskabsområdets nuværende og oprindelige grænse og boligområderne.",
                f"Partnerskabsområdet på {where}: den nuværende grænse fra {p.current_from} (blå, fuld linje) og "
                f"den oprindelige grænse {years} (sort, stiplet). {first} er grønblåt, {second.lower()} orange; "
                "boligområderne er skraverede. Kilde: omraader.geojson i udgivelsen.")
    parts = ", ".join(p.part_name(c) for c in p.parts)
    return (f"Kort over {p.navn}s område med dets dele og boligområderne.",
            f"{p.navn}s område (blå, fuld linje)" + (f" og dets dele ({parts}, farvede)" if parts else "")
            + "; boligområderne er skraverede. Kilde: omraader.geojson i udgivelsen.")


def _district_words(data: ReportData) -> str:
    """"Amager" when the districts share their first word (Amager Vest, Amager Øst), else their names."""
    names = [data.partnership.labels[c] for c in data.partnership.districts]
    first = {n.split()[0] for n in names}
    return first.pop() if len(first) == 1 and len(names) > 1 else " og ".join(names)


def _manifest(data: ReportData) -> dict[str, str]:
    manifest = data.manifest
    return {
        "run_id": manifest.get("run_id") or fmt.MISSING,
        "published": fmt.timestamp(manifest.get("udgivet")),
        "code_version": manifest.get("kodeversion") or fmt.MISSING,
        "release": Path(data.marts_dir).resolve().name,
    }


def _pdf(data: ReportData, rows: list[content.GoalRow], figures: dict) -> bytes:
    """The goal table as a first page, then every figure: for committee papers that must be PDF.

    matplotlib's own PDF backend only (no browser, no extra package); fonts are embedded by matplotlib.
    Imported here because the PDF backend pulls in fontTools (about a second) that the HTML does not need.
    """
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    metadata = {"Title": f"{data.partnership.navn} – status for {data.year}", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pages:
        pages.savefig(_goal_page(data, rows))
        for figure in figures.values():
            if figure is not None:
                pages.savefig(figure, facecolor="white")
    return buffer.getvalue()


def _goal_page(data: ReportData, rows: list[content.GoalRow]):
    page = charts.new_figure(11.69, 8.27)  # A4 landscape
    page.suptitle(f"{data.partnership.navn} – status for {data.year}", x=0.04, ha="left", fontsize=16,
                  fontweight="bold", color="#1f3a93")
    axes = page.subplots()
    axes.set_axis_off()
    cells = [
        [r.maal_id, textwrap.fill(r.beskrivelse, 58), r.vaerdi, f"{r.comparator} {r.maalvaerdi}".strip(), r.status,
         r.trend.split(" ", 1)[-1]]
        for r in rows
    ]
    table = axes.table(cellText=cells, colLabels=["Mål", "Beskrivelse", "Værdi", "Målværdi", "Status", "Tendens"],
                       colWidths=[0.05, 0.5, 0.1, 0.12, 0.12, 0.11], loc="upper center", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 3.2)
    status_colours = {"opfyldt": "#e3f1e4", "ikke opfyldt": "#fbe3e1"}
    for (row, column), cell in table.get_celld().items():
        cell.PAD = 0.03  # the default pads a wide cell by a tenth of its width
        cell.set_edgecolor("#cccccc")
        if row == 0:
            cell.set_facecolor("#eceee9")
            cell.get_text().set_fontweight("bold")
        elif column == 4:
            cell.set_facecolor(status_colours.get(cell.get_text().get_text(), "white"))
    manifest = _manifest(data)
    axes.text(0, 0.02, f"Data udgivet {manifest['published']} · kørsel {manifest['run_id']} · kodeversion "
              f"{manifest['code_version']}. Noter, definitioner og kilder: se HTML-udgaven.",
              transform=axes.transAxes, fontsize=8, color="#555555")
    return page


def _write_atomically(path: Path, payload: bytes) -> None:
    tmp = path.with_name(f".{path.name}.ny")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
