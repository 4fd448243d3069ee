"""Where a pipeline run's time goes: one row per step, read back from what the run left behind.

- the run's Dagster events (its warehouse's instance, `<warehouse>/.dagster`): the start of the run (after
  imports, the dbt manifest and the definitions), each step from its start to its success or failure
  (each loader, the raw and the mart checks of Great Expectations, dbt, publishing, docs, report);
- dbt's `run_results.json` (the run's own, `<warehouse>/.dbt/target/`, copied next to the run's log by the
  bench): the models and tests by name;
- the cost of storing the run's events, measured by writing the same events again into a scratch
  instance through the storage `tryghed run` uses (orchestration/adapters/dagster_instance.py).

`python bench/breakdown.py WAREHOUSE [RUN_RESULTS]` prints the breakdown of the warehouse's latest run.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Breakdown:
    started: float  # wall clock the process started (time.time()), or the run's first event when unknown
    ended: float  # the process's end, or the run's last event
    first_event: float
    last_event: float
    events: int
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds) in order of start
    event_storage: float = 0.0  # seconds to store the run's events again (same storage class)
    dbt_nodes: list[tuple[str, float]] = field(default_factory=list)  # (model/test, seconds), slowest first
    dbt_elapsed: float = 0.0

    def rows(self, top_models: int = 8) -> list[tuple[str, float]]:
        """(what, seconds) for a table: start-up, every step, the end, events, dbt's slowest models."""
        out = [("start-up: imports, dbt manifest, definitions, instance", self.first_event - self.started)]
        out += [(f"step {name}", secs) for name, secs in self.steps]
        out.append(("after the run: summary, goal tables, exit", self.ended - self.last_event))
        out.append((f"  of which storing {self.events} Dagster events (re-measured)", self.event_storage))
        models = [(n, s) for n, s in self.dbt_nodes if n.startswith("model.")]
        tests = sum(s for n, s in self.dbt_nodes if n.startswith("test."))
        if self.dbt_nodes:
            out.append((f"  dbt: {len(models)} models, {len(self.dbt_nodes) - len(models)} tests and seeds "
                        f"(sum of node times; 2 threads), elapsed", self.dbt_elapsed))
            out += [(f"    model {n.split('.')[-1]}", s) for n, s in models[:top_models]]
            out.append(("    all dbt tests (sum)", tests))
        return out


def breakdown(warehouse: Path, run_results: Path | None = None, started: float | None = None,
              ended: float | None = None) -> Breakdown:
    import dagster as dg
    from dagster import DagsterEventType

    home = Path(warehouse) / ".dagster"
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        run = instance.get_runs(limit=1)[0]
        records = instance.all_logs(run.run_id)
    finally:
        instance.dispose()
    first, last = records[0].timestamp, records[-1].timestamp
    result = Breakdown(started or first, ended or last, first, last, len(records))
    begun: dict[str, float] = {}
    for record in records:
        event = record.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            begun[event.step_key] = record.timestamp
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            result.steps.append((event.step_key, record.timestamp - begun.get(event.step_key, record.timestamp)))
    result.event_storage = restore_time(records)
    if run_results and Path(run_results).is_file():
        data = json.loads(Path(run_results).read_text())
        result.dbt_elapsed = data.get("elapsed_time", 0.0)
        result.dbt_nodes = sorted(((r["unique_id"], r["execution_time"]) for r in data["results"]),
                                  key=lambda x: -x[1])
    return result


def restore_time(records) -> float:
    """Seconds to store `records` in a new instance through the storage `tryghed run` writes with."""
    from orchestration.adapters.dagster_instance import run_instance

    with tempfile.TemporaryDirectory(prefix="bench-events-") as scratch:
        instance = run_instance(Path(scratch))
        try:
            started = time.perf_counter()
            for record in records:
                instance.event_log_storage.store_event(record)
            return time.perf_counter() - started
        finally:
            instance.dispose()


if __name__ == "__main__":
    b = breakdown(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    for what, secs in b.rows():
        print(f"{secs:7.2f} s  {what}")
