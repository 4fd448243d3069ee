"""Publishing: the marts as Parquet files and a DuckDB catalog for BI tools, swapped in atomically.

Layout under the warehouse:
  udgivelser/<release>/<mart>.parquet + manifest.json   one folder per published run (the last few kept)
  udgivelser/<release>/omraader.geojson                  the areas' polygons (WGS84), for maps in reports/BI
  marts -> udgivelser/<release>                          a symlink, replaced in one rename
  tryghed_katalog.duckdb                                 one view per mart over marts/<mart>.parquet

A reader that opened `marts/` before the swap keeps reading the old, complete release; a reader after it
sees only the new one. Nothing is written into a published folder after the swap.
"""


import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from assets.database import connect
from orchestration.config import MARTS, Settings

# Types every BI tool reads (indicators.md): text, 64-bit int, double, boolean, date, timestamp.
ALLOWED_TYPES = {"VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"}
# Columns that would identify a person, a report or an exact place; never published.
FORBIDDEN_COLUMNS = {"respondent_id", "journalnr", "x_utm32", "y_utm32", "celle_id", "geometri_wkt", "geom"}
KEEP_RELEASES = 3
AREAS_FILE = "omraader.geojson"
MANIFEST_FILE = "manifest.json"


class PublishError(Exception):
    pass


def read_manifest(marts_dir: Path) -> dict:
    """The manifest of the published marts, or {} when nothing has been published yet."""
    path = Path(marts_dir) / MANIFEST_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def check_publishable(con) -> dict[str, int]:
    """Refuse marts with types BI tools cannot read or columns that identify persons; return row counts."""
    counts = {}
    for mart in MARTS:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position", [mart]
        ).fetchall()
        if not columns:
            raise PublishError(f"mart {mart} was not built")
        for name, type_ in columns:
            if type_ not in ALLOWED_TYPES:
                raise PublishError(f"mart {mart}, column {name}: type {type_} is not one BI tools read")
            if name.lower() in FORBIDDEN_COLUMNS:
                raise PublishError(f"mart {mart}, column {name}: identifies a person, report or place")
        counts[mart] = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
    return counts


def publish(settings: Settings, run_id: str, inputs: list[dict], code_version: str = "",
            extra: dict | None = None) -> dict:
    """Write a new release aside, then swap it in. Returns the manifest that was published."""
    now = datetime.now(UTC)
    release_name = f"{now:%Y%m%dT%H%M%S}_{run_id[:8]}"
    settings.releases_dir.mkdir(parents=True, exist_ok=True)
    building = settings.releases_dir / f".{release_name}.bygges"
    release = settings.releases_dir / release_name
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()

    with connect(settings.database, read_only=True, spatial=True) as con:
        counts = check_publishable(con)
        write_area_polygons(con, building / AREAS_FILE)
        for number, mart in enumerate(MARTS):
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
    report can draw its map from the publication alone. Simplified to ~2 m, which no map at city scale shows.
    """
    rows = con.execute(
        """select omraade_kode, navn, niveau, overordnet_kode, gyldig_fra, gyldig_til,
                  st_asgeojson(st_transform(st_simplifypreservetopology(geom, 2.0), 'EPSG:25832', 'EPSG:4326',
                                            always_xy := true))
           from intermediate.int_omraader order by niveau_nr, omraade_kode"""
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


def _fault_injection_pause(number: int) -> None:
    """For the crash test only: TRYGHED_TEST_PUBLISH_PAUSE=<seconds> sleeps half-way through writing."""
    pause = os.environ.get("TRYGHED_TEST_PUBLISH_PAUSE")
    if pause and number == len(MARTS) // 2:
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
        for mart in MARTS:
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


def inputs_from_raw(con) -> list[dict]:
    """Every inbox file that went into this run, with its sha256, from the raw tables' lineage columns."""
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' order by 1").fetchall()]
    if not tables:
        return []
    union = " union all ".join(
        f"select '{t}' as kilde, kildefil, kilde_sha256, count(*) as raekker from raw.{t} group by all"
        for t in tables
    )
    return [
        {"kilde": k, "fil": f, "sha256": s, "raekker": n}
        for k, f, s, n in con.execute(f"select * from ({union}) order by kildefil").fetchall()
    ]


def build_publish_asset(mart_keys):
    """The Dagster asset that publishes, downstream of every mart (and so of every dbt test)."""
    import dagster as dg

    from assets.revisions import counts as counts_of_revisions
    from orchestration.partitions import years_from_tags
    from orchestration.resources import TryghedResource

    @dg.asset(
        key=dg.AssetKey(["publicerede_marts"]),
        deps=mart_keys,
        group_name="publicering",
        description="The marts as Parquet under warehouse/marts/ plus the BI catalog, swapped in atomically.",
        kinds={"parquet", "duckdb"},
    )
    def publicerede_marts(context: dg.AssetExecutionContext, tryghed: TryghedResource) -> dg.MaterializeResult:
        settings = tryghed.settings()
        with connect(settings.database, read_only=True) as con:
            inputs = inputs_from_raw(con)
            revisions = counts_of_revisions(con)
        first, last = years_from_tags(context.run.tags)
        manifest = publish(settings, context.run.run_id, inputs, code_version=code_version(),
                           extra={"aar_genberegnet": {"fra": first, "til": last}, "revisioner": revisions})
        context.log.info(f"published {len(manifest['raekker'])} marts to {settings.marts_dir}")
        return dg.MaterializeResult(
            metadata={
                "marts": dg.MetadataValue.json(manifest["raekker"]),
                "path": dg.MetadataValue.path(str(settings.marts_dir)),
            }
        )

    return publicerede_marts


def code_version() -> str:
    """The git commit of the code (with '+ændret' when the work tree differs), for the manifest."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "ukendt"
    return (head or "ukendt") + ("+ændret" if dirty else "")
