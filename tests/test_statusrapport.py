"""The yearly status report, built from a real publication (the session's pipeline run).

Expected figures are read here straight from the published Parquet files with pyarrow and formatted or
parsed with this file's own helpers, so a mistake in the report's reading or formatting code cannot also
hide in the expectation.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from assets.foundation.settings import Settings
from assets.report.build import build_report
from assets.report.cli import main_report
from orchestration.report_asset import build_report_asset
from tests.conftest import current_release

FIGURES = {"tryghed", "kriminalitet", "fokus", "samarbejde", "kort"}
CHART_AREAS = ["AP", "AP_DEL_OPR", "AP_DEL_UDV", "BY10", "BY09", "101"]
STATUS = {True: "opfyldt", False: "ikke opfyldt", None: "ingen data"}
TREND = {"stigende": "stigende", "faldende": "faldende", "uaendret": "uændret", None: "–"}


class Page(HTMLParser):
    """The parts of the page the tests look at: goal rows by cell class, figures and their images, links."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.attrs_by_id: dict[str, dict] = {}
        self.figures: dict[str, list[str]] = {}
        self.links: list[str] = []
        self.rows: dict[str, dict[str, str]] = {}
        self._figure = self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
            self.attrs_by_id[a["id"]] = a
        self.links += [a[k] for k in ("src", "href", "action", "srcset", "poster") if k in a]
        if tag == "figure" and "data-figur" in a:
            self._figure = a["data-figur"]
            self.figures[self._figure] = []
        elif tag == "img" and self._figure:
            self.figures[self._figure].append(a.get("src", ""))
        elif tag == "tr" and "data-maal" in a:
            self._row = a["data-maal"]
            self.rows[self._row] = {}
        elif tag == "td" and self._row:
            self._cell = a.get("class", "").split()[0]
            self.rows[self._row][self._cell] = ""

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        elif tag == "tr":
            self._row = None
        elif tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._row and self._cell:
            self.rows[self._row][self._cell] += data


def parse_danish(text: str) -> tuple[float, float] | None:
    """The first Danish number in a cell → (value as stored in the mart, half a unit of its last digit)."""
    match = re.search(r"([−-]?)(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d+))?\s*(%?)", text)
    if match is None:
        return None
    sign, whole, decimals, percent = match.groups()
    value = float(whole.replace(".", "") + "." + (decimals or "0")) * (-1 if sign else 1)
    tolerance = 0.5 * 10 ** -len(decimals or "") + 1e-9
    if percent:
        return value / 100, tolerance / 100
    return value, tolerance


def rows_of(path: Path, **equal) -> list[dict]:
    table = pq.read_table(path)
    for column, value in equal.items():
        table = table.filter(pc.equal(table[column], value))
    return table.to_pylist()


def expected_year(marts: Path) -> int:
    """The newest status year (the newest survey edition, decision 9), from the mart directly."""
    return max(r["status_aar"] for r in rows_of(marts / "fct_maalopfyldelse.parquet"))


@pytest.fixture(scope="module")
def report(pipeline):
    _inbox, warehouse, _marts, _areas = pipeline
    marts = current_release(warehouse)
    year = expected_year(marts)
    assert main_report(Settings().with_paths(warehouse=warehouse), None) == 0
    path = warehouse / "reports" / "AP" / f"status_{year}.html"
    html = path.read_text(encoding="utf-8")
    return warehouse, marts, year, path, html, Page(html)


def test_main_report_writes_the_latest_year_into_warehouse_reports(pipeline, capsys):
    _inbox, warehouse, _marts, _areas = pipeline
    year = expected_year(current_release(warehouse))
    assert main_report(Settings().with_paths(warehouse=warehouse), None) == 0
    out = capsys.readouterr().out.strip().splitlines()
    # one report per partnership (issue 13), each in its own folder
    assert out == [str(warehouse / "reports" / code / f"status_{year}.html") for code in ("AP", "THP")]
    for code in ("AP", "THP"):
        assert (warehouse / "reports" / code / f"status_{year}.pdf").read_bytes().startswith(b"%PDF")


def test_goal_table_shows_every_goal_of_the_year_with_value_target_status_and_trend(report):
    _warehouse, marts, year, _path, _html, page = report
    assert "maaltabel" in page.ids
    assert page.attrs_by_id["maaltabel"].get("data-aar") == str(year)
    goals = rows_of(marts / "fct_maalopfyldelse.parquet", status_aar=year, partnerskab_kode="AP")
    assert sorted(page.rows) == sorted(g["maal_id"] for g in goals)
    for goal in goals:
        cells = page.rows[goal["maal_id"]]
        assert cells["beskrivelse"].strip() == goal["beskrivelse"]
        expected_status = STATUS[goal["opfyldt"]]
        if goal["opfyldt"] is None and goal["vaerdi"] is not None:
            expected_status = "ikke vurderet"  # preliminary, the baseline year or outside the agreement period
        assert cells["status"].strip() == expected_status
        assert TREND[goal["tendens"]] in cells["tendens"]
        for cell, expected in (("vaerdi", goal["vaerdi"]), ("maalvaerdi", goal["maalvaerdi"])):
            shown = parse_danish(cells[cell])
            if expected is None:
                assert shown is None, (goal["maal_id"], cell, cells[cell])
                continue
            assert shown is not None, (goal["maal_id"], cell, cells[cell])
            value, tolerance = shown
            assert abs(value - expected) <= tolerance, (goal["maal_id"], cell, cells[cell], expected)
            if goal["enhed"].startswith("andel"):
                assert "%" in cells[cell] and "," in cells[cell]  # a share, in Danish: "74,9 %"


def test_summary_counts_match_the_goal_mart(report):
    _warehouse, marts, year, _path, html, _page = report
    goals = rows_of(marts / "fct_maalopfyldelse.parquet", status_aar=year, partnerskab_kode="AP")
    met = sum(g["opfyldt"] is True for g in goals)
    not_met = sum(g["opfyldt"] is False for g in goals)
    not_judged = sum(g["opfyldt"] is None and g["vaerdi"] is not None for g in goals)
    missing = sum(g["opfyldt"] is None and g["vaerdi"] is None for g in goals)
    assert (f"I status {year} er {met} af {len(goals)} mål opfyldt, {not_met} ikke opfyldt, {not_judged} ikke "
            f"vurderet og {missing} uden data" in " ".join(html.split()))


def test_every_chart_and_the_map_are_embedded_png_images(report):
    _warehouse, _marts, _year, _path, _html, page = report
    assert set(page.figures) == FIGURES
    for key, sources in page.figures.items():
        assert len(sources) == 1, key
        prefix = "data:image/png;base64,"
        assert sources[0].startswith(prefix), key
        png = base64.b64decode(sources[0][len(prefix):], validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", key
        width, height = struct.unpack(">II", png[16:24])
        assert width >= 600 and height >= 300, (key, width, height)


def test_the_page_is_self_contained(report):
    _warehouse, _marts, _year, _path, html, page = report
    assert page.links, "no src/href found at all: the parser or the page is broken"
    assert all(link.startswith(("data:", "#")) for link in page.links), [
        link[:60] for link in page.links if not link.startswith(("data:", "#"))]
    assert re.search(r"https?:", html) is None
    assert "@import" not in html and "url(" not in html and "<link" not in html


def test_footnotes_carry_the_manifest_and_the_suppressed_count(report):
    _warehouse, marts, year, _path, html, page = report
    manifest = json.loads((marts / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] in html
    assert manifest["kodeversion"] in html
    for entry in manifest["inputfiler"]:
        assert entry["sha256"][:12] in html, entry["fil"]
        assert entry["fil"] in html

    safety = [r for r in rows_of(marts / "fct_tryghed.parquet", kilde="kk")
              if r["maal"] in ("nabolag", "aften_nat") and r["omraade_kode"] in CHART_AREAS and r["aar"] <= year]
    empty = sum(r["andel"] is None for r in safety)
    assert empty > 0, "the small sample should have suppressed shares; if not, this test checks nothing"
    assert page.attrs_by_id["undertrykte-vaerdier"]["data-undertrykte"] == str(empty)
    assert f"er {empty} af {len(safety)} punkter tomme" in " ".join(html.split())


def test_crime_caption_names_the_published_baseline(report):
    _warehouse, marts, _year, _path, html, _page = report
    baseline = [r for r in rows_of(marts / "baseline_2024.parquet", omraade_kode="AP") if not r["fastfrosset"]]
    rate = next(r["baseline_pr_1000"] for r in baseline if r["gerningstype"].startswith("Antal anmeldelser"))
    assert f"{rate:.2f}".replace(".", ",") in html


def test_built_from_the_published_folder_alone(report, tmp_path):
    """A copy of the release, with no warehouse or working database around it, gives the same goal table."""
    _warehouse, marts, year, _path, _html, page = report
    copy = tmp_path / "udgivelse"
    shutil.copytree(marts.resolve(), copy)
    path = build_report(copy, year, tmp_path / "ud", pdf=False, partnerskab="AP")
    assert path == tmp_path / "ud" / f"status_{year}.html"
    assert Page(path.read_text(encoding="utf-8")).rows == page.rows
    assert not (tmp_path / "ud" / f"status_{year}.pdf").exists()


@pytest.mark.parametrize("browser", ["missing", "failing"])
def test_without_a_working_chromium_the_pdf_is_skipped_with_one_warning(report, tmp_path, monkeypatch, capsys,
                                                                        browser):
    """Never a failed report and never a PDF without the notes: one warning line, and an older PDF removed."""
    import assets.report.pdf as pdf

    _warehouse, marts, year, _path, _html, page = report
    if browser == "missing":
        monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "ingen" / "chromium")
        monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    else:
        monkeypatch.setattr(pdf, "CHROMIUM", Path("/bin/false"))
    out = tmp_path / "ud"
    out.mkdir()
    (out / f"status_{year}.pdf").write_bytes(b"%PDF-1.4 an older PDF without the notes")
    path = build_report(marts, year, out)
    assert Page(path.read_text(encoding="utf-8")).rows == page.rows
    assert not (out / f"status_{year}.pdf").exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("statusrapport: advarsel: ") and "PDF" in err[0] and str(path) in err[0]
    assert ("Chromium mangler" if browser == "missing" else "kunne ikke udskrive") in err[0]


def test_main_report_fails_in_one_line_without_a_publication_or_data(pipeline, tmp_path, capsys):
    assert main_report(Settings().with_paths(warehouse=tmp_path / "tomt_lager"), None) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("statusrapport: ") and "tryghed run" in err[0]

    _inbox, warehouse, _marts, _areas = pipeline
    assert main_report(Settings().with_paths(warehouse=warehouse), 1990) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1990" in err[0]
    assert not (warehouse / "reports" / "AP" / "status_1990.html").exists()


def test_dagster_asset_builds_the_report_for_the_latest_year(pipeline):
    import dagster as dg

    from orchestration.resources import TryghedResource

    inbox, warehouse, _marts, _areas = pipeline
    asset = build_report_asset([dg.AssetKey(["publicerede_marts"])])
    key = dg.AssetKey(["statusrapport"])
    assert asset.key == key
    assert asset.group_names_by_key[key] == "rapportering"
    spec = next(iter(asset.specs))
    assert set(spec.kinds) == {"html"}
    assert {dep.asset_key for dep in spec.deps} == {dg.AssetKey(["publicerede_marts"])}

    year = expected_year(current_release(warehouse))
    target = warehouse / "reports" / "AP" / f"status_{year}.html"
    target.unlink(missing_ok=True)
    result = dg.materialize(
        [asset], resources={"tryghed": TryghedResource(inbox=str(inbox), warehouse=str(warehouse))},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    assert target.exists()
    metadata = result.asset_materializations_for_node("statusrapport")[0].metadata
    assert metadata["aar"].value == year


def test_the_words_follow_the_thresholds_the_release_was_computed_with(report, tmp_path):
    """The report says the thresholds of its release (manifest `taerskler`), not numbers written into it
    (goal 3's share is the partnership's own goal, from its file through the marts: not a threshold)."""
    import json

    _warehouse, marts, year, _path, html, _page = report
    assert "bygger på færre end 30 gyldige svar" in html and "mindst 75 %" in html  # the sample: the defaults
    copy = tmp_path / "udgivelse"
    shutil.copytree(marts.resolve(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["taerskler"]["minimum_svar"] == 30
    manifest["taerskler"].update(minimum_svar=50, diskretion_graense=10)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    text = build_report(copy, year, tmp_path / "ud", pdf=False).read_text(encoding="utf-8")
    # (the marts' own reason texts were computed by dbt with the release's thresholds; only the manifest changed)
    assert "bygger på færre end 50 gyldige svar" in text and "bygger på færre end 30" not in text
    assert "mindst 75 %" in text  # the partnership's goal 3
