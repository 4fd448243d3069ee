"""The pipeline's one Dagster resource: where the inbox and the warehouse are, and the thresholds.

The resource's config is the run's settings (assets.foundation.settings): every asset reads them from
here, never from the environment, so a run shows in the UI with the settings it ran with.
"""

from __future__ import annotations

import dagster as dg

from assets.foundation.settings import Settings


class TryghedResource(dg.ConfigurableResource):
    """Paths and thresholds for a run (defaults: assets.foundation.settings)."""

    inbox: str = ""  # empty: not configured (the loaders stop with a hint)
    warehouse: str
    minimum_svar: int = Settings.minimum_svar
    diskretion_graense: int = Settings.diskretion_graense
    maal_samarbejde: float = Settings.maal_samarbejde
    baseline_aar: int = Settings.baseline_aar
    partnerskaber: str = ""  # empty: the project's partnerskaber/
    partnerskab: str = ""  # empty: every partnership

    def settings(self) -> Settings:
        return Settings(
            minimum_svar=self.minimum_svar, diskretion_graense=self.diskretion_graense,
            maal_samarbejde=self.maal_samarbejde, baseline_aar=self.baseline_aar,
        ).with_paths(self.inbox, self.warehouse, self.partnerskaber or None, self.partnerskab or None)

    @classmethod
    def from_settings(cls, settings: Settings) -> TryghedResource:
        return cls(inbox=str(settings.inbox or ""), warehouse=str(settings.warehouse),
                   minimum_svar=settings.minimum_svar, diskretion_graense=settings.diskretion_graense,
                   maal_samarbejde=settings.maal_samarbejde, baseline_aar=settings.baseline_aar,
                   partnerskaber=str(settings.partnerskaber), partnerskab=settings.partnerskab or "")
