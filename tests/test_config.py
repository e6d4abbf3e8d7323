"""competency.config: finding and reading competency.toml / [tool.competency], and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from competency import CompetencyError, ConfigError, RoleProfile, Severity
from competency.checking import CheckConfig, Checker
from competency.config import LoadedConfig, find_config, load_config

FULL = """
framework = "cdc-snc-2015"
select = ["missing-rationale", "unknown-competency", "sibling-inconsistency"]
ignore = ["sibling-inconsistency"]
fail-on = "warning"
plugins = ["local_rules.py", "some.module"]
encoding = "cp1252"

[severity]
missing-rationale = "Warning"

[rules.missing-rationale]
min_length = 40
"""


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    loaded = load_config(start=tmp_path)
    assert loaded.config == CheckConfig()
    assert loaded.path is None and loaded.encoding is None


def test_competency_toml_every_key(tmp_path: Path) -> None:
    (tmp_path / "competency.toml").write_text(FULL, encoding="utf-8")
    loaded = load_config(start=tmp_path)
    cfg = loaded.config
    assert loaded.path == (tmp_path / "competency.toml").resolve()
    assert loaded.table == ""
    assert cfg.framework == "cdc-snc-2015"  # an id stays an id
    assert cfg.select == ("missing-rationale", "unknown-competency", "sibling-inconsistency")
    assert cfg.ignore == ("sibling-inconsistency",)
    assert cfg.fail_on is Severity.WARNING
    assert cfg.severity == {"missing-rationale": Severity.WARNING}
    assert cfg.options == {"missing-rationale": {"min_length": 40}}
    # paths are relative to the file's folder; module names stay as they are
    assert cfg.plugins == (str(tmp_path.resolve() / "local_rules.py"), "some.module")
    assert loaded.encoding == "cp1252"


def test_pyproject_tool_table_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.competency]\nframework = "frameworks/ours.toml"\nfail-on = "info"\n',
        encoding="utf-8",
    )
    deep = tmp_path / "profiles" / "2024"
    deep.mkdir(parents=True)
    loaded = load_config(start=deep)
    assert loaded.path == (tmp_path / "pyproject.toml").resolve()
    assert loaded.table == "tool.competency"
    assert loaded.config.fail_on is Severity.INFO
    assert loaded.config.framework == str(tmp_path.resolve() / "frameworks" / "ours.toml")


def test_nearest_file_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "competency.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(inner) == (tmp_path / "competency.toml").resolve()
    (inner / "pyproject.toml").write_text('[tool.competency]\nfail-on = "warning"\n', encoding="utf-8")
    assert load_config(start=inner).config.fail_on is Severity.WARNING
    # competency.toml beats pyproject.toml in the same folder
    (inner / "competency.toml").write_text('fail-on = "error"\n', encoding="utf-8")
    assert find_config(inner) == (inner / "competency.toml").resolve()


def test_explicit_file(tmp_path: Path) -> None:
    path = tmp_path / "moderation-settings.toml"
    path.write_text('ignore = ["copied-rationale"]\n', encoding="utf-8")
    assert load_config(path).config.ignore == ("copied-rationale",)
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "missing.toml")
    bare = tmp_path / "pyproject.toml"
    bare.write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"has no \[tool.competency\] table"):
        load_config(bare)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('fail_on = "warning"\n', "fail_on", "unknown key; did you mean 'fail-on'?"),
        ("colour = true\n", "colour", "unknown key (allowed: framework, select"),
        ('select = "missing-core"\n', "select", "expected a list of rule ids, got 'missing-core'"),
        ('ignore = ["ok", 3]\n', "ignore[1]", "expected a non-empty string, got 3"),
        ('fail-on = "fatal"\n', "fail-on", "unknown severity 'fatal'"),
        ('[severity]\nmissing-core = "warn"\n', "severity.missing-core", "unknown severity 'warn'"),
        ('severity = "warning"\n', "severity", "expected a table"),
        ("[rules]\nmissing-core = 3\n", "rules.missing-core", "expected a table of options, got 3"),
        ('plugins = "x.py"\n', "plugins", "expected a list of plugin module names"),
        ("framework = 7\n", "framework", "expected a framework id or a path"),
        ('encoding = "klingon-8"\n', "encoding", "unknown encoding 'klingon-8'"),
    ],
)
def test_errors_name_file_and_key_path(tmp_path: Path, text: str, where: str, message: str) -> None:
    body = re.sub(r"(?m)^\[", "[tool.competency.", text)
    (tmp_path / "pyproject.toml").write_text("[tool.competency]\n" + body, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "pyproject.toml")
    error = info.value
    assert error.path is not None and error.path.endswith("pyproject.toml")
    assert error.where == f"tool.competency.{where}"
    assert message in error.message
    assert "\n" not in str(error)


def test_invalid_toml_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "competency.toml").write_text('select = ["a",\nfail-on = \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"competency.toml: line \d+, column \d+: invalid TOML"):
        load_config(start=tmp_path)


def test_overrides_replace_lists_and_merge_severity(tmp_path: Path) -> None:
    (tmp_path / "competency.toml").write_text(
        'select = ["missing-core"]\nignore = ["copied-rationale"]\nplugins = ["a.py"]\n'
        '[severity]\nmissing-core = "warning"\nmissing-rationale = "info"\n',
        encoding="utf-8",
    )
    loaded = load_config(start=tmp_path).with_overrides(
        select=["unknown-competency"],
        ignore=[],
        severity={"missing-rationale": "error", "duplicate-role": "info"},
        fail_on="info",
        plugins=["b.py"],
        framework="glasgow-leadership",
        encoding="latin-1",
    )
    cfg = loaded.config
    assert cfg.select == ("unknown-competency",)
    assert cfg.ignore == ()
    assert cfg.severity == {
        "missing-core": Severity.WARNING,
        "missing-rationale": Severity.ERROR,
        "duplicate-role": Severity.INFO,
    }
    assert cfg.fail_on is Severity.INFO
    assert cfg.plugins == (str(tmp_path.resolve() / "a.py"), "b.py")
    assert cfg.framework == "glasgow-leadership"
    assert loaded.encoding == "latin-1"
    # nothing given on the command line changes nothing
    same = load_config(start=tmp_path)
    assert same.with_overrides() == same


def test_override_errors_name_the_flag() -> None:
    with pytest.raises(ConfigError) as info:
        load_config(start="/").with_overrides(severity={"missing-core": "loud"})
    assert info.value.where == "--severity" and "unknown severity 'loud'" in info.value.message
    with pytest.raises(ConfigError, match="--encoding: unknown encoding"):
        load_config(start="/").with_overrides(encoding="nope-9")


def _checker_error(loaded: LoadedConfig) -> CompetencyError:
    """The error building a checker from ``loaded`` raises, blamed on its source as the CLI does."""
    with pytest.raises(CompetencyError) as info:
        Checker(config=loaded.config)
    return loaded.blame(info.value)


def test_unknown_rule_ids_and_options_are_blamed_on_their_source(tmp_path: Path) -> None:
    config = tmp_path / "competency.toml"
    config.write_text('select = ["missing-rationle"]\n', encoding="utf-8")
    error = _checker_error(load_config(config))
    assert str(error).startswith(
        f"{load_config(config).display_path}: select: unknown rule id 'missing-rationle'"
    )
    assert "did you mean 'missing-rationale'" in str(error)
    # the same id given with --select names the flag instead
    error = _checker_error(load_config(config).with_overrides(select=["missing-rationle"]))
    assert str(error).startswith("--select: unknown rule id")

    config.write_text('[severity]\nmissing-core = "warning"\nnot-a-rule = "info"\n', encoding="utf-8")
    error = _checker_error(load_config(config))
    assert ": severity.not-a-rule: unknown rule id 'not-a-rule'" in str(error)
    config.write_text('[severity]\nmissing-core = "warning"\n', encoding="utf-8")
    error = _checker_error(load_config(config).with_overrides(severity={"bogus-rule": "info"}))
    assert str(error).startswith("--severity: unknown rule id 'bogus-rule'")

    config.write_text("[rules.missing-rationale]\nmin_lenght = 3\n", encoding="utf-8")
    error = _checker_error(load_config(config))
    assert ": rules.missing-rationale.min_lenght: rule 'missing-rationale' has no option 'min_lenght'" in str(
        error
    )

    config.write_text('framework = "cdc-snc-2051"\n', encoding="utf-8")
    error = _checker_error(load_config(config))
    assert ": framework: no bundled framework 'cdc-snc-2051'" in str(error)
    error = _checker_error(load_config(config).with_overrides(framework="nope"))
    assert str(error).startswith("--framework: no bundled framework 'nope'")


def test_pyproject_errors_from_the_checker_carry_the_table_prefix(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.competency]\nignore = ["no-such-rule"]\n', "utf-8")
    error = _checker_error(load_config(start=tmp_path))
    assert "pyproject.toml: tool.competency.ignore: unknown rule id 'no-such-rule'" in str(error)


DOCS = Path(__file__).parents[1] / "docs" / "configuration.md"

COUNCIL_RULES = """
from competency_rules import hookimpl, profile_rule


@profile_rule(id="council-director-moderation", summary="external moderation", severity="error")
def rule(profile, ctx):
    return []


@hookimpl
def competency_register_rules():
    return [rule]
"""


def _doc_blocks() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", DOCS.read_text("utf-8"), flags=re.DOTALL)


def test_documented_examples_load_and_build_a_checker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full, pyproject = _doc_blocks()[:2]
    (tmp_path / "council_rules.py").write_text(COUNCIL_RULES, "utf-8")
    (tmp_path / "competency.toml").write_text(full, "utf-8")
    loaded = load_config(start=tmp_path)
    assert loaded.keys == {
        "framework",
        "select",
        "ignore",
        "fail-on",
        "plugins",
        "encoding",
        "severity",
        "rules",
    }
    checker = Checker(config=loaded.config)
    assert "council-director-moderation" in checker.active_rules
    assert "copied-rationale" not in checker.active_rules
    assert checker.config.options["sibling-inconsistency"] == {"max_steps": 3}

    (tmp_path / "competency.toml").unlink()
    (tmp_path / "frameworks").mkdir()
    framework = Path(__file__).parents[1] / "frameworks" / "cdc-snc-2015.toml"
    (tmp_path / "frameworks" / "our-council.toml").write_bytes(framework.read_bytes())
    # the pyproject example names a plugin module: make one importable under a name unique to this test
    (tmp_path / "council_rules.py").rename(tmp_path / "council_rules_doc_example.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = pyproject.replace('"council_rules"', '"council_rules_doc_example"')
    (tmp_path / "pyproject.toml").write_text(text, "utf-8")
    loaded = load_config(start=tmp_path)
    assert loaded.table == "tool.competency"
    checker = Checker(config=loaded.config)
    assert checker.config.severity == {"sibling-inconsistency": Severity.INFO}
    assert checker.config.framework == str(tmp_path.resolve() / "frameworks" / "our-council.toml")
    assert checker.framework_for(RoleProfile("x", "y")).id == "cdc-snc-2015"
