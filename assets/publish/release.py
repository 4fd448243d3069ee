"""Publishing: the marts as Parquet files, a DuckDB catalog and an Excel workbook, swapped in atomically.

Layout under the warehouse (paths in assets/foundation/settings.py WarehouseLayout):
  udgivelser/<release>/<mart>.parquet + manifest.json   one folder per published run (the last few kept)
  udgivelser/<release>/omraader.geojson                  the areas' polygons (WGS84), for maps in reports/BI
  udgivelser/<release>/tryghed_katalog.duckdb            the release's marts as tables, described (catalog.py)
  udgivelser/<release>/tryghed_marts.xlsx                one sheet per mart + "Læs mig" (workbook.py)
  udgivelser/AKTUEL.txt                                  the current release's name: what the code reads
  tryghed_katalog.duckdb, tryghed_marts.xlsx             copies of the current release's, replaced in one rename
  marts -> udgivelser/<release>                          a symlink, for readers by path where symlinks exist

A release is written aside and renamed into place whole; then `releases.make_current` swaps the catalog,
the workbook, the link and last the pointer, each in one rename. A reader that opened the previous release
keeps reading it, complete; nothing is written into a published folder after the rename. Nothing in the
catalog or the workbook holds a path, so the warehouse can be copied or moved anywhere (or synced by a
service that drops symlinks) and still opens.

Publishing reads the dbt project's output only: the BI marts (schema `marts`, the list from the dbt
project) and what dbt prepared for the release beside them (schema `udgivelse`: the areas' polygons, the
input files, the police revisions); never the raw or intermediate tables.
"""


import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from assets.foundation.database import connect
from assets.foundation.dbt_project import mart_names, read_seed
from assets.foundation.settings import PROJECT_ROOT, Settings
from assets.publish.catalog import write_catalog
from assets.publish.releases import MANIFEST_FILE, make_current, prune, read_manifest
from assets.publish.workbook import write_workbook

# Types every BI tool reads (indicators.md): text, 64-bit int, double, boolean, date, timestamp.
ALLOWED_TYPES = {"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"}
KEEP_RELEASES = 3
AREAS_FILE = "omraader.geojson"
__all__ = ["MANIFEST_FILE", "PublishError", "publish", "published_inputs", "read_manifest"]


class PublishError(Exception):
    pass


def published_inputs(marts_dir: Path) -> dict[str, str]:
    """The input files (file → sha256) of the published marts."""
    return {f["fil"]: f["sha256"] for f in read_manifest(marts_dir).get("inputfiler", [])}


@cache
def forbidden_column_patterns() -> tuple[re.Pattern, ...]:
    """Column names that identify a person, a report or an exact place: the dbt seed the dbt test reads too."""
    return tuple(re.compile(row["moenster"]) for row in read_seed("ikke_publicerbare_kolonner.csv"))


def check_publishable(con) -> dict[str, int]:
    """Refuse marts with types BI tools cannot read or columns that identify persons; return row counts."""
    counts = {}
    for mart in mart_names():
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position", [mart]
        ).fetchall()
        if not columns:
            raise PublishError(f"mart {mart} was not built")
        for name, type_ in columns:
            if type_ not in ALLOWED_TYPES:
                raise PublishError(f"mart {mart}, column {name}: type {type_} is not one BI tools read")
            if any(p.search(name.lower()) for p in forbidden_column_patterns()):
                raise PublishError(f"mart {mart}, column {name}: identifies a person, report or place")
        counts[mart] = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
    return counts


def publish(settings: Settings, run_id: str, code_version: str = "", extra: dict | None = None) -> dict:
    """Write a new release aside, then swap it in. Returns the manifest that was published."""
    now = datetime.now(UTC)
    release_name = f"{now:%Y%m%dT%H%M%S}_{run_id[:8]}"
    settings.releases_dir.mkdir(parents=True, exist_ok=True)
    building = settings.releases_dir / f".{release_name}.bygges"
    release = settings.releases_dir / release_name
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()

    marts = mart_names()
    with connect(settings.database, read_only=True) as con:
        counts = check_publishable(con)
        inputs = input_files(con)
        revisions = revision_counts(con)
        write_area_polygons(con, building / AREAS_FILE)
        for number, mart in enumerate(marts):
            _fault_injection_pause(number)
            # sorted, so that two runs on the same inbox write the same rows in the same order
            con.execute(
                f"copy (select * from marts.{mart} order by all) to '{building / (mart + '.parquet')}' "
                "(format parquet, compression zstd)"
            )
    manifest = {
        "run_id": run_id,
        "udgivet": now.isoformat(timespec="seconds"),
        "kodeversion": code_version,
        "taerskler": settings.thresholds(),
        "inputfiler": sorted(inputs, key=lambda f: f["fil"]),
        "raekker": counts,
        **(extra or {}),
        **revisions,
    }
    (building / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    # the BI files, inside the release before it is renamed into place (so every release carries its own)
    write_catalog(building, building / settings.catalog.name)
    write_workbook(building, building / settings.layout.workbook.name, manifest)
    _fsync_dir(building)
    os.rename(building, release)
    make_current(settings.layout, release)
    prune(settings.layout, keep=KEEP_RELEASES)
    return manifest


def write_area_polygons(con, path: Path) -> None:
    """The areas' polygons as GeoJSON in WGS84 (what map libraries and BI map visuals expect).

    Published beside the marts rather than as a mart column, so the marts keep to BI-readable types and a
    report can draw its map from the publication alone. dbt prepares the geometry (udgivelse_omraader).
    """
    rows = con.execute(
        """select omraade_kode, navn, niveau, overordnet_kode, gyldig_fra, gyldig_til, geometri_geojson
           from udgivelse.udgivelse_omraader order by niveau_nr, omraade_kode"""
    ).fetchall()
    features = [
        {
            "type": "Feature",
            "properties": {"omraade_kode": kode, "navn": navn, "niveau": niveau, "overordnet_kode": parent,
                           "gyldig_fra": fra and fra.isoformat(), "gyldig_til": til and til.isoformat()},
            "geometry": json.loads(geometry),
        }
        for kode, navn, niveau, parent, fra, til, geometry in rows
    ]
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def input_files(con) -> list[dict]:
    """Every inbox file that went into this run, with its sha256 (dbt's udgivelse_inputfiler)."""
    return [
        {"kilde": k, "fil": f, "sha256": s, "raekker": n}
        for k, f, s, n in con.execute(
            "select kilde, kildefil, kilde_sha256, raekker from udgivelse.udgivelse_inputfiler order by all"
        ).fetchall()
    ]


def revision_counts(con) -> dict:
    """Reports changed by later police deliveries, for the manifest: in all and per year (`revisioner`),
    and per year, previous year and delivery file (`revisioner_pr_fil`), so the run summary can say
    which of them a new delivery brought without opening the working database."""
    rows = con.execute(
        """select aar, forrige_aar, kildefil, omklassificeret, flyttet_aar, antal
           from udgivelse.udgivelse_revisioner order by all"""
    ).fetchall()
    per_year: dict[str, int] = {}
    for aar, _forrige, _fil, _omkl, _flyttet, n in rows:
        per_year[str(aar)] = per_year.get(str(aar), 0) + n
    return {
        "revisioner": {
            "anmeldelser_rettet": sum(r[5] for r in rows),
            "heraf_omklassificeret": sum(r[5] for r in rows if r[3]),
            "heraf_flyttet_aar": sum(r[5] for r in rows if r[4]),
            "pr_aar": dict(sorted(per_year.items())),
        },
        "revisioner_pr_fil": [
            {"aar": aar, "forrige_aar": forrige, "fil": fil, "antal": n} for aar, forrige, fil, _o, _f, n in rows
        ],
    }


def _fault_injection_pause(number: int) -> None:
    """For the crash test only: TRYGHED_TEST_PUBLISH_PAUSE=<seconds> sleeps half-way through writing."""
    pause = os.environ.get("TRYGHED_TEST_PUBLISH_PAUSE")
    if pause and number == len(mart_names()) // 2:
        import time

        time.sleep(float(pause))


def _fsync_dir(path: Path) -> None:
    for f in path.iterdir():
        with f.open("rb") as fh:
            os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def code_version() -> str:
    """The git commit of the code (with '+ændret' when the work tree differs), for the manifest."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "ukendt"
    return (head or "ukendt") + ("+ændret" if dirty else "")
