"""Floor 3: the Great Expectations suites (suites.py) and what runs them (runner.py, in worker.py's process)."""
