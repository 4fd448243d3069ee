"""The dbt project as the rest of the code sees it: where it is, its seeds, its marts, how dbt is invoked.

dbt runs in this process through dbtRunner (dbt's documented programmatic entry point): the build
(orchestration), the docs (publishing) and the tests all call `invoke`, so the project's arguments and
the release of the database afterwards are written once.

The list of marts is the dbt project's: every model file directly under `models/marts/` is a mart that
is published to BI (the models under `models/marts/udgivelse/` are what publishing writes beside them).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from assets.foundation.dbt_duckdb_env import release_database
from assets.foundation.settings import DBT_PROJECT_DIR

TARGET = DBT_PROJECT_DIR / "target"
MANIFEST = TARGET / "manifest.json"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
# what the manifest is parsed from: a change to any of these makes it stale
_DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


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


def dbt_args(vars_: dict, target_path: Path = TARGET) -> list[str]:
    """The arguments every dbt command of this project takes (project, profile, target folder, vars)."""
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target_path), "--vars", json.dumps(vars_, sort_keys=True),
            "--no-send-anonymous-usage-stats"]


def invoke(command: Sequence[str], vars_: dict, *, target_path: Path = TARGET,
           callbacks: list[Callable] | None = None, manifest=None):
    """Run one dbt command in this process and release the database afterwards. Returns dbt's result.

    dbt-duckdb keeps the database open for the process; releasing it lets the next step (publishing,
    the next run's loaders) open the file.
    """
    from dbt.cli.main import dbtRunner

    try:
        return dbtRunner(manifest=manifest, callbacks=callbacks or []).invoke(
            [*command, *dbt_args(vars_, target_path)])
    finally:
        release_database()


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in _DBT_INPUTS:
        path = DBT_PROJECT_DIR / name
        paths = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for p in paths:
            if p.is_file():
                newest = max(newest, p.stat().st_mtime)
    return newest


def project_fingerprint() -> str:
    """A digest of every file the dbt project is parsed from (models, macros, seeds, tests, configuration):
    what the refresh by delivery compares with the build that made the incremental tables (decision 62)."""
    digest = hashlib.sha256()
    for name in _DBT_INPUTS:
        path = DBT_PROJECT_DIR / name
        paths = [path] if path.is_file() else sorted(path.rglob("*")) if path.exists() else []
        for p in paths:
            if p.is_file():
                digest.update(str(p.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def manifest_is_current() -> bool:
    return MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_input_mtime()


def prepare_manifest(vars_: dict) -> Path:
    """Parse the dbt project when the manifest is missing or older than any dbt file (a few seconds).

    A build step, never an import: `make manifest`, `tryghed run` before it loads the definitions, and the
    test session's start call it. Parsed with the run's vars, so the run's build can parse partially.
    """
    if manifest_is_current():
        return MANIFEST
    result = invoke(["parse", "--quiet"], vars_)
    if not result.success:
        raise DbtError(f"dbt parse failed: {result.exception}")
    return MANIFEST
