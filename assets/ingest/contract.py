"""The input contract's vocabulary (../shared/docs/extracts.md): the error every loader raises, a row rule,
and what the loaders of one run share.

Every contract violation is reported the same way: the file (relative to the inbox), the line (or sheet
row) and the column, in one readable line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


class ContractError(Exception):
    """A file breaks the input contract. The message names file, line and column."""

    def __init__(self, file: str, message: str, line: int | None = None, column: str | None = None):
        self.file, self.line, self.column, self.reason = file, line, column, message
        where = [file]
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Problem:
    """One broken rule on one line of one file (what `tryghed check` lists). `count` is how many lines of
    the file break the same rule (the same on each of its rows; only the first few lines are listed)."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None
    count: int = 1

    @classmethod
    def from_error(cls, error: ContractError) -> Problem:
        return cls(error.file, error.reason, error.line, error.column)


class Problems(list):
    """Collects every contract problem instead of stopping at the first (the loaders' collecting mode).

    `cap` lines are listed per broken rule and file; the rest are counted."""

    def __init__(self, cap: int = 20):
        super().__init__()
        self.cap = cap


@dataclass(frozen=True)
class Check:
    """A row-level rule of the contract: `predicate` is SQL over the typed columns, true when the row is ok."""

    column: str
    predicate: str
    message: str


@dataclass
class LoadContext:
    """What every loader of one run shares: the inbox root and the load time."""

    inbox: Path
    loaded_at: datetime

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.inbox.resolve()).as_posix()
        except ValueError:
            return str(path)
