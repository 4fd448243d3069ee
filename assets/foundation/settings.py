"""Configuration, in one place: where the inbox and the warehouse are, the warehouse's layout, thresholds.

The data team writes its configuration in one file, `tryghed.toml` (the project's copy documents every
key; see `load_settings` for where it is looked for). Environment variables override the file (for
`dagster dev` and CI) and command-line options override both (`tryghed run --inbox ... --warehouse ...`).
Nothing else in the code reads the environment for a setting: the values travel from here as arguments,
as the Dagster resource's config and as dbt vars (`Settings.dbt_vars`).

| setting | tryghed.toml | env var | default |
|---|---|---|---|
| inbox | [stier] inbox | TRYGHED_INBOX | none: a run without an inbox stops with a hint (`make run` names the sample) |
| warehouse | [stier] warehouse | TRYGHED_WAREHOUSE | warehouse (in the project) |
| minimum_svar | [taerskler] minimum_svar | TRYGHED_MINIMUM_SVAR | 30 (fewer answers: share not published) |
| diskretion_graense | [taerskler] diskretion_graense | TRYGHED_DISKRETION_GRAENSE | 5 (smaller counts: suppressed) |
| maal_samarbejde | [taerskler] maal_samarbejde | TRYGHED_MAAL_SAMARBEJDE | 0.75 (goal 3) |
| baseline_aar | [taerskler] baseline_aar | TRYGHED_BASELINE_AAR | 2024 |
| partnerskaber | [stier] partnerskaber | TRYGHED_PARTNERSKABER | partnerskaber (in the project): one <CODE>.toml each |
| partnerskab | (option --partnerskab) | TRYGHED_PARTNERSKAB | none: every partnership in the folder |

The figures' own period and baseline year are each partnership's (its file in `partnerskaber/`,
assets/foundation/partnerships.py); `baseline_aar` here is the year of the shared `baseline_2024_*` columns.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SAMPLE_INBOX = PROJECT_ROOT / "data" / "sample"  # the bundled sample: only `make sample` writes into it
CONFIG_FILE = "tryghed.toml"


class ConfigError(Exception):
    """The configuration is not usable; the message names the file and the key."""


@dataclass(frozen=True)
class WarehouseLayout:
    """Every path a run writes under the warehouse folder (the one place that spells them out)."""

    root: Path

    @property
    def database(self) -> Path:
        """The working database (raw, staging, marts). BI tools never open this one."""
        return self.root / "tryghed.duckdb"

    @property
    def releases_dir(self) -> Path:
        """One folder per published run (udgivelser/<release>/), the last few kept."""
        return self.root / "udgivelser"

    @property
    def current_pointer(self) -> Path:
        """A one-line text file naming the current release's folder, replaced atomically (os.replace).

        What every reader in the code goes by (not a symlink: file-sync services do not carry those).
        """
        return self.releases_dir / "AKTUEL.txt"

    def current_release(self) -> Path | None:
        """The current release's folder: the one the pointer names; for a warehouse published before the
        pointer existed, the folder the `marts` link resolves to; None when nothing has been published."""
        try:
            name = self.current_pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            name = ""
        if name:
            return self.releases_dir / name
        return self.marts_link.resolve() if self.marts_link.is_dir() else None

    @property
    def marts_dir(self) -> Path:
        """The current release's folder (its Parquet marts, manifest.json, omraader.geojson), read through
        the pointer each time it is asked for; `marts_link` when nothing has been published yet."""
        return self.current_release() or self.marts_link

    @property
    def marts_link(self) -> Path:
        """`marts`, a relative symlink to the current release, kept for readers of the Parquet files by
        path where the file system has symlinks; the code never relies on it."""
        return self.root / "marts"

    @property
    def catalog(self) -> Path:
        """The BI catalog: a DuckDB file with the current release's marts as tables (a copy of the one
        inside the release), so it opens wherever the warehouse is copied."""
        return self.root / "tryghed_katalog.duckdb"

    @property
    def workbook(self) -> Path:
        """The current release's Excel workbook (a copy of the one inside the release)."""
        return self.root / "tryghed_marts.xlsx"

    @property
    def reports_dir(self) -> Path:
        """The status reports (beside the marts, never inside a release: a release is never written to)."""
        return self.root / "reports"

    @property
    def dbt_docs_dir(self) -> Path:
        return self.root / "docs" / "dbt"

    @property
    def quality_docs_dir(self) -> Path:
        """Great Expectations' Data Docs, one site per stage under it."""
        return self.root / "docs" / "quality"

    @property
    def logs_dir(self) -> Path:
        """The run's log (run.log) and every saved traceback (traceback_*.txt)."""
        return self.root / "logs"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse's builds (the parsed manifest, compiled SQL,
        run_results.json): a run's own, so runs into different warehouses never share one
        (dbt_project/target holds only the prepared manifest)."""
        return self.root / ".dbt" / "target"

    @property
    def dagster_home(self) -> Path:
        """The warehouse's own Dagster instance: `tryghed run` records here, `make ui` reads it."""
        return self.root / ".dagster"


@dataclass(frozen=True)
class Settings:
    inbox: Path | None = None  # not configured: commands that read an inbox stop with a hint
    warehouse: Path = field(default_factory=lambda: PROJECT_ROOT / "warehouse")
    minimum_svar: int = 30
    diskretion_graense: int = 5
    maal_samarbejde: float = 0.75
    baseline_aar: int = 2024
    foerste_aar: int = 2014
    partnerskaber: Path = field(default_factory=lambda: PROJECT_ROOT / "partnerskaber")
    partnerskab: str | None = None  # compute only this partnership (tryghed run --partnerskab CODE)

    @property
    def layout(self) -> WarehouseLayout:
        return WarehouseLayout(self.warehouse)

    # the paths used everywhere, as shortcuts to the layout
    @property
    def database(self) -> Path:
        return self.layout.database

    @property
    def marts_dir(self) -> Path:
        return self.layout.marts_dir

    @property
    def releases_dir(self) -> Path:
        return self.layout.releases_dir

    @property
    def catalog(self) -> Path:
        return self.layout.catalog

    def thresholds(self) -> dict[str, object]:
        """The figures' thresholds (what dbt, the checks and the report share)."""
        return {
            "minimum_svar": self.minimum_svar,
            "diskretion_graense": self.diskretion_graense,
            "maal_samarbejde": self.maal_samarbejde,
            "baseline_aar": self.baseline_aar,
            "foerste_aar": self.foerste_aar,
        }

    def dbt_vars(self, years: tuple[int, int] | None = None) -> dict[str, object]:
        """What dbt gets as `--vars`: the thresholds and the run's window of years (the working database
        is passed beside them: assets.foundation.dbt_project.invoke).

        Vars take part in dbt's partial-parse check, so a run whose vars differ from the prepared manifest's
        parses the project again (~3 s); `tryghed run` always passes the whole range, as the preparation does.
        """
        first, last = years or (self.foerste_aar, 9999)
        return {**self.thresholds(), "fra_aar": first, "til_aar": last}

    def with_paths(self, inbox: Path | str | None = None, warehouse: Path | str | None = None,
                   partnerskaber: Path | str | None = None, partnerskab: str | None = None) -> Settings:
        changes: dict[str, object] = {}
        if inbox:
            changes["inbox"] = Path(inbox).resolve()
        if warehouse:
            changes["warehouse"] = Path(warehouse).resolve()
        if partnerskaber:
            changes["partnerskaber"] = Path(partnerskaber).resolve()
        if partnerskab:
            changes["partnerskab"] = partnerskab.strip().upper()
        return replace(self, **changes)

    def require_inbox(self) -> Path:
        """The inbox, or a ConfigError that says how to name one."""
        if self.inbox is None:
            raise ConfigError(
                "no inbox configured: pass --inbox DIR, or set `inbox` under [stier] in tryghed.toml "
                f"(the bundled sample: --inbox {os.path.relpath(SAMPLE_INBOX)}, or `make run`)")
        return self.inbox


# key in tryghed.toml -> (section, type); the sections keep paths and thresholds apart for a reader
_KEYS = {
    "inbox": ("stier", "path"), "warehouse": ("stier", "path"), "partnerskaber": ("stier", "path"),
    "minimum_svar": ("taerskler", int), "diskretion_graense": ("taerskler", int),
    "maal_samarbejde": ("taerskler", float), "baseline_aar": ("taerskler", int),
}
_ENV = {name: f"TRYGHED_{name.upper()}" for name in _KEYS}
_ENV_ONLY = {"partnerskab": "TRYGHED_PARTNERSKAB"}  # a run's choice, not a file setting


def find_config(cwd: Path | None = None, env: dict[str, str] | None = None) -> Path | None:
    """The configuration file: $TRYGHED_CONFIG, else tryghed.toml in the working folder, else the project's."""
    env = os.environ if env is None else env
    if env.get("TRYGHED_CONFIG"):
        path = Path(env["TRYGHED_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file (TRYGHED_CONFIG)")
        return path
    for folder in (cwd or Path.cwd(), PROJECT_ROOT):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    return None


def read_config(path: Path) -> dict[str, object]:
    """The settings a tryghed.toml holds, checked: unknown sections or keys and wrong types are refused
    with the file and the key; relative paths are relative to the file's folder."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    sections = {section for section, _ in _KEYS.values()}
    values: dict[str, object] = {}
    for section, table in document.items():
        if section not in sections or not isinstance(table, dict):
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(sorted(sections))})")
        for key, value in table.items():
            if _KEYS.get(key, (None,))[0] != section:
                known = ", ".join(k for k, (s, _) in _KEYS.items() if s == section)
                raise ConfigError(f"{path}: unknown key '{section}.{key}' (known in [{section}]: {known})")
            values[key] = _typed(value, _KEYS[key][1], f"{path}: key '{section}.{key}'", Path(path).parent)
    return values


def _typed(value, kind, where: str, base: Path):
    if kind == "path":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: expected a folder path as text, got {value!r}")
        return (base / Path(value).expanduser()).resolve()
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{where}: expected a whole number, got {value!r}")
    if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConfigError(f"{where}: expected a number, got {value!r}")
    return kind(value)


def load_settings(config: Path | str | None = None, env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> Settings:
    """The run's settings: the documented defaults, then the configuration file (`config`, or the one
    `find_config` finds), then the environment variables; command-line options come on top
    (`Settings.with_paths`)."""
    env = dict(os.environ if env is None else env)
    path = Path(config) if config else find_config(cwd, env)
    values = read_config(path) if path else {}
    for name, variable in _ENV.items():
        if env.get(variable):
            kind = _KEYS[name][1]
            try:
                values[name] = Path(env[variable]).resolve() if kind == "path" else kind(env[variable])
            except ValueError:
                raise ConfigError(f"environment variable {variable}: {env[variable]!r} is not a "
                                  f"{'whole number' if kind is int else 'number'}") from None
    if env.get(_ENV_ONLY["partnerskab"]):
        values["partnerskab"] = env[_ENV_ONLY["partnerskab"]].strip().upper()
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known})


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """The settings of the configuration file and the environment (load_settings without an explicit file)."""
    return load_settings(env=env)
