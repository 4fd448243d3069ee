"""What a validation returns: one outcome per expectation, reduced to what a reader of the run needs.

Plain data (no GX, no Dagster), so the worker process can send it back as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    """One expectation's result, reduced to what a reader of the run's summary needs."""

    expectation: str  # GX's snake_case type, e.g. expect_column_values_to_be_between
    column: str | None  # the column the rule is about (the file's header name for raw tables)
    severity: str  # "error" | "warn"
    check_name: str  # the Dagster check it reports to
    success: bool
    unexpected_count: int | None
    description: str  # one line, naming file, line and column where the table has lineage
    kildefil: str | None = None
    kildelinje: int | None = None
    reason: str = ""  # the description without the place (file, line, column)


@dataclass
class TableResult:
    table: str
    rows: int
    outcomes: list[Outcome] = field(default_factory=list)
    # how it was validated: "all" (every row, or a large table's candidate rows), "new_files" (a refresh:
    # the rows new and changed files can make fail, expectations/record.py) or "unchanged" (nothing
    # changed since it passed: the recorded outcomes)
    mode: str = "all"
    validated_rows: int = 0  # the rows Great Expectations saw
    new_files: list[str] = field(default_factory=list)
    record: dict | None = None  # what to record if it passed (expectations/record.py), None: nothing to record
    seconds: dict[str, float] = field(default_factory=dict)  # where the time went (read, gx, ...)

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warn"]

    @property
    def passed(self) -> bool:
        return not self.errors
