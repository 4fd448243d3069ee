"""The pipeline's one Dagster resource: where the inbox and the warehouse are, and the thresholds."""

from __future__ import annotations

import dagster as dg

from orchestration.config import Settings, settings_from_env


class TryghedResource(dg.ConfigurableResource):
    """Paths and thresholds for a run; defaults come from orchestration.config (env vars)."""

    inbox: str
    warehouse: str

    def settings(self) -> Settings:
        return settings_from_env().with_paths(self.inbox, self.warehouse)

    @classmethod
    def from_settings(cls, settings: Settings) -> TryghedResource:
        return cls(inbox=str(settings.inbox), warehouse=str(settings.warehouse))
