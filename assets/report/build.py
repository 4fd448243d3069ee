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
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.report import charts, content, kort, template
from assets.report.data import CRIME_TOTAL, ReportData, load, partnership_codes

DPI = 100
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`make run` and `make test` install it when missing)
PRINT_TIMEOUT_S = 180


@dataclass(frozen=True)
class EncodedFigure:
    key: str  # the figure's stable name: figure[data-figur=<key>] in the page
    png: str  # base64
    width: int
    height: int
    alt: str
    caption: str


# PDFs still printing after build_reports(..., wait=False) returned; finish_prints waits for them
_PRINTING: list[PdfPrint] = []


def build_reports(marts_dir: Path, year: int, out_dir: Path, *, pdf: bool = True,
                  partnerskab: str | None = None, warn: Callable[[str], None] | None = None,
                  wait: bool = True) -> list[Path]:
    """One report per partnership of the release (or only `partnerskab`), each in `out_dir/<code>/`.

    Each page prints to PDF while the next one's figures are drawn. With `wait=False` the last prints go on
    after this returns, and the caller must call `finish_prints` (`tryghed run` does, after the run's
    last step, so Chromium works while the dbt docs are written).
    """
    codes = [partnerskab.upper()] if partnerskab else partnership_codes(Path(marts_dir))
    printing: list[PdfPrint] = []
    paths = []
    for code in codes:
        paths.append(build_report(marts_dir, year, Path(out_dir) / code, pdf=False, partnerskab=code))
        if pdf:
            printing.append(PdfPrint(paths[-1], paths[-1].with_suffix(".pdf")))
    _PRINTING.extend(printing)
    if wait:
        for problem in finish_prints():
            (warn or _warn)(problem)
    return paths


def finish_prints() -> list[str]:
    """Wait for every PDF still printing; the warning line of each one that could not be printed."""
    problems = []
    while _PRINTING:
        if problem := _PRINTING.pop(0).finish():
            problems.append(problem)
    return problems


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


def find_chromium() -> Path | None:
    """Debian's /usr/bin/chromium, or a `chromium` on PATH; None when there is none."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


def print_pdf(html: Path, pdf: Path) -> str | None:
    """Print the page `html` to `pdf` with headless Chromium (offline: no name resolves).

    Returns None when the PDF was written, else the reason as one line; then no PDF is left at `pdf`
    (an earlier one would not match the page).
    """
    return PdfPrint(html, pdf).finish()


class PdfPrint:
    """One page being printed by Chromium in the background: started at once, `finish` waits for it.

    Chromium takes ~1.5 s a page, mostly its own start; build_reports starts a partnership's print as soon as
    its page is written and draws the next partnership's figures meanwhile.
    """

    def __init__(self, html: Path, pdf: Path) -> None:
        self.html, self.pdf = Path(html), Path(pdf)
        self.tmp = self.pdf.with_name(f".{self.pdf.name}.ny")
        self.process: subprocess.Popen | None = None
        self.failed: str | None = None
        self.profile: tempfile.TemporaryDirectory | None = None
        chromium = find_chromium()
        if chromium is None:
            self.failed = "Chromium mangler (installér Debian-pakken chromium; `make run` gør det)"
            return
        self.tmp.unlink(missing_ok=True)
        self.profile = tempfile.TemporaryDirectory(prefix="tryghed-chromium-")
        command = [
            str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={self.profile.name}",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--print-to-pdf={self.tmp}", "--no-pdf-header-footer",
            self.html.resolve().as_uri(),
        ]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            self.failed = f"Chromium kunne ikke udskrive siden ({error})"

    def finish(self) -> str | None:
        """None when the PDF was written, else the warning line (and no PDF is left at `pdf`)."""
        if self.process is not None:
            try:
                _, stderr = self.process.communicate(timeout=PRINT_TIMEOUT_S)
                last = ((stderr or "").strip().splitlines() or [""])[-1][:200]
                code = self.process.returncode
                problem = code != 0 and f"kode {code}{': ' if last else ''}{last}"
            except subprocess.TimeoutExpired as error:
                self.process.kill()
                self.process.communicate()
                problem = str(error)
            finally:
                self.profile.cleanup()
            if not problem and self.tmp.exists() and self.tmp.read_bytes()[:5] == b"%PDF-":
                os.replace(self.tmp, self.pdf)
                return None
            self.tmp.unlink(missing_ok=True)
            self.failed = f"Chromium kunne ikke udskrive siden ({problem or 'ingen PDF skrevet'})"
        removed = self.pdf.exists()
        self.pdf.unlink(missing_ok=True)
        return (f"statusrapport: advarsel: {self.failed}; PDF'en {self.pdf.name} er ikke skrevet"
                f"{' (den forrige er fjernet)' if removed else ''}, HTML-udgaven er {self.html}")


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
