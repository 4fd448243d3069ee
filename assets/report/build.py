"""Putting the report together: data → figures → one self-contained HTML page, printed to PDF by Chromium.

The PDF is the HTML page printed (headless Chromium, the page's print CSS: A4, a page per section, figures
never split), so it carries everything the page does, notes included. Without Chromium the PDF is skipped
with one warning line (and a PDF left from an earlier build is removed, so it can never disagree with
the page); the report never fails for it.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.report import charts, content, kort, template
from assets.report.data import CRIME_TOTAL, ReportData, load, partnership_codes
from assets.report.pdf import PdfPrint, finish_later, print_pdf

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
                  partnerskab: str | None = None, warn: Callable[[str], None] | None = None,
                  wait: bool = True) -> list[Path]:
    """One report per partnership of the release (or only `partnerskab`), each in `out_dir/<code>/`.

    Each page prints to PDF while the next one's figures are drawn. With `wait=False` the last prints go on
    after this returns, and the caller must call `pdf.finish_prints` (`tryghed run` does, after the run's
    last step, so Chromium works while the dbt docs are written).
    """
    codes = [partnerskab.upper()] if partnerskab else partnership_codes(Path(marts_dir))
    printing: list[PdfPrint] = []
    paths = []
    for code in codes:
        paths.append(build_report(marts_dir, year, Path(out_dir) / code, pdf=False, partnerskab=code))
        if pdf:
            printing.append(PdfPrint(paths[-1], paths[-1].with_suffix(".pdf")))
    if wait:
        for job in printing:
            if problem := job.finish():
                (warn or _warn)(problem)
    else:
        finish_later(printing)
    return paths


def build_report(marts_dir: Path, year: int, out_dir: Path, *, pdf: bool = True,
                 partnerskab: str | None = None, warn: Callable[[str], None] | None = None) -> Path:
    """Write `out_dir/status_<year>.html` (and, with `pdf`, `status_<year>.pdf`: the page printed) for one
    partnership (default: the first of the release); build_reports puts each in its own folder.

    Reads only the published release in `marts_dir`. Raises data.NothingPublished when there is none and
    data.NoDataForYear when the year has no goal figures. Files are written aside and renamed into place, so
    a reader (or a file share's sync) never sees half a report. A PDF that cannot be printed is reported
    through `warn` (default: one line on stderr) and skipped.
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
    html = template.render(
        year=year,
        partnerskab=data.partnership.navn,
        periode=data.partnership.period,
        rows=rows,
        summary=content.summary(rows),
        figures=encoded,
        sources=content.sources(data),
        definitions=content.definitions(data),
        thresholds=data.thresholds,
        suppression=content.suppression(data),
        coverage=content.coverage(data),
        monitoring=content.monitoring(data),
        manifest=_manifest(data),
        files=content.input_files(data),
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"status_{year}.html"
    _write_atomically(path, html.encode("utf-8"))
    if pdf and (problem := print_pdf(path, path.with_suffix(".pdf"))):
        (warn or _warn)(problem)
    return path


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
            f"andelen ikke offentliggøres (færre end {data.thresholds['minimum_svar']} svar, se noterne). "
            f"{year} er fremhævet. "
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
    share = fmt.percent(data.collaboration_target, 0)
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


def _write_atomically(path: Path, payload: bytes) -> None:
    tmp = path.with_name(f".{path.name}.ny")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
