"""Configuration, in one place: where the inbox and the warehouse are, the warehouse's layout, thresholds.

Every setting has a documented default and can be overridden by an environment variable (for `make`,
`dagster dev` and CI) or by a command-line option (`tryghed run --inbox ... --warehouse ...`). Nothing else
in the code reads the environment for a setting: the values travel from here as arguments, as the Dagster
resource's config and as dbt vars (`Settings.dbt_vars`).

| setting | env var | default |
|---|---|---|
| inbox | TRYGHED_INBOX | data/sample (the bundled sample) |
| warehouse | TRYGHED_WAREHOUSE | warehouse |
| minimum_svar | TRYGHED_MINIMUM_SVAR | 30 (fewer valid answers: share not published) |
| diskretion_graense | TRYGHED_DISKRETION_GRAENSE | 5 (person counts below are suppressed) |
| maal_samarbejde | TRYGHED_MAAL_SAMARBEJDE | 0.75 (goal 3) |
| baseline_aar | TRYGHED_BASELINE_AAR | 2024 |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


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
        return self.root / "logs"


@dataclass(frozen=True)
class Settings:
    inbox: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "sample")
    warehouse: Path = field(default_factory=lambda: PROJECT_ROOT / "warehouse")
    minimum_svar: int = 30
    diskretion_graense: int = 5
    maal_samarbejde: float = 0.75
    baseline_aar: int = 2024
    foerste_aar: int = 2014

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
        """What dbt gets as `--vars`: the thresholds, the working database and the run's window of years.

        Vars take part in dbt's partial-parse check, so a run whose window differs from the previous
        invocation's parses the project again (~3 s); `tryghed run` always passes the whole range.
        """
        first, last = years or (self.foerste_aar, 9999)
        return {**self.thresholds(), "database": str(self.database), "fra_aar": first, "til_aar": last}

    def with_paths(self, inbox: Path | str | None = None, warehouse: Path | str | None = None) -> Settings:
        changes: dict[str, Path] = {}
        if inbox is not None:
            changes["inbox"] = Path(inbox).resolve()
        if warehouse is not None:
            changes["warehouse"] = Path(warehouse).resolve()
        return replace(self, **changes)


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    base = Settings()
    return Settings(
        inbox=Path(env.get("TRYGHED_INBOX", base.inbox)).resolve(),
        warehouse=Path(env.get("TRYGHED_WAREHOUSE", base.warehouse)).resolve(),
        minimum_svar=int(env.get("TRYGHED_MINIMUM_SVAR", base.minimum_svar)),
        diskretion_graense=int(env.get("TRYGHED_DISKRETION_GRAENSE", base.diskretion_graense)),
        maal_samarbejde=float(env.get("TRYGHED_MAAL_SAMARBEJDE", base.maal_samarbejde)),
        baseline_aar=int(env.get("TRYGHED_BASELINE_AAR", base.baseline_aar)),
    )
