"""The status report as a reader's browser shows it: headless Chromium (Debian's package), offline.

Name resolution is switched off for the browser, so a page that needed anything from the net would show
broken images here. A screenshot is kept beside the report (warehouse/reports/status_<year>.png) for review.
`make test` installs Chromium first; without it these tests fail rather than skip, so a missing browser
can never pass for a working report.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from assets.foundation.settings import Settings
from assets.report.cli import main_report

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
    goals = pq.read_table(warehouse / "marts" / "fct_maalopfyldelse.parquet").to_pylist()
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
