"""A dbt parse started ahead of a run's dbt commands (assets.foundation.dbt_project.parse_ahead): the
run's build and docs take its manifest, and nothing else does (another run, other vars)."""

from __future__ import annotations

import json

import pytest

from assets.foundation import dbt_project
from assets.foundation.settings import Settings


def test_a_parse_started_ahead_serves_its_runs_commands_only(tmp_path, monkeypatch):
    vars_ = Settings().dbt_vars()
    dbt_project.parse_ahead("run-1", vars_, tmp_path / "parsed")
    parsed = dbt_project._ahead[2].result()
    assert parsed.success, parsed.exception

    def no_parse(*args, **kwargs):
        raise AssertionError("dbt parsed the project again")

    monkeypatch.setattr(dbt_project, "parse", no_parse)
    # two commands of the run, each into a target folder of its own: neither parses, and each folder gets
    # the manifest.json dbt's docs inline
    for target in ("build", "docs"):
        result = dbt_project.invoke(["ls", "--quiet", "--resource-type", "model"], vars_,
                                    target_path=tmp_path / target, ahead="run-1")
        assert result.success, result.exception
        assert "tryghed.marts.fct_tryghed" in result.result
        nodes = json.loads((tmp_path / target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
        assert "model.tryghed.fct_tryghed" in nodes

    # another run's key, or other vars under the same key, parse as without it
    for key, other_vars in (("run-2", vars_), ("run-1", {**vars_, "fra_aar": vars_["fra_aar"] + 1})):
        with pytest.raises(AssertionError, match="parsed the project again"):
            dbt_project.invoke(["ls", "--quiet"], other_vars, target_path=tmp_path / "other", ahead=key)

    # a new run's parse drops the one before
    monkeypatch.undo()
    dbt_project.parse_ahead("run-3", vars_, tmp_path / "parsed3")
    assert dbt_project._ahead[0] == "run-3"
    dbt_project._ahead[2].result()
