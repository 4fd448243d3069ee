"""The `tryghed` command line (console script `orchestration.cli:console`; tests call `main`)."""

from orchestration.cli.main import console, main

__all__ = ["console", "main"]
