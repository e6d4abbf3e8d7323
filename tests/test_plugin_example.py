"""The example plugin package (plugins/competency-director-moderation) and the examples in docs/plugins.md.

docs/plugins.md promises a council developer copy-pasteable code: every code block whose first line names
a file (``# council_rules.py``) is extracted here into a temporary folder and run the way the page says —
with ``--plugin``, from a configuration file, under pytest — so the page cannot rot. The example plugin
package is checked as a local ``.py`` path, through the entry point its pyproject.toml declares, and by
running its own tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

import competency
from competency import CheckConfig, Checker, Severity
from competency.cli.main import main
from competency_rules import _manager, load_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "plugins.md"
EXAMPLE_CSV = ROOT / "examples" / "cdc-snc" / "profiles.csv"
EXAMPLE_TOML = ROOT / "examples" / "cdc-snc" / "toml"
PACKAGE = ROOT / "plugins" / "competency-director-moderation"
PLUGIN_FILE = PACKAGE / "src" / "competency_director_moderation" / "__init__.py"
DIRECTOR_RULE = "director-external-moderation"

#: Roles of the example set in a default front-line family with Customer Focus below D.
BELOW_D = ["CDC-RB-02", "SNC-RB-01", "CDC-RB-03", "CDC-RB-04"]


# -- docs/plugins.md -----------------------------------------------------------------------------------------
_BLOCK = re.compile(r"^```(?P<lang>[a-z]+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_NAMED = re.compile(r"^# (?P<name>[\w.-]+\.(?:py|toml))\n")


def doc_blocks(lang: str | None = None) -> list[tuple[str, str]]:
    """``(language, text)`` of every fenced code block in docs/plugins.md."""
    text = DOCS.read_text(encoding="utf-8")
    return [(m["lang"], m["body"]) for m in _BLOCK.finditer(text) if lang is None or m["lang"] == lang]


def doc_files() -> dict[str, str]:
    """The code blocks that name a file in their first line, by file name."""
    files = {}
    for _, body in doc_blocks():
        named = _NAMED.match(body)
        if named:
            assert named["name"] not in files, f"two code blocks are both {named['name']}"
            files[named["name"]] = body
    return files


@pytest.fixture
def doc_dir(tmp_path: Path) -> Path:
    for name, text in doc_files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_the_docs_hold_every_file_they_talk_about() -> None:
    assert set(doc_files()) == {
        "council_rules.py", "family_typos.py", "family_typos_sharded.py", "typo.toml", "competency.toml",
        "buggy_rule.py", "pyproject.toml", "test_council_rules.py", "test_council_rules_properties.py",
    }  # fmt: skip
    for _, body in doc_blocks("python"):
        compile(body, "<docs/plugins.md>", "exec")  # every Python block is valid Python
    for _, body in doc_blocks("toml"):
        tomllib.loads(body)


def test_docs_plugin_runs_with_the_plugin_flag(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    plugin = str(doc_dir / "council_rules.py")
    code, document = run_json(capsys, "examples/cdc-snc/profiles.csv", "--plugin", plugin, "--select",
                              "customer-focus-floor")  # fmt: skip
    assert code == 0  # warnings only
    assert [(f["rule"], f["role"], f["competency"], f["severity"]) for f in document["findings"]] == [
        ("customer-focus-floor", role, "Customer Focus", "warning") for role in BELOW_D
    ]
    # The output the page shows is the real output.
    assert main(["check", "examples/cdc-snc/profiles.csv", "--plugin", plugin, "--select",
                 "customer-focus-floor", "--no-color"]) == 0  # fmt: skip
    shown = next(body for lang, body in doc_blocks("text") if "customer-focus-floor" in body)
    out = capsys.readouterr().out
    for line in shown.splitlines():
        if line.strip() and line.strip() != "...":
            assert line in out


def test_docs_plugin_runs_beside_the_builtin_rules(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code, document = run_json(capsys, "examples/cdc-snc/toml", "--plugin", str(doc_dir / "council_rules.py"))
    assert code == 1  # the example set's planted errors
    rules = {f["rule"] for f in document["findings"]}
    assert {"customer-focus-floor", "missing-core", "copied-rationale"} <= rules
    assert "customer-focus-floor" in document["rules_run"]


def test_docs_set_rule_finds_the_misspelt_family(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    plugin = str(doc_dir / "family_typos.py")
    code, document = run_json(
        capsys, "examples/cdc-snc/toml", "--plugin", plugin, "--select", "lonely-family"
    )
    assert (code, document["findings"]) == (0, [])  # every example family has three roles or more
    code, document = run_json(capsys, "examples/cdc-snc/toml", str(doc_dir / "typo.toml"), "--plugin", plugin,
                              "--select", "lonely-family")  # fmt: skip
    (finding,) = document["findings"]
    assert (code, finding["role"], finding["severity"]) == (0, "SNC-HR-09", "info")
    message = "role family 'HR and OD' has only 1 role(s); did you mean 'HR & OD'?"
    assert finding["message"] == message
    assert message in DOCS.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="shares are checked in forked processes")
def test_docs_sharded_set_rule_finds_the_same_in_one_process_and_in_shares(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from competency import _parallel
    from competency._loading import iter_profile_files

    monkeypatch.chdir(ROOT)
    inputs = ("examples/cdc-snc/toml", str(doc_dir / "typo.toml"))
    code, document = run_json(capsys, *inputs, "--plugin", str(doc_dir / "family_typos_sharded.py"),
                              "--select", "lonely-family-sharded", "--jobs", "1")  # fmt: skip
    (finding,) = document["findings"]
    assert (code, finding["role"]) == (0, "SNC-HR-09")
    assert finding["message"] == "role family 'HR and OD' has only 1 role(s); did you mean 'HR & OD'?"
    plugin = str(doc_dir / "family_typos_sharded.py")
    config = CheckConfig(plugins=(plugin,), select=("lonely-family-sharded",))
    checker = Checker("cdc-snc-2015", config)
    files = list(iter_profile_files(*inputs))
    for jobs in (2, 3):
        shared = _parallel.check_files(checker, files, jobs=jobs, min_share_bytes=1)
        assert shared is not None and shared.jobs == jobs
        assert shared.result == checker.check(competency.load_profiles(*inputs))


def test_docs_configuration_loads_the_plugin_with_options_and_severity(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # competency.toml is found from the current folder; its plugin path is relative to the file.
    (doc_dir / "sub").mkdir()
    monkeypatch.chdir(doc_dir / "sub")
    code, document = run_json(capsys, str(EXAMPLE_CSV), "--select", "customer-focus-floor")
    assert code == 1
    assert [(f["role"], f["level"], f["severity"]) for f in document["findings"]] == [
        ("SNC-BS-01", "C", "error"),
        ("CDC-BS-02", "C", "error"),
    ]
    # The command line's severity wins over the file's.
    code, document = run_json(capsys, str(EXAMPLE_CSV), "--select", "customer-focus-floor", "--severity",
                              "customer-focus-floor=info")  # fmt: skip
    assert code == 0 and {f["severity"] for f in document["findings"]} == {"info"}


def test_docs_option_of_the_wrong_type_is_a_config_error(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = doc_dir / "competency.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('minimum = "D"', "minimum = 3"), encoding="utf-8"
    )
    monkeypatch.chdir(doc_dir)
    assert main(["check", str(EXAMPLE_CSV)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "minimum" in err and "competency.toml" in err


def test_docs_buggy_rule_is_reported_and_the_check_is_incomplete(
    doc_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/cdc-snc/profiles.csv", "--plugin", str(doc_dir / "buggy_rule.py"),
                 "--no-color"]) == 3  # fmt: skip
    out = capsys.readouterr().out
    shown = next(body for lang, body in doc_blocks("text") if "crashed" in body).strip()
    assert shown in out
    assert "missing-core" in out  # the other rules still ran
    assert main(["check", "examples/cdc-snc/profiles.csv", "--plugin", str(doc_dir / "buggy_rule.py"),
                 "--ignore", "grade-on-pay-spine"]) == 1  # fmt: skip


def test_docs_misnamed_hook_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = tmp_path / "typo_hook.py"
    plugin.write_text("from competency_rules import hookimpl\n\n@hookimpl\ndef competency_register_rule():\n"
                      "    return []\n")  # fmt: skip
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/cdc-snc/profiles.csv", "--plugin", str(plugin)]) == 2


def test_docs_pyproject_declares_the_entry_point() -> None:
    data = tomllib.loads(doc_files()["pyproject.toml"])
    (value,) = data["project"]["entry-points"]["competency.rules"].values()
    assert data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == [f"src/{value}"]
    assert any(dep.startswith("competency") for dep in data["project"]["dependencies"])


def _pytest(folder: Path, *args: str, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_docs_tests_and_property_tests_pass(doc_dir: Path) -> None:
    done = _pytest(doc_dir, "test_council_rules.py", "test_council_rules_properties.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b10 passed\b", done.stdout), done.stdout


def test_docs_tests_catch_a_broken_rule(doc_dir: Path) -> None:
    # The page's tests are real tests: a rule that compares the wrong way fails them.
    plugin = doc_dir / "council_rules.py"
    plugin.write_text(plugin.read_text().replace("item.level < minimum", "item.level <= minimum"))
    done = _pytest(doc_dir, "test_council_rules.py", "-x")
    assert done.returncode == 1, done.stdout + done.stderr


# -- the example plugin package ------------------------------------------------------------------------------
def _installed() -> bool:
    """Whether the example plugin is installed (then its entry point already provides the rule)."""
    return any(ep.value.startswith("competency_director_moderation") for ep in _manager._entry_points())


@pytest.fixture(scope="module")
def example_profiles() -> tuple[competency.RoleProfile, ...]:
    return competency.load_profiles(EXAMPLE_CSV)


def test_director_plugin_loads_as_a_local_file(example_profiles: tuple[competency.RoleProfile, ...]) -> None:
    config = CheckConfig(plugins=(str(PLUGIN_FILE),), select=(DIRECTOR_RULE,), entry_points=False)
    checker = Checker("cdc-snc-2015", config)
    assert checker.rules[DIRECTOR_RULE].source == f"local: {PLUGIN_FILE}"
    assert "policy" in checker.rules[DIRECTOR_RULE].docs.lower()  # the module docstring is its documentation
    result = checker.check(example_profiles)
    assert result.complete
    assert [(f.rule, f.role, f.severity) for f in result.findings] == [
        (DIRECTOR_RULE, "SNC-LDR-02", Severity.WARNING)  # the draft Director of Place and Growth
    ]


def test_director_plugin_with_a_severity_override_and_options(
    example_profiles: tuple[competency.RoleProfile, ...],
) -> None:
    config = CheckConfig(
        plugins=(str(PLUGIN_FILE),),
        select=(DIRECTOR_RULE,),
        entry_points=False,
        severity={DIRECTOR_RULE: Severity.ERROR},
        options={
            DIRECTOR_RULE: {"title_patterns": ["director", "chief executive", "pa to the chief executive"]}
        },
    )
    result = Checker("cdc-snc-2015", config).check(example_profiles)
    # "PA to the Chief Executive" is a support role by default, but an explicit pattern names it exactly.
    assert sorted((f.role, f.severity) for f in result.findings) == [
        ("CDC-BS-01", Severity.ERROR),
        ("SNC-LDR-02", Severity.ERROR),
    ]


def test_director_plugin_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    args = ["examples/cdc-snc/toml", "--select", DIRECTOR_RULE, "--fail-on", "warning"]
    if not _installed():  # installed, the entry point loads it; a second copy would clash
        args += ["--plugin", str(PLUGIN_FILE.relative_to(ROOT))]
    code, document = run_json(capsys, *args)
    assert code == 1
    assert [(f["role"], f["path"], f["line"]) for f in document["findings"]] == [
        ("SNC-LDR-02", "examples/cdc-snc/toml/leadership.toml", _role_line("leadership.toml", "SNC-LDR-02"))
    ]


def _role_line(file: str, role_id: str) -> int:
    lines = (EXAMPLE_TOML / file).read_text(encoding="utf-8").splitlines()
    at = lines.index(f'id = "{role_id}"')
    while lines[at] != "[[roles]]":
        at -= 1
    return at + 1


def _pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def test_director_package_declares_its_entry_point() -> None:
    data = _pyproject()
    assert data["build-system"]["build-backend"] == "hatchling.build"
    project = data["project"]
    assert project["name"] == "competency-director-moderation"
    assert any(re.match(r"competency\b(?!-)", dep) for dep in project["dependencies"])
    entry_points = project["entry-points"]["competency.rules"]
    assert list(entry_points.values()) == ["competency_director_moderation"]
    (package_dir,) = data["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert (PACKAGE / package_dir / "__init__.py") == PLUGIN_FILE
    assert (PACKAGE / "README.md").is_file() and (PACKAGE / "tests" / "test_director_moderation.py").is_file()


@pytest.fixture
def plugin_importable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(PLUGIN_FILE.parent.parent))
    yield
    sys.modules.pop("competency_director_moderation", None)


def test_the_declared_entry_point_loads_the_rule(
    plugin_importable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `pip install` would register, without the slow install: the checker loads the entry point.
    (name, value), = _pyproject()["project"]["entry-points"]["competency.rules"].items()  # fmt: skip
    declared = metadata.EntryPoint(name=name, value=value, group=_manager.ENTRY_POINT_GROUP)
    monkeypatch.setattr(_manager, "_entry_points", lambda: [declared])
    loaded = load_rules(entry_points=True)
    assert loaded.failures == ()
    assert DIRECTOR_RULE in loaded.rules
    assert loaded.rules[DIRECTOR_RULE].severity is Severity.ERROR
    # Loaded by module name, as `--plugin competency_director_moderation` would.
    assert DIRECTOR_RULE in load_rules(["competency_director_moderation"], entry_points=False).rules


def test_director_package_tests_pass() -> None:
    done = _pytest(PACKAGE, "tests", pythonpath=PACKAGE / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b\d+ passed\b", done.stdout), done.stdout


def test_docs_plugin_is_listed_and_documented_by_competency_rules(
    doc_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = str(doc_dir / "council_rules.py")
    assert main(["rules", "--plugin", plugin]) == 0
    out = capsys.readouterr().out
    listed = [line for line in out.splitlines() if line.startswith("customer-focus-floor")]
    assert len(listed) == 1 and "local:" in listed[0] and "warning" in listed[0]
    assert main(["rules", "customer-focus-floor", "--plugin", plugin]) == 0
    shown = capsys.readouterr().out
    # The module docstring is the rule's documentation, also for a plugin loaded from a path.
    assert "Our councils' customer charter asks every role" in shown
    assert "minimum" in shown and "families" in shown
