"""The dbt project as the rest of the code sees it: where it is, its seeds, its marts, how dbt is invoked.

dbt runs in this process through dbtRunner (dbt's documented programmatic entry point): the build
(orchestration), the docs (publishing) and the tests all call `invoke`, so the project's arguments and
the release of the database afterwards are written once.

Where dbt writes: `dbt_project/target` holds only the prepared manifest (`prepare_manifest`: `make
manifest`, `tryghed run` before it loads the definitions, the test session's start); every dbt command of
a run writes into a target folder of its own (a run's build: `<warehouse>/.dbt/target`, WarehouseLayout),
so runs into different warehouses at the same time (two test workers) never write one folder. Each command
is parsed first, in a `dbt parse` that reads the prepared partial-parse file and does not know the working
database (dbt's partial-parse check hashes the profile's connection values, the database path among them,
so a new warehouse would otherwise parse the whole project again, ~3 s); the command then runs on that
parsed manifest with the warehouse's database.

The list of marts is the dbt project's: every model file directly under `models/marts/` is a mart that
is published to BI (the models under `models/marts/udgivelse/` are what publishing writes beside them).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import cache
from pathlib import Path

from assets.foundation.dbt_duckdb_env import release_database
from assets.foundation.settings import DBT_PROJECT_DIR

TARGET = DBT_PROJECT_DIR / "target"  # the prepared manifest only: written by prepare_manifest, nothing else
MANIFEST = TARGET / "manifest.json"
PARTIAL_PARSE = TARGET / "partial_parse.msgpack"  # what every command's parse starts from
PROJECT_SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
# The seeds folder dbt and Python read (dbt_project.yml's seed-paths is the var `seeds_dir`): the project's
# committed seeds; a test that must change a seed points this at a copy (monkeypatch), never at the project
SEEDS_DIR = PROJECT_SEEDS_DIR
MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
# what the manifest is parsed from: a change to any of these makes it stale
_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")
_DATABASE_NAME = "tryghed"  # the working database's file name without .duckdb (WarehouseLayout.database)


class DbtError(Exception):
    """dbt failed; the message names the nodes (or dbt's own error)."""


def mart_names() -> tuple[str, ...]:
    """The published marts, from the dbt project: the model files directly under models/marts/."""
    return tuple(sorted(p.stem for p in MARTS_DIR.glob("*.sql")))


def mart_docs() -> dict[str, dict]:
    """Every mart's description and its columns' descriptions, as the dbt docs show them (`_marts.yml`,
    parsed into the manifest): {mart: {"description": str, "columns": {column: str}}}.

    Read from the prepared manifest (a build step, see prepare_manifest); empty texts when it is missing.
    """
    nodes = json.loads(MANIFEST.read_text(encoding="utf-8"))["nodes"] if MANIFEST.exists() else {}
    by_name = {n["name"]: n for n in nodes.values() if n.get("resource_type") == "model"}
    docs = {}
    for mart in mart_names():
        node = by_name.get(mart, {})
        docs[mart] = {
            "description": " ".join((node.get("description") or "").split()),
            "columns": {name: " ".join((c.get("description") or "").split())
                        for name, c in node.get("columns", {}).items()},
        }
    return docs


def read_seed(name: str) -> list[dict[str, str]]:
    """The rows of a dbt seed (project data the team maintains), as text, so Python and dbt read one file."""
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@cache
def seed_column(name: str, column: str) -> tuple:
    """One column of a seed; digit-only values as numbers (as dbt types them)."""
    return tuple(int(v) if v.isdigit() else v for v in (row[column] for row in read_seed(name)))


def dbt_args(vars_: dict, target_path: Path, database: Path | None = None,
             seeds_dir: Path | None = None) -> list[str]:
    """The arguments every dbt command of this project takes (project, profile, target folder, vars).

    The working database and a seeds folder other than the project's reach dbt as vars of their own
    (profiles.yml, dbt_project.yml); without a database dbt's profile names the project's default one,
    which a parse never opens.
    """
    extra: dict[str, str] = {}
    if database is not None:
        extra["database"] = str(database)
    if seeds_dir is not None and Path(seeds_dir).resolve() != PROJECT_SEEDS_DIR.resolve():
        extra["seeds_dir"] = os.path.relpath(seeds_dir, DBT_PROJECT_DIR)
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target_path), "--vars", json.dumps({**vars_, **extra}, sort_keys=True),
            "--no-send-anonymous-usage-stats"]


# The parse started ahead of a run's commands (parse_ahead): (the caller's key, the vars and seeds it was
# parsed with, dbt's result to come); one at a time
_ahead: tuple[str, tuple, Future] | None = None


def parse_ahead(key: str, vars_: dict, target_path: Path) -> None:
    """Start, in a background thread, the parse that coming `invoke(..., ahead=key)` calls with the same
    vars (and seeds folder) will take instead of parsing themselves.

    The first dbt parse in a process costs ~2 s (dbt loads its adapter, its macros and the partial-parse
    file) and needs no database, so a caller that is about to wait on another process (the raw stage's
    Great Expectations validation, in its worker) starts it here and the parse costs the run nothing.
    Every later command under the same key takes the same parsed manifest (a run's build, then its docs:
    nothing of the project changes within a run). A new call replaces the one before.
    """
    global _ahead
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(parse(vars_, target_path))
        except BaseException as exc:  # raised again by the command that takes it
            future.set_exception(exc)

    _ahead = (key, _parsed_with(vars_), future)
    threading.Thread(target=run, name="dbt-parse-ahead", daemon=True).start()


def _parsed_with(vars_: dict) -> tuple:
    return json.dumps(vars_, sort_keys=True), str(Path(SEEDS_DIR).resolve())


def _parsed_ahead(key: str, vars_: dict, target_path: Path):
    """The manifest parsed ahead under `key` for these vars and seeds, with its manifest.json in
    `target_path` (dbt's docs inline it from there); None when there is none, or it failed (the command
    then parses again and returns dbt's own failure)."""
    global _ahead
    if _ahead is None or _ahead[:2] != (key, _parsed_with(vars_)):
        return None
    parsed = _ahead[2].result()
    if not parsed.success:
        _ahead = None
        return None
    if not (Path(target_path) / "manifest.json").is_file():
        Path(target_path).mkdir(parents=True, exist_ok=True)
        parsed.result.write(str(Path(target_path) / "manifest.json"))
    return parsed.result


def invoke(command: Sequence[str], vars_: dict, *, target_path: Path, database: Path | None = None,
           callbacks: list[Callable] | None = None, manifest=None, ahead: str | None = None):
    """Run one dbt command in this process and release the database afterwards. Returns dbt's result.

    `target_path` is the command's own folder (never dbt_project/target), `database` the working database
    (a warehouse's `tryghed.duckdb`). Unless a parsed `manifest` is given, or was parsed ahead under the key
    `ahead` (parse_ahead), the project is parsed first into `target_path` without the database (`parse`),
    so the partial parse prepared in dbt_project/target holds for every warehouse; a failed parse is
    returned as the command's result.

    dbt-duckdb keeps the database open for the process; releasing it lets the next step (publishing,
    the next run's loaders) open the file.
    """
    from dbt.cli.main import dbtRunner

    if "database" in vars_:
        raise DbtError("the working database is invoke's argument `database`, not a var (the parse leaves it out)")
    if database is not None and Path(database).stem != _DATABASE_NAME:
        # dbt-duckdb names the database (the first part of every table's name) after the file; the parse,
        # which does not see the file, names it after the profile's default
        raise DbtError(f"the working database must be called {_DATABASE_NAME}.duckdb, not {Path(database).name}")
    try:
        if manifest is None and ahead is not None:
            manifest = _parsed_ahead(ahead, vars_, target_path)
        if manifest is None:
            parsed = parse(vars_, target_path)
            if not parsed.success:
                return parsed
            manifest = parsed.result
        return dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(
            [*command, *dbt_args(vars_, target_path, database, SEEDS_DIR)])
    finally:
        release_database()


def parse(vars_: dict, target_path: Path, *, seeds_dir: Path | None = None):
    """`dbt parse` into `target_path`, starting from the prepared partial-parse file when there is one (dbt
    then parses only what changed since, or everything when the vars differ). Returns dbt's result; its
    `result` is the parsed manifest. The database is left out on purpose (see the module's docstring)."""
    from dbt.cli.main import dbtRunner

    start = ["--partial-parse-file-path", str(PARTIAL_PARSE)] if PARTIAL_PARSE.is_file() else []
    return dbtRunner().invoke(["parse", "--quiet", *start,
                               *dbt_args(vars_, target_path, seeds_dir=seeds_dir or SEEDS_DIR)])


def _input_files(seeds_dir: Path) -> list[tuple[str, Path]]:
    """(name in the project, file) of every file the dbt project is parsed from, the seeds from `seeds_dir`."""
    files = []
    for name in _DBT_INPUTS:
        path = seeds_dir if name == "seeds" else DBT_PROJECT_DIR / name
        paths = [path] if path.is_file() else sorted(path.rglob("*")) if path.exists() else []
        files += [(str(Path(name) / p.relative_to(path)) if p != path else name, p) for p in paths if p.is_file()]
    return files


def _newest_input_mtime() -> float:
    return max((p.stat().st_mtime for _, p in _input_files(PROJECT_SEEDS_DIR)), default=0.0)


def project_fingerprint() -> str:
    """A digest of every file the dbt project is parsed from (models, macros, seeds, tests, configuration):
    what the refresh by delivery compares with the build that made the incremental tables (decision 62)."""
    digest = hashlib.sha256()
    for name, p in _input_files(SEEDS_DIR):
        digest.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def manifest_is_current() -> bool:
    return MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_input_mtime()


def prepare_manifest(vars_: dict) -> Path:
    """Parse the dbt project when the manifest is missing or older than any dbt file (a few seconds).

    A build step, never an import: `make manifest`, `tryghed run` before it loads the definitions, and the
    test session's start call it; the only writer of dbt_project/target. Parsed with the run's vars (those
    of `tryghed run` over every year), so each run's parse finds nothing to do. The project's own seeds,
    whatever SEEDS_DIR says. Parsed into a folder of its own and moved into place file by file (the
    manifest last), so a reader never sees half a file.
    """
    if manifest_is_current():
        return MANIFEST
    TARGET.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=".parse_", dir=TARGET) as tmp:
            result = parse(vars_, Path(tmp), seeds_dir=PROJECT_SEEDS_DIR)
            if not result.success:
                raise DbtError(f"dbt parse failed: {result.exception}")
            for name in (PARTIAL_PARSE.name, "semantic_manifest.json", MANIFEST.name):
                if (Path(tmp) / name).is_file():  # no partial-parse file when nothing changed
                    os.replace(Path(tmp) / name, TARGET / name)
    finally:
        release_database()
    return MANIFEST
