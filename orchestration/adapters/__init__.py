"""Adapters over private framework internals, one module each (tests/test_adapters.py guards them)."""
