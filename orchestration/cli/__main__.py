"""`python -m orchestration.cli ...` is `tryghed ...`."""

from orchestration.cli.main import console

if __name__ == "__main__":  # not when a spawned process (the report's second drawer) imports it
    console()
