"""Which Dagster check an expectation reports to: one blocking contract check per table, one per warning."""

from __future__ import annotations

from expectations.suites import Suite

CONTRACT_CHECK = "gx_kontrakt"


def check_name(entry: tuple) -> str:
    """Errors of a table share one blocking check; each warning note gets a check of its own, so the run's
    summary (which lists check names) says what the warning is about."""
    if entry[2] == "warn":
        return f"gx_{entry[3]}" if len(entry) > 3 and entry[3] else "gx_advarsel"
    return CONTRACT_CHECK


def check_names(suite: Suite) -> list[str]:
    """The Dagster checks a suite reports to: the blocking contract check first, then the warnings."""
    names = [CONTRACT_CHECK]
    for entry in suite.expectations:
        name = check_name(entry)
        if name not in names:
            names.append(name)
    return names
