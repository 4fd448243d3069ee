"""The configuration: one file (tryghed.toml), checked on load, overridden by the environment and options;
no inbox means no run; the bundled sample is never written to by a command."""

from __future__ import annotations

from pathlib import Path

import pytest

from assets.foundation.settings import PROJECT_ROOT, ConfigError, Settings, load_settings, read_config
from orchestration.cli import main


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tryghed.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_projects_file_holds_the_documented_defaults():
    assert read_config(PROJECT_ROOT / "tryghed.toml") == {
        "warehouse": PROJECT_ROOT / "warehouse", "minimum_svar": 30, "diskretion_graense": 5,
        "maal_samarbejde": 0.75, "baseline_aar": 2024}
    defaults = Settings()
    assert load_settings(PROJECT_ROOT / "tryghed.toml", env={}).thresholds() == defaults.thresholds()


def test_file_then_environment_then_options(tmp_path):
    config = _toml(tmp_path, '[stier]\ninbox = "indbakke"\nwarehouse = "lager"\n[taerskler]\nminimum_svar = 50\n')
    settings = load_settings(config, env={})
    assert settings.inbox == tmp_path / "indbakke"  # relative to the file's folder
    assert settings.warehouse == tmp_path / "lager"
    assert settings.minimum_svar == 50 and settings.diskretion_graense == 5
    settings = load_settings(config, env={"TRYGHED_MINIMUM_SVAR": "40", "TRYGHED_WAREHOUSE": str(tmp_path / "w")})
    assert settings.minimum_svar == 40 and settings.warehouse == tmp_path / "w"
    assert settings.with_paths(warehouse=tmp_path / "x").warehouse == tmp_path / "x"
    assert settings.dbt_vars()["minimum_svar"] == 40  # and on to dbt


def test_the_file_is_found_beside_the_user_or_named_by_the_environment(tmp_path):
    _toml(tmp_path, "[taerskler]\ndiskretion_graense = 10\n")
    assert load_settings(env={}, cwd=tmp_path).diskretion_graense == 10
    elsewhere = tmp_path / "andet"
    elsewhere.mkdir()
    named = _toml(elsewhere, "[taerskler]\ndiskretion_graense = 7\n")
    assert load_settings(env={"TRYGHED_CONFIG": str(named)}, cwd=tmp_path).diskretion_graense == 7


@pytest.mark.parametrize(("text", "message"), [
    ("[taerskler]\nminimum_svar = \"30\"\n", "key 'taerskler.minimum_svar': expected a whole number, got '30'"),
    ("[taerskler]\nmaal_samarbejd = 0.8\n", "unknown key 'taerskler.maal_samarbejd'"),
    ("[stier]\nminimum_svar = 30\n", "unknown key 'stier.minimum_svar'"),
    ("[graenser]\nx = 1\n", "unknown section [graenser]"),
    ("[stier]\ninbox = 3\n", "key 'stier.inbox': expected a folder path as text"),
    ("[taerskler\n", "not valid TOML"),
])
def test_a_bad_file_is_refused_with_the_file_and_the_key(tmp_path, text, message):
    config = _toml(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_settings(config, env={})
    assert str(error.value).startswith(f"{config}: ") and message in str(error.value)


def test_run_without_an_inbox_stops_with_a_hint(tmp_path, capsys):
    config = _toml(tmp_path, f'[stier]\nwarehouse = "{tmp_path / "lager"}"\n')
    assert main(["--config", str(config), "run"]) == 2
    err = capsys.readouterr().err
    assert "no inbox configured" in err and "--inbox" in err and "data/sample" in err
    assert not (tmp_path / "lager").exists()  # nothing was written


def test_a_bad_configuration_stops_every_command(tmp_path, capsys):
    config = _toml(tmp_path, "[taerskler]\nbaseline_aar = 2024.5\n")
    assert main(["--config", str(config), "report"]) == 2
    assert f"{config}: key 'taerskler.baseline_aar'" in capsys.readouterr().err


def test_fetch_never_writes_into_the_bundled_sample(capsys):
    before = sorted(p.name for p in (PROJECT_ROOT / "data" / "sample" / "dst").iterdir())
    assert main(["fetch", "dst", "STRAF11", "--inbox", str(PROJECT_ROOT / "data" / "sample")]) == 2
    assert "bundled sample" in capsys.readouterr().err
    assert sorted(p.name for p in (PROJECT_ROOT / "data" / "sample" / "dst").iterdir()) == before


def test_every_command_has_a_description_and_an_example(capsys):
    from orchestration.cli.main import build_parser

    parser = build_parser()
    names = ["run", "backfill", "report", "releases", "rollback", "sample", "fetch", "baseline"]
    for name in names:
        with pytest.raises(SystemExit):
            parser.parse_args([name, "--help"])
        text = capsys.readouterr().out
        assert "example:" in text and f"tryghed {name}" in text, name
    with pytest.raises(SystemExit):
        parser.parse_args(["--version"])
    assert capsys.readouterr().out.startswith("tryghed ")


def test_the_dbt_step_shows_a_progress_bar_on_a_terminal_only():
    import io

    from orchestration.cli.progress import ProgressHandler

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        handler = ProgressHandler(stream=stream, expected_checks={"tryghed_dbt": 4})
        handler.checked["tryghed_dbt"] = 3
        handler._bar("tryghed_dbt")
        handler._print("  ✓ marts/fct_tryghed")
        text = stream.getvalue()
        assert ("3/4 kontroller" in text and "[" + "#" * 22 + "." * 8 + "]" in text) == shown
        assert text.endswith("  ✓ marts/fct_tryghed\n")
        assert ("\r\033[K" in text) == shown  # the bar's line is cleared before the next line
