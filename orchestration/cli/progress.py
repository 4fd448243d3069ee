"""Readable progress for `tryghed run`: one line per step, asset and failed check, instead of Dagster's log.

It is a Dagster logger, so the lines appear while the run goes on, and it remembers the first failure so
the command can end with the reason in one line.
"""

from __future__ import annotations

import logging
import re
import sys
import time

import dagster as dg
from dagster import DagsterEventType

from assets.foundation import formatting as fmt


class ProgressHandler(logging.Handler):
    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stdout
        self.started: dict[str, float] = {}
        self.failures: list[str] = []
        self.failed_checks: list[str] = []
        self.warnings: list[str] = []
        self.materialized: set[str] = set()  # a range run materializes each asset once per year: print once

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_event", None)
        if event is None:
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
            rows = mat.metadata.get("rows")
            extra = f" ({fmt.number(rows.value, 0)} rows)" if rows is not None else ""
            self._print(f"  ✓ {mat.asset_key.to_user_string()}{extra}")
        elif kind == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                name = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
                severity = getattr(evaluation.severity, "value", str(evaluation.severity))
                if severity == "WARN":
                    self.warnings.append(name)
                    self._print(f"  ! advarsel: {name}")
                else:
                    self.failed_checks.append(name)
                    self._print(f"  ✗ check failed: {name}")
        elif kind == DagsterEventType.STEP_SUCCESS:
            seconds = time.perf_counter() - self.started.get(step, time.perf_counter())
            self._print(f"  done in {seconds:.1f} s")
        elif kind == DagsterEventType.STEP_FAILURE:
            reason = failure_reason(event.event_specific_data.error)
            self.failures.append(reason)
            self._print(f"  ✗ {_step_label(step)} failed: {reason}")


def _step_label(step: str) -> str:
    return step.replace("__", "/")


def failure_reason(error) -> str:
    """The innermost error's message: the ContractError or dbt failure, not Dagster's wrapping."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return "unknown error"
    message = (error.message or "").strip()
    first = message.splitlines()[0] if message else error.cls_name or "error"
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
