"""The `tryghed` command line (entry point `orchestration.cli:main`)."""

from orchestration.cli.main import main

__all__ = ["main"]
