"""`python -m orchestration.cli ...` is `tryghed ...`."""

from orchestration.cli.main import console

console()
