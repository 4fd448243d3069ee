"""Whether a dbt build may refresh the police models by delivery, or must rebuild them (decision 62).

The incremental police models (int_anmeldelser_dedupliceret, int_anmeldelser_gentaget,
int_gerningssteder_placeret, int_kriminalitet_koder) trust what the previous build left. They may, when the
state table `intermediate.int_anmeldelser_grundlag` (the deliveries they were built from) carries, as its
table comment, the fingerprint of everything else that shapes them: the dbt project's files, the vars
(without the run's window of years and the database path), the raw police table's loader contract (its own
table comment, `assets.ingest.loading.contract_fingerprint`) and the versions of DuckDB and dbt. Otherwise,
and when the caller asks for it (`tryghed run --fuld`, a selection of assets), the build is a full refresh.

The comment is cleared before every build and written again only when the build made the state table, so a
build that stopped half-way is followed by a full one: the incremental tables are never trusted after an
interrupted build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from assets.foundation.database import connect
from assets.foundation.dbt_project import project_fingerprint

STATE_SCHEMA = "intermediate"
STATE_TABLE = "int_anmeldelser_grundlag"
# vars that do not shape the police tables: the window (every build refreshes the reports by delivery,
# whatever its years); where the database lies is no var (Settings.dbt_vars)
_WINDOW_VARS = ("fra_aar", "til_aar")


@dataclass(frozen=True)
class RefreshPlan:
    full: bool
    reason: str  # Danish, for the run's log
    fingerprint: str


def fingerprint(vars_: dict, contract: str | None) -> str:
    """What the incremental police tables depend on besides the deliveries."""
    versions = {name: _version(name) for name in ("duckdb", "dbt-core", "dbt-duckdb")}
    shaping = {k: v for k, v in vars_.items() if k not in _WINDOW_VARS}
    text = json.dumps({"dbt": project_fingerprint(), "vars": shaping, "kontrakt": contract,
                       "versioner": versions}, sort_keys=True, default=str)
    return "grundlag:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def _comment(con, schema: str, table: str) -> str | None:
    found = con.execute("select comment from duckdb_tables() where schema_name = ? and table_name = ?",
                        [schema, table]).fetchone()
    return None if found is None else (found[0] or "")


def plan_refresh(database: Path, vars_: dict, *, forced: bool = False) -> RefreshPlan:
    """Decide the build's kind and mark the state stale until the build has made it again."""
    with connect(database) as con:
        current = fingerprint(vars_, _comment(con, "raw", "police"))
        stored = _comment(con, STATE_SCHEMA, STATE_TABLE)
        if stored is not None:
            con.execute(f"comment on table {STATE_SCHEMA}.{STATE_TABLE} is ''")
    if forced:
        return RefreshPlan(True, "fuld genopbygning (bedt om)", current)
    if stored is None:
        return RefreshPlan(True, "fuld genopbygning (ingen tidligere bygning)", current)
    if stored == "":
        return RefreshPlan(True, "fuld genopbygning (den forrige bygning blev ikke færdig)", current)
    if stored != current:
        return RefreshPlan(True, "fuld genopbygning (dbt-projekt, indstillinger eller indlæsning ændret)", current)
    return RefreshPlan(False, "opdatering efter leverancer (kun nye, ændrede og fjernede leverancer)", current)


def mark_built(database: Path, plan: RefreshPlan) -> None:
    """The build made the state table: the next build may refresh by delivery."""
    with connect(database) as con:
        if _comment(con, STATE_SCHEMA, STATE_TABLE) is not None:
            con.execute(f"comment on table {STATE_SCHEMA}.{STATE_TABLE} is '{plan.fingerprint}'")
