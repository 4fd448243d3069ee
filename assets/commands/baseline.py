"""Freezing the 2024 baseline: `tryghed baseline freeze --version <v>`.

The agreement's baseline table is computed by the pipeline (mart `baseline_2024`) and, once the partners
adopt it, must never change again, whatever later deliveries do to the 2024 figures. A frozen version is
therefore data the team maintains and commits, like the other dbt seeds: the rows of
`dbt_project/seeds/baseline_2024_frosset.csv`. The marts read it on every run: `baseline_2024` shows each
frozen version exactly as frozen (and a computed version beside it only when the current data give
different values), and `fct_kriminalitet` / `fct_maalopfyldelse` judge goals 2a–2d against the latest
frozen version.

Freezing copies the *published* computed version (what BI tools and the Finance Committee saw), not a fresh
computation, so what gets adopted is exactly what was reviewed. Versions are append-only: a name is never
reused and a row is never rewritten, so the history of what was adopted stays in git.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from assets.foundation import formatting as fmt
from assets.foundation.dbt_project import SEEDS_DIR
from assets.foundation.partnerships import Partnership, load_partnerships
from assets.foundation.settings import Settings

SEED_PATH = SEEDS_DIR / "baseline_2024_frosset.csv"
MART = "baseline"  # every partnership's baseline table (decision 18); one partnership is frozen at a time
MART_2024 = "baseline_2024"  # the same rows for the partnerships whose baseline year is the shared one
# The seed's columns, in file order: the mart's columns plus the day of freezing.
COLUMNS = ("gerningstype", "maal", "baseline_antal", "baseline_pr_1000", "omraade_kode", "version",
           "beregnet", "fastfrosset", "frosset_dato")
# Rates are compared at this precision, the same as the fingerprint in baseline_2024.sql.
RATE_DECIMALS = 6
# Letters, digits, '.', '_' and '-', starting with a letter or digit: safe in a ';' file and in SQL.
_VERSION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class BaselineError(Exception):
    """Freezing is not possible (no published baseline, bad version name, name taken, ...)."""


class AlreadyFrozen(BaselineError):
    """The computed baseline is identical to a version that is already frozen; nothing was written.

    Not a failure of the data, so the CLI reports it and exits 0; a separate type so callers can tell it
    from a real error.
    """

    def __init__(self, version: str):
        self.version = version
        super().__init__(f"already frozen as {version}")


def freeze(settings: Settings, version: str, today: date | None = None,
           seed_path: Path = SEED_PATH) -> list[dict]:
    """Append the published computed baseline to the seed as frozen version `version`; return its rows.

    Refuses a version name that exists (versions are append-only), and writes nothing when the computed
    values equal an already frozen version (raises AlreadyFrozen naming it). The seed is replaced in one
    rename, so a reader (dbt, git, an editor) never sees half a file.
    """
    _check_version_name(version)
    today = today or date.today()
    frozen = frozen_versions(seed_path)
    if version in frozen:
        raise BaselineError(f"version {version} is already frozen in {seed_path}; versions are never changed, "
                            "choose a new name")
    computed = computed_baseline(settings)
    if not computed:
        # the run found the computed baseline identical to a frozen version, so the mart only shows those
        raise AlreadyFrozen(_identify_frozen_from_fct_kriminalitet(settings, frozen))
    for name, rows in frozen.items():
        if _same_values(rows, computed):
            raise AlreadyFrozen(name)

    new_rows = [
        {
            "gerningstype": row["gerningstype"],
            "maal": row["maal"],
            "baseline_antal": row["baseline_antal"],
            "baseline_pr_1000": row["baseline_pr_1000"],
            "omraade_kode": row["omraade_kode"],
            "version": version,
            "beregnet": row["beregnet"],
            "fastfrosset": True,
            "frosset_dato": today,
        }
        for row in computed
    ]
    _append_rows(seed_path, new_rows)
    return new_rows


def frozen_versions(seed_path: Path = SEED_PATH) -> dict[str, list[dict]]:
    """The frozen versions in the seed: version → its rows (typed, in file order), in file order."""
    if not seed_path.exists():
        return {}
    with seed_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        _check_header(reader.fieldnames, seed_path)
        versions: dict[str, list[dict]] = {}
        for row in reader:
            typed = {
                "gerningstype": row["gerningstype"],
                "maal": row["maal"],
                "baseline_antal": int(row["baseline_antal"]) if row["baseline_antal"] else None,
                "baseline_pr_1000": float(row["baseline_pr_1000"]) if row["baseline_pr_1000"] else None,
                "omraade_kode": row["omraade_kode"],
                "version": row["version"],
                "beregnet": datetime.fromisoformat(row["beregnet"]) if row["beregnet"] else None,
                "fastfrosset": row["fastfrosset"].strip().lower() != "false",
                "frosset_dato": date.fromisoformat(row["frosset_dato"]) if row["frosset_dato"] else None,
            }
            versions.setdefault(typed["version"], []).append(typed)
    return versions


def partnership_to_freeze(settings: Settings) -> Partnership:
    """The partnership whose baseline is frozen: `--partnerskab`, else the default one (or the only one)."""
    partnerships = load_partnerships(settings.partnerskaber, settings.partnerskab)
    if len(partnerships) == 1:
        return partnerships[0]
    default = [p for p in partnerships if p.standard]
    if not default:
        raise BaselineError("several partnerships and none is the default: name one with --partnerskab CODE")
    return default[0]


def computed_baseline(settings: Settings) -> list[dict]:
    """The unfrozen (computed) rows of the partnership's published baseline, sorted by gerningstype.

    Empty when the last run found the computed values identical to a frozen version. Checks that the rows
    are one complete version, since a frozen baseline with a gap could never be repaired.
    """
    import duckdb

    partnership = partnership_to_freeze(settings)
    expected = sum(g.art == "kriminalitet" for g in partnership.maal)
    # a partnership with the shared baseline year freezes what baseline_2024 publishes (as before there were
    # several); another baseline year's table is only in the mart baseline (decision 18)
    mart = MART_2024 if partnership.baseline_aar == settings.baseline_aar else MART
    path = settings.marts_dir / f"{mart}.parquet"
    if not path.exists():
        raise BaselineError(f"no published baseline at {path}: run `tryghed run` first")
    con = duckdb.connect()
    try:
        cursor = con.execute(
            "select gerningstype, maal, baseline_antal, baseline_pr_1000, omraade_kode, version, beregnet "
            "from read_parquet(?) where not fastfrosset and omraade_kode = ? order by gerningstype",
            [str(path), partnership.omraade_kode])
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
    if not rows:
        return []
    versions = {r["version"] for r in rows}
    if len(versions) != 1 or len(rows) != expected or len({r["gerningstype"] for r in rows}) != expected:
        raise BaselineError(f"the published baseline in {path} is not one computed version of {expected} rows "
                            f"(versions {sorted(versions)}, {len(rows)} rows); run `tryghed run` again")
    missing = [r["gerningstype"] for r in rows if r["baseline_antal"] is None or r["baseline_pr_1000"] is None]
    if missing:
        raise BaselineError(f"the computed baseline has no value for {', '.join(missing)} (no 2024 police "
                            "data or population?); an incomplete baseline cannot be frozen")
    return rows


def _same_values(frozen: list[dict], computed: list[dict]) -> bool:
    """Same counts and same rates (to RATE_DECIMALS) for the same gerningstyper, as baseline_2024.sql judges."""
    def key(rows: list[dict]) -> dict:
        return {
            (r["gerningstype"], r["omraade_kode"]): (
                r["baseline_antal"],
                None if r["baseline_pr_1000"] is None else round(r["baseline_pr_1000"], RATE_DECIMALS),
            )
            for r in rows
        }
    return key(frozen) == key(computed)


def _identify_frozen_from_fct_kriminalitet(settings: Settings, frozen: dict[str, list[dict]]) -> str:
    """Name the frozen version the last run's computed baseline equals.

    baseline_2024 then shows only frozen versions, so the computed values are taken from where they are
    still published: fct_kriminalitet's counts and rates for the partnership in the baseline year.
    """
    import duckdb

    path = settings.marts_dir / "fct_kriminalitet.parquet"
    partnership = partnership_to_freeze(settings)
    typer = {g.gruppe: g.gerningstype for g in partnership.maal if g.art == "kriminalitet"}
    area = partnership.omraade_kode
    con = duckdb.connect()
    try:
        rows = con.execute(
            "select gruppe, antal_anmeldelser, pr_1000 from read_parquet(?) where aar = ? and omraade_kode = ?",
            [str(path), partnership.baseline_aar, area]).fetchall()
    except duckdb.Error as exc:
        raise BaselineError(f"the published baseline has no computed version and {path} cannot be read "
                            f"({exc}); run `tryghed run` first") from exc
    finally:
        con.close()
    computed = [
        {"gerningstype": typer[gruppe], "omraade_kode": area, "baseline_antal": antal,
         "baseline_pr_1000": pr_1000}
        for gruppe, antal, pr_1000 in rows if gruppe in typer
    ]
    for name, version_rows in frozen.items():
        if _same_values(version_rows, computed):
            return name
    raise BaselineError("the published baseline has no computed version, but its values match no version in "
                        "the seed (was the seed changed since the last run?); run `tryghed run` first")


def _check_version_name(version: str) -> None:
    if not _VERSION_NAME.fullmatch(version or ""):
        raise BaselineError(f"version name {version!r}: use letters, digits, '.', '_' or '-' (e.g. v1), "
                            "at most 64 characters")
    if version.lower().startswith("beregnet"):
        raise BaselineError(f"version name {version!r}: names starting with 'beregnet' are reserved for "
                            "computed versions")


def _check_header(fieldnames, seed_path: Path) -> None:
    if tuple(fieldnames or ()) != COLUMNS:
        raise BaselineError(f"{seed_path} has columns {list(fieldnames or [])}, expected {list(COLUMNS)}")


def _format(value) -> str:
    """Seed text for one value: full-precision floats (repr round-trips), ISO dates, lower-case booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _append_rows(seed_path: Path, rows: list[dict]) -> None:
    """Write the old content plus the new rows to a temporary file beside the seed, then rename it over."""
    old = seed_path.read_text(encoding="utf-8") if seed_path.exists() else ""
    if old.startswith("\ufeff"):
        old = old[1:]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    if not old.strip():
        writer.writerow(COLUMNS)
        old = ""
    elif not old.endswith("\n"):
        old += "\n"
    for row in rows:
        writer.writerow([_format(row[c]) for c in COLUMNS])
    seed_path.parent.mkdir(parents=True, exist_ok=True)
    mode = seed_path.stat().st_mode & 0o777 if seed_path.exists() else 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{seed_path.name}.", suffix=".ny", dir=seed_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(old + buffer.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)  # mkstemp creates 0600; keep the seed readable as before
        os.replace(tmp_name, seed_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


LABELS = {"gerningstype": "Gerningstype", "baseline_antal": "Antal", "baseline_pr_1000": "Pr. 1.000"}


def main_baseline_freeze(settings: Settings, version: str) -> int:
    """`tryghed baseline freeze --version <v> [--warehouse <dir>]`: freeze and print the rows (Danish labels).

    Exit 0 when frozen or already frozen (nothing to do), 1 with a one-line reason on stderr otherwise.
    """
    try:
        rows = freeze(settings, version)
    except AlreadyFrozen as exc:
        print(f"tryghed: the computed baseline is {exc}; nothing written")
        return 0
    except BaselineError as exc:
        print(f"tryghed: baseline freeze failed: {exc}", file=sys.stderr)
        return 1
    print(f"Baseline 2024 fastfrosset som {version} ({rows[0]['omraade_kode']}, frosset {rows[0]['frosset_dato']}):")
    print(f"  {LABELS['gerningstype']:<46} {LABELS['baseline_antal']:>7} {LABELS['baseline_pr_1000']:>10}")
    for row in rows:
        rate = fmt.number(row["baseline_pr_1000"], 2)
        print(f"  {row['gerningstype']:<46} {row['baseline_antal']:>7} {rate:>10}")
    print(f"Skrevet til {SEED_PATH}. Commit filen; næste `tryghed run` vurderer mål 2a–2d mod {version}.")
    return 0
