"""The status report as a reader's browser shows it, and as it prints: headless Chromium (Debian's package),
offline; the PDF read back with poppler-utils' pdftotext.

Name resolution is switched off for the browser, so a page that needed anything from the net would show
broken images here. A screenshot is kept beside the report (warehouse/reports/status_<year>.png) for review.
`make test` installs Chromium first; without it these tests fail rather than skip, so a missing browser
can never pass for a working report.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from html import unescape
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from assets.foundation.settings import Settings
from assets.report.cli import main_report
from tests.conftest import current_release

CHROMIUM = Path("/usr/bin/chromium")
FIGURES = {"tryghed", "kriminalitet", "fokus", "samarbejde", "kort"}
WINDOW = (1280, 3000)


def chromium(user_data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
                    "(`make test` installs it; or: apt-get install -y chromium)")
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: nothing may come from the net
        f"--user-data-dir={user_data_dir}", *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def published_report(pipeline, tmp_path_factory):
    _inbox, warehouse, _marts, _areas = pipeline
    assert main_report(Settings().with_paths(warehouse=warehouse), None) == 0
    (path,) = sorted((warehouse / "reports" / "AP").glob("status_*.html"))[-1:]
    year = int(re.search(r"status_(\d{4})\.html", path.name).group(1))
    return warehouse, year, path, tmp_path_factory.mktemp("chromium")


def test_rendered_dom_has_the_goal_table_and_every_figure_with_decoded_images(published_report):
    warehouse, year, path, profile = published_report
    dom = chromium(profile, "--virtual-time-budget=10000", "--dump-dom", path.as_uri()).stdout

    assert re.search(r'<table[^>]*\bid="maaltabel"', dom), "goal table missing from the rendered DOM"
    goals = pq.read_table(current_release(warehouse) / "fct_maalopfyldelse.parquet").to_pylist()
    expected_ids = sorted(g["maal_id"] for g in goals if g["status_aar"] == year and g["partnerskab_kode"] == "AP")
    assert sorted(re.findall(r'<tr[^>]*\bdata-maal="([^"]+)"', dom)) == expected_ids

    assert set(re.findall(r'<figure[^>]*\bdata-figur="([^"]+)"', dom)) == FIGURES
    images = re.findall(r"<img\b[^>]*>", dom)
    assert len(images) == len(FIGURES)
    # set by the page's inline script on `load`, from img.complete and img.naturalWidth > 0
    assert re.search(rf'<body[^>]*\bdata-billeder-indlaest="{len(FIGURES)}/{len(FIGURES)}"', dom), \
        re.search(r"<body[^>]*>", dom).group(0)
    assert all('data-indlaest="ja"' in img for img in images)


def test_screenshot_for_review(published_report):
    warehouse, year, path, profile = published_report
    shot = warehouse / "reports" / "AP" / f"status_{year}.png"
    shot.unlink(missing_ok=True)
    chromium(profile, "--virtual-time-budget=10000", f"--screenshot={shot}",
             f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars", path.as_uri())
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == WINDOW

    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 200, "the screenshot looks blank"
    print(f"screenshot: {shot}")


def _poppler(tool: str, *args: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: the PDF tests read the PDF with poppler-utils "
                    "(`make test` installs it; or: apt-get install -y poppler-utils)")
    result = subprocess.run([path, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_is_the_page_printed_notes_included(published_report):
    """status_<year>.pdf is the HTML page printed by Chromium: A4, several pages, each section from a new
    page, and every note of the page (sources, definitions, suppressed values, data manifest with the input
    files, folded on screen) in its text."""
    warehouse, year, path, _profile = published_report
    pdf = path.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = dict(line.split(":", 1) for line in _poppler("pdfinfo", str(pdf)).splitlines() if ":" in line)
    pages = int(info["Pages"])
    assert pages >= 5, info
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width - 595) < 2 and abs(height - 842) < 2, info["Page size"]  # A4 portrait, in points

    text = _words(_poppler("pdftotext", str(pdf), "-"))
    html = path.read_text(encoding="utf-8")
    notes = html[html.index('<section id="noter">'):]
    for heading in ("Noter", "Kilder", "Definitioner", "Undertrykte værdier", "Datagrundlag"):
        assert heading in text, heading
    for term in re.findall(r"<dt>([^<]+)</dt>", notes):
        assert _words(unescape(term)) in text, f"note {term!r} missing from the PDF"
    for source in re.findall(r"<li>([^<]+)</li>", notes[:notes.index("</ul>")]):
        assert _words(unescape(source)) in text, f"source {source!r} missing from the PDF"
    manifest = json.loads((current_release(warehouse) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] in text
    missing = [f["fil"] for f in manifest["inputfiler"] if f["sha256"][:12] not in text]
    assert not missing, f"input files missing from the PDF (the folded list must print unfolded): {missing}"
    assert "se HTML-udgaven" not in text

    # the goal table and each section from a new page
    firsts = [_words(_poppler("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"))
              for n in range(1, pages + 1)]
    assert f"Amager Partnerskab – status for {year}" in firsts[0]
    assert f"Målopfyldelse {year}" in firsts[0]
    for heading in ("1. Tryghed", "2. Anmeldt kriminalitet", "3. Samarbejde i tryghedsplanen", "Området", "Noter"):
        assert any(page.startswith(heading) for page in firsts), f"section {heading!r} does not start a page"
    print(f"pdf: {pdf} ({pages} pages)")
