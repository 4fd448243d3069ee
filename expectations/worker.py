"""Great Expectations in a worker process of its own, started at the beginning of a run.

Importing GX costs ~15 s on these machines, as much as the rest of a run. `tryghed run` starts this
worker first thing, so the import happens on the second core while Dagster loads and the inbox is read;
the asset checks then send their validation requests here and get plain results back. Outside the CLI
(e.g. `dagster dev`) the worker is started on the first request. One worker serves every run of the
process (tests run many), and it exits when its parent closes the pipe.

Protocol: one JSON request per line on stdin, one JSON answer per line on the worker's original stdout
(GX's own prints are sent to stderr so they cannot corrupt it).
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
import traceback
from dataclasses import asdict
from pathlib import Path

from expectations.results import Outcome, TableResult


class ValidationError(Exception):
    """The worker failed (not a failed expectation: those come back as results)."""


class ValidationWorker:
    _current: ValidationWorker | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "expectations.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )

    @classmethod
    def get(cls) -> ValidationWorker:
        """The running worker, started if there is none (or the last one died)."""
        with cls._lock:
            if cls._current is None or cls._current.process.poll() is not None:
                cls._current = ValidationWorker()
                atexit.register(cls._current.stop)
            return cls._current

    def validate(self, database: Path, tables: list[str], docs_dir: Path | None,
                 thresholds: dict | None = None) -> dict[str, TableResult]:
        request = {"database": str(database), "tables": tables, "docs_dir": str(docs_dir) if docs_dir else None,
                   "thresholds": thresholds or {}}
        with self._lock:
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except (BrokenPipeError, OSError) as exc:
                raise ValidationError(f"the Great Expectations worker stopped: {exc}") from None
        if not line:
            raise ValidationError("the Great Expectations worker stopped without an answer")
        answer = json.loads(line)
        if not answer["ok"]:
            raise ValidationError(answer["error"])
        return {
            table: TableResult(r["table"], r["rows"], [Outcome(**o) for o in r["outcomes"]])
            for table, r in answer["results"].items()
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()


def prewarm() -> None:
    """Start the worker now, so GX is imported by the time the first check needs it."""
    ValidationWorker.get()


def serve() -> None:
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything GX prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr
    import great_expectations  # noqa: F401  (the expensive part, before the first request)

    from expectations.runner import validate_tables

    for line in sys.stdin:
        request = json.loads(line)
        try:
            results = validate_tables(
                Path(request["database"]), request["tables"],
                Path(request["docs_dir"]) if request["docs_dir"] else None,
                thresholds=request.get("thresholds"),
            )
            answer = {"ok": True, "results": {t: asdict(r) for t, r in results.items()}}
        except Exception as exc:  # reported to the run as one line, with the trace in the worker's stderr
            traceback.print_exc()
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        protocol.write(json.dumps(answer, default=str) + "\n")
        protocol.flush()


if __name__ == "__main__":
    serve()
