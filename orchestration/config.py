"""Configuration, in one place.

Every setting has a documented default and can be overridden by an environment variable (for `make`,
`dagster dev` and CI) or by a command-line option (`tryghed run --inbox ... --warehouse ...`).

| setting | env var | default |
|---|---|---|
| inbox | TRYGHED_INBOX | data/sample (the bundled sample) |
| warehouse | TRYGHED_WAREHOUSE | warehouse |
| minimum_svar | TRYGHED_MINIMUM_SVAR | 30 (fewer valid answers: share not published) |
| diskretion_graense | TRYGHED_DISKRETION_GRAENSE | 5 (person counts below are suppressed) |
| maal_samarbejde | TRYGHED_MAAL_SAMARBEJDE | 0.75 (goal 3) |
| baseline_aar | TRYGHED_BASELINE_AAR | 2024 |
| aftale_fra, aftale_til | TRYGHED_AFTALE_FRA, TRYGHED_AFTALE_TIL | 2025, 2028 (the agreement period) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = Path(os.environ.get("TRYGHED_DBT_PROJECT_DIR", PROJECT_ROOT / "dbt_project"))

MARTS: tuple[str, ...] = (
    "dim_omraade",
    "fct_tryghed",
    "fct_kriminalitet",
    "fct_kriminalitet_dst",
    "baseline_2024",
    "fct_aktiviteter",
    "fct_maalopfyldelse",
    "fct_omraadeprofil",
    "fct_datadaekning",
)


@dataclass(frozen=True)
class Settings:
    inbox: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "sample")
    warehouse: Path = field(default_factory=lambda: PROJECT_ROOT / "warehouse")
    minimum_svar: int = 30
    diskretion_graense: int = 5
    maal_samarbejde: float = 0.75
    baseline_aar: int = 2024
    foerste_aar: int = 2014
    aftale_fra: int = 2025  # the agreement period: only goals measured in it are judged
    aftale_til: int = 2028

    @property
    def database(self) -> Path:
        """The working database (raw, staging, marts). BI tools never open this one."""
        return self.warehouse / "tryghed.duckdb"

    @property
    def marts_dir(self) -> Path:
        """What BI tools read: a symlink swapped atomically to the newest release."""
        return self.warehouse / "marts"

    @property
    def releases_dir(self) -> Path:
        return self.warehouse / "udgivelser"

    @property
    def catalog(self) -> Path:
        return self.warehouse / "tryghed_katalog.duckdb"

    def dbt_vars(self) -> dict[str, object]:
        return {
            "minimum_svar": self.minimum_svar,
            "diskretion_graense": self.diskretion_graense,
            "maal_samarbejde": self.maal_samarbejde,
            "baseline_aar": self.baseline_aar,
            "foerste_aar": self.foerste_aar,
            "aftale_fra": self.aftale_fra,
            "aftale_til": self.aftale_til,
        }

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
        aftale_fra=int(env.get("TRYGHED_AFTALE_FRA", base.aftale_fra)),
        aftale_til=int(env.get("TRYGHED_AFTALE_TIL", base.aftale_til)),
    )
