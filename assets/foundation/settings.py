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
    def marts_dir(self) -> Path:
        """What BI tools read: a symlink swapped atomically to the newest release."""
        return self.root / "marts"

    @property
    def releases_dir(self) -> Path:
        """One folder per published run (udgivelser/<release>/), the last few kept."""
        return self.root / "udgivelser"

    @property
    def catalog(self) -> Path:
        """The BI catalog: a DuckDB file with one view per mart."""
        return self.root / "tryghed_katalog.duckdb"

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
    def dagster_home(self) -> Path:
        """The warehouse's own Dagster instance: `tryghed run` records here, `make ui` reads it."""
        return self.root / ".dagster"


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
