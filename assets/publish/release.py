"""Publishing: the marts as Parquet files and a DuckDB catalog for BI tools, swapped in atomically.

Layout under the warehouse:
  udgivelser/<release>/<mart>.parquet + manifest.json   one folder per published run (the last few kept)
  udgivelser/<release>/omraader.geojson                  the areas' polygons (WGS84), for maps in reports/BI
  marts -> udgivelser/<release>                          a symlink, replaced in one rename
  tryghed_katalog.duckdb                                 one view per mart over marts/<mart>.parquet

A reader that opened `marts/` before the swap keeps reading the old, complete release; a reader after it
sees only the new one. Nothing is written into a published folder after the swap.

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

# Types every BI tool reads (indicators.md): text, 64-bit int, double, boolean, date, timestamp.
ALLOWED_TYPES = {"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"}
KEEP_RELEASES = 3
AREAS_FILE = "omraader.geojson"
MANIFEST_FILE = "manifest.json"


class PublishError(Exception):
    pass


def read_manifest(marts_dir: Path) -> dict:
    """The manifest of the published marts, or {} when nothing has been published yet."""
    path = Path(marts_dir) / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
        "inputfiler": sorted(inputs, key=lambda f: f["fil"]),
        "raekker": counts,
        **(extra or {}),
        **revisions,
    }
    (building / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    _fsync_dir(building)
    os.rename(building, release)
    _swap_symlink(settings.marts_dir, release)
    write_catalog(settings)
    _prune(settings, keep=release)
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


def _swap_symlink(link: Path, target: Path) -> None:
    if link.exists() and not link.is_symlink():
        # a plain folder from an earlier layout: keep it as a release rather than deleting it
        link.rename(link.parent / "udgivelser" / f"tidligere_{datetime.now():%Y%m%dT%H%M%S}")
    tmp = link.with_name(f".{link.name}.ny")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(target, link.parent), tmp)
    os.replace(tmp, link)  # atomic on POSIX


def write_catalog(settings: Settings) -> None:
    """A small DuckDB file with one view per mart over the published Parquet files (opened read-only by BI)."""
    import duckdb

    tmp = settings.catalog.with_name(f".{settings.catalog.name}.ny")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for mart in mart_names():
            link_path = settings.marts_dir.absolute() / f"{mart}.parquet"
            con.execute(f"create view {mart} as select * from read_parquet('{link_path}')")
    finally:
        con.close()
    os.replace(tmp, settings.catalog)


def _prune(settings: Settings, keep: Path) -> None:
    releases = sorted(p for p in settings.releases_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in releases[:-KEEP_RELEASES]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for stale in settings.releases_dir.glob(".*.bygges"):
        if stale.name != f".{keep.name}.bygges":
            shutil.rmtree(stale, ignore_errors=True)


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
