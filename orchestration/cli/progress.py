"""Readable progress for `tryghed run`: one line per step, asset and failed check, instead of Dagster's log.

It is a Dagster logger, so the lines appear while the run goes on, and it remembers the first failure so
the command can end with the reason in one line. Danish, like the summary: a failed or warning check is
shown with its description (what is wrong, with the numbers behind it), not its id; the assets' own log
warnings (e.g. the status report's "ingen rapport") are shown too.
"""

from __future__ import annotations

import logging
import re
import sys
import time

import dagster as dg
from dagster import DagsterEventType

from assets.foundation import formatting as fmt

ROW_COUNT = "dagster/row_count"
# Dagster's own note when a step is skipped because a step before it failed
_SKIPPED = re.compile(r"^Dependencies for step (\S+) (?:failed|were not executed)")


class ProgressHandler(logging.Handler):
    """`expected_checks` (step → how many checks it evaluates) turns on a progress bar for those steps when
    the stream is a terminal: the dbt build, which grows with the data, reports its tests as they pass."""

    def __init__(self, stream=None, expected_checks: dict[str, int] | None = None):
        super().__init__()
        self.stream = stream or sys.stdout
        self.expected_checks = expected_checks or {}
        self.checked: dict[str, int] = {}
        self._bar_shown = False
        self.started: dict[str, float] = {}
        self.failures: list[str] = []
        self.failed_checks: list[str] = []
        self.warnings: list[str] = []
        self.materialized: set[str] = set()  # a range run materializes a yearly asset once per year: print once
        self.skipped: list[str] = []

    def _print(self, text: str) -> None:
        if self._bar_shown:  # the bar's line is overwritten by the next line
            self.stream.write("\r\033[K")
            self._bar_shown = False
        print(text, file=self.stream, flush=True)

    def _bar(self, step: str) -> None:
        total = self.expected_checks.get(step)
        if not total or not getattr(self.stream, "isatty", lambda: False)():
            return
        done = min(self.checked[step], total)
        filled = round(30 * done / total)
        self.stream.write(f"\r  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} kontroller")
        self.stream.flush()
        self._bar_shown = True

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
            if record.levelno >= logging.WARNING:
                message = _user_message(record)
                skipped = _SKIPPED.match(message)
                if skipped:
                    self.skipped.append(_step_label(skipped.group(1)))
                    self._print(f"▷ {_step_label(skipped.group(1))} springes over: et trin før det fejlede")
                    return
                self.warnings.append(message)
                self._print(f"  ! advarsel: {message}")
            return
        kind = event.event_type
        step = event.step_key or ""
        if kind == DagsterEventType.STEP_START:
            self.started[step] = time.perf_counter()
            self._print(f"▶ {_step_label(step)}")
        elif kind == DagsterEventType.ASSET_MATERIALIZATION:
            mat = event.event_specific_data.materialization
            if mat.asset_key.to_user_string() in self.materialized:
                return
            self.materialized.add(mat.asset_key.to_user_string())
            rows = mat.metadata.get(ROW_COUNT)
            extra = f" ({fmt.number(rows.value, 0)} rækker)" if rows is not None else ""
            self._print(f"  ✓ {mat.asset_key.to_user_string()}{extra}")
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            self.checked[step] = self.checked.get(step, 0) + 1
            if evaluation.passed:
                self._bar(step)
            else:
                text = check_text(evaluation)
                severity = getattr(evaluation.severity, "value", str(evaluation.severity))
                if severity == "WARN":
                    self.warnings.append(text)
                    self._print(f"  ! advarsel: {text}")
                else:
                    self.failed_checks.append(text)
                    self._print(f"  ✗ kontrol fejlede: {text}")
        elif kind == DagsterEventType.STEP_SUCCESS:
            seconds = time.perf_counter() - self.started.get(step, time.perf_counter())
            self._print(f"  færdig på {fmt.number(seconds, 1)} s")
        elif kind == DagsterEventType.STEP_FAILURE:
            reason = failure_reason(event.event_specific_data.error)
            self.failures.append(reason)
            self._print(f"  ✗ {_step_label(step)} fejlede: {reason}")


def check_text(evaluation) -> str:
    """A check result as a person reads it: its description (the numbers behind it) or, lacking one, the
    asset and the check's name."""
    description = (getattr(evaluation, "description", None) or "").strip()
    where = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
    return description or where


def _user_message(record: logging.LogRecord) -> str:
    """An asset's own log line without Dagster's prefix (`job - run_id - step - message`)."""
    message = getattr(record, "dagster_meta", {}).get("orig_message") if hasattr(record, "dagster_meta") else None
    return str(message or record.getMessage()).strip().splitlines()[0]


def _step_label(step: str) -> str:
    return step.replace("__", "/")


def failure_reason(error) -> str:
    """The innermost error's message: the ContractError or dbt failure, not Dagster's wrapping."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return "ukendt fejl"
    message = (error.message or "").strip()
    first = message.splitlines()[0] if message else error.cls_name or "fejl"
    # drop Dagster's "module.ClassName: " prefix: the message itself names file, line and column
    first = re.sub(rf"^([\w.]+\.)?{re.escape(error.cls_name or '')}: ", "", first)
    return first


def progress_logger(handler: ProgressHandler) -> dg.LoggerDefinition:
    @dg.logger(description="Compact progress lines for the command line.")
    def _progress(_init_context):
        log = logging.getLogger("tryghed.progress")
        log.handlers = [handler]
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return log

    return _progress
