"""`competency check`: every flag, the exit codes, and the promises (no traceback, inputs untouched)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from check_data import clean_roles, csv_rows, write_csv, write_toml
from competency.cli.main import main


@pytest.fixture(autouse=True)
def _in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = _run(capsys, *argv, "--format", "json")
    return code, json.loads(out)


def _defective(tmp_path: Path, name: str = "rcps.csv", **kwargs: Any) -> Path:
    """The clean set with three planted defects: a placeholder rationale, a level off the scale, a typo."""
    roles = clean_roles()
    roles[0] = roles[0].with_entry("Communication", rationale="tbc")
    roles[2] = roles[2].with_entry("Customer Focus", level="K")
    roles[4] = roles[4].with_entry("Collaborative Teamwork", competency="Colaborative Teamwork")
    return write_csv(tmp_path / name, roles, **kwargs)


def _identities(doc: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return sorted((f["rule"], f["role"], f["competency"]) for f in doc["findings"])


PLUGIN = """
from competency_rules import Option, hookimpl, profile_rule


@profile_rule(id="no-hr-managers", summary="HR managers need an external moderator", severity="warning",
              options=[Option("title_word", "Manager")])
def rule(profile, ctx):
    if ctx.options["title_word"] in profile.profile.title:
        yield ctx.problem(f"{profile.profile.title} needs an external moderator")


@hookimpl
def competency_register_rules():
    return [rule]
"""

CRASHING_PLUGIN = """
from competency_rules import hookimpl, profile_rule


@profile_rule(id="always-crashes", summary="a buggy local rule", severity="error")
def rule(profile, ctx):
    return 1 / 0


@hookimpl
def competency_register_rules():
    return [rule]
"""


# -- paths and inputs -----------------------------------------------------------------------------------
def test_clean_set_exits_0_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    code, out, err = _run(capsys, "rcps.csv")
    assert (code, err) == (0, "")
    assert out.startswith("No findings in 6 roles against cdc-snc-2015.\nCheck complete:")


def test_findings_exit_1_and_are_reported_by_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _defective(tmp_path)
    code, out, _ = _run(capsys, "rcps.csv")
    assert code == 1
    assert "CDC-HR-01  HR Adviser · Cherwell District Council" in out
    assert "level-off-scale" in out and "[Customer Focus]" in out
    code, doc = _json(capsys, "rcps.csv")
    assert code == 1
    assert ("level-off-scale", "CDC-HR-02", "Customer Focus") in _identities(doc)
    assert ("unknown-competency", "CDC-PLN-01", "Colaborative Teamwork") in _identities(doc)
    assert any(f["rule"] == "missing-rationale" and f["role"] == "CDC-HR-01" for f in doc["findings"])
    level = next(f for f in doc["findings"] if f["rule"] == "level-off-scale")
    assert level["path"] == "rcps.csv" and level["line"] == 1 + 7 * 2 + 3  # header, 2 roles, 3rd entry


def test_folders_are_searched_and_formats_mixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = clean_roles()
    (tmp_path / "set" / "hr").mkdir(parents=True)
    write_toml(tmp_path / "set" / "hr" / "hr.toml", roles[:4])
    write_csv(tmp_path / "set" / "planning.csv", roles[4:])
    (tmp_path / "set" / "notes.txt").write_text("not a profile", "utf-8")
    code, doc = _json(capsys, "set")
    assert code == 0 and doc["summary"]["roles"] == 6
    # a duplicate role across the two files is found by the set rules
    write_toml(tmp_path / "set" / "hr" / "again.toml", roles[4:5])
    code, doc = _json(capsys, "set", "--select", "duplicate-role")
    assert code == 1
    assert {f["path"] for f in doc["findings"]} <= {
        os.path.join("set", "planning.csv"),
        os.path.join("set", "hr", "again.toml"),
    }


def test_toml_findings_point_at_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = clean_roles()[:1]
    roles[0] = roles[0].with_entry("Customer Focus", level="Z")
    path = write_toml(tmp_path / "one.toml", roles)
    code, doc = _json(capsys, "one.toml", "--select", "level-off-scale")
    assert code == 1
    (finding,) = doc["findings"]
    lines = path.read_text("utf-8").splitlines()
    assert lines[finding["line"] - 1] == "[[roles.competencies]]"
    assert lines[finding["line"]] == 'competency = "Customer Focus"'


# -- framework ------------------------------------------------------------------------------------------
def test_framework_from_flag_when_profiles_name_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles(), framework=None)
    code, out, err = _run(capsys, "rcps.csv")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("competency: error: rcps.csv: role 'CDC-HR-01' names no framework")
    assert "--framework" in err
    assert _run(capsys, "rcps.csv", "--framework", "cdc-snc-2015")[0] == 0
    # a framework file by path
    own = shutil.copy(Path(__file__).parents[1] / "frameworks" / "cdc-snc-2015.toml", tmp_path / "ours.toml")
    assert _run(capsys, "rcps.csv", "--framework", str(own))[0] == 0
    code, _, err = _run(capsys, "rcps.csv", "--framework", "cdc-snc-2051")
    assert code == 2 and err.startswith("competency: error: --framework: no bundled framework 'cdc-snc-2051'")


def test_framework_from_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles(), framework=None)
    (tmp_path / "competency.toml").write_text('framework = "cdc-snc-2015"\n', "utf-8")
    assert _run(capsys, "rcps.csv")[0] == 0


# -- rule selection and severities ------------------------------------------------------------------------
def test_select_and_ignore_take_comma_separated_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _defective(tmp_path)
    _, doc = _json(capsys, "rcps.csv", "--select", "level-off-scale, unknown-competency")
    assert {f["rule"] for f in doc["findings"]} == {"level-off-scale", "unknown-competency"}
    assert doc["rules_run"] == ["unknown-competency", "level-off-scale"]
    _, doc = _json(capsys, "rcps.csv", "--ignore", "level-off-scale,unknown-competency")
    assert not {"level-off-scale", "unknown-competency"} & {f["rule"] for f in doc["findings"]}
    assert "level-off-scale" not in doc["rules_run"]
    code, out, err = _run(capsys, "rcps.csv", "--select", "level-of-scale")
    assert code == 2 and out == ""
    assert (
        err
        == "competency: error: --select: unknown rule id 'level-of-scale'; did you mean 'level-off-scale'?\n"
    )


def test_severity_overrides_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = clean_roles()
    roles[2] = roles[2].with_entry("Customer Focus", level="K")
    write_csv(tmp_path / "rcps.csv", roles)
    args = ("rcps.csv", "--select", "level-off-scale")
    assert _json(capsys, *args)[0] == 1
    code, doc = _json(capsys, *args, "--severity", "level-off-scale=warning")
    assert code == 0 and doc["findings"][0]["severity"] == "warning"
    assert _json(capsys, *args, "--severity", "level-off-scale=warning", "--fail-on", "warning")[0] == 1
    assert _json(capsys, *args, "--severity", "level-off-scale=info", "--fail-on", "warning")[0] == 0
    assert _json(capsys, *args, "--severity", "level-off-scale=info", "--fail-on", "info")[0] == 1
    # repeatable; the last one for a rule wins
    code, doc = _json(
        capsys,
        *args,
        "--severity",
        "level-off-scale=info",
        "--severity",
        "level-off-scale=error",
        "--severity",
        "level-off-scale=Warning",
    )
    assert doc["findings"][0]["severity"] == "warning"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--severity", "level-off-scale"], "expected RULE=LEVEL"),
        (["--severity", "level-off-scale=loud"], "--severity: level-off-scale=loud: unknown severity 'loud'"),
        (["--severity", "no-such-rule=info"], "--severity: unknown rule id 'no-such-rule'"),
        (["--fail-on", "fatal"], "invalid choice: 'fatal'"),
        (["--format", "xml"], "invalid choice: 'xml'"),
        (["--encoding", "klingon"], "--encoding: unknown encoding 'klingon'"),
        (
            ["--plugin", "no_such_plugin_module_xyz"],
            "cannot import plugin module 'no_such_plugin_module_xyz'",
        ),
        (["--plugin", "missing/plugin.py"], "missing/plugin.py: no such plugin file"),
        (["--config", "nope.toml"], "nope.toml: no such configuration file"),
    ],
)
def test_bad_flags_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    usage_error = "invalid choice" in message or "RULE=LEVEL" in message  # argparse's own errors
    with pytest.raises(SystemExit) if usage_error else contextlib.nullcontext():
        code = main(["check", "rcps.csv", *argv])
        assert code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    with pytest.raises(SystemExit) as info:
        main(["check", "rcps.csv", "--fail-on", "fatal"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["check"])
    assert info.value.code == 2


# -- plugins --------------------------------------------------------------------------------------------
def test_plugin_by_path_and_by_module_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    (tmp_path / "local_rules.py").write_text(PLUGIN, "utf-8")
    code, doc = _json(capsys, "rcps.csv", "--plugin", "local_rules.py")
    assert code == 0  # a warning does not fail by default
    assert _identities(doc) == [("no-hr-managers", "CDC-HR-03", None)]
    assert "no-hr-managers" in doc["rules_run"]
    assert _json(capsys, "rcps.csv", "--plugin", "./local_rules.py", "--fail-on", "warning")[0] == 1
    # as an importable module name, with its option set in configuration
    (tmp_path / "council_rules_cli_test.py").write_text(PLUGIN, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "competency.toml").write_text(
        'plugins = ["council_rules_cli_test"]\n[rules.no-hr-managers]\ntitle_word = "Adviser"\n', "utf-8"
    )
    code, doc = _json(capsys, "rcps.csv")
    assert _identities(doc) == [("no-hr-managers", "CDC-HR-01", None), ("no-hr-managers", "SNC-HR-01", None)]


def test_crashing_rule_exits_3_even_with_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _defective(tmp_path)
    (tmp_path / "buggy.py").write_text(CRASHING_PLUGIN, "utf-8")
    code, out, err = _run(capsys, "rcps.csv", "--plugin", "buggy.py")
    assert code == 3 and err == ""
    assert "Not about one role" in out and "rule 'always-crashes' crashed" in out
    assert "ZeroDivisionError" in out and "Check INCOMPLETE" in out
    code, doc = _json(capsys, "rcps.csv", "--plugin", "buggy.py")
    assert code == 3 and doc["complete"] is False
    # the other rules still ran
    assert {"level-off-scale", "rule-crashed"} <= {f["rule"] for f in doc["findings"]}
    # ignoring the buggy rule makes the check complete again
    assert _run(capsys, "rcps.csv", "--plugin", "buggy.py", "--ignore", "always-crashes")[0] == 1


# -- configuration --------------------------------------------------------------------------------------
def test_config_found_upwards_and_flags_override_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _defective(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.competency]\nselect = ["level-off-scale", "unknown-competency"]\n'
        '[tool.competency.severity]\nlevel-off-scale = "info"\nunknown-competency = "info"\n',
        "utf-8",
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    code, doc = _json(capsys, "../rcps.csv")
    assert code == 0 and {f["severity"] for f in doc["findings"]} == {"info"}
    assert {f["rule"] for f in doc["findings"]} == {"level-off-scale", "unknown-competency"}
    # --severity merges (one rule back to error), --select replaces
    code, doc = _json(capsys, "../rcps.csv", "--severity", "unknown-competency=error")
    assert code == 1
    assert {(f["rule"], f["severity"]) for f in doc["findings"]} == {
        ("level-off-scale", "info"),
        ("unknown-competency", "error"),
    }
    code, doc = _json(capsys, "../rcps.csv", "--select", "level-off-scale")
    assert {f["rule"] for f in doc["findings"]} == {"level-off-scale"}
    # an explicit --config wins over the one found
    (tmp_path / "strict.toml").write_text('fail-on = "info"\n', "utf-8")
    assert _json(capsys, "../rcps.csv", "--config", "../strict.toml", "--select", "level-off-scale")[0] == 1


def test_config_errors_name_file_and_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    (tmp_path / "competency.toml").write_text('ignore = ["copied-rationale", "missing-rationle"]\n', "utf-8")
    code, out, err = _run(capsys, "rcps.csv")
    assert code == 2 and out == ""
    assert err.startswith("competency: error: competency.toml: ignore: unknown rule id 'missing-rationle'")
    (tmp_path / "competency.toml").write_text('[severity]\nmissing-core = "sometimes"\n', "utf-8")
    code, _, err = _run(capsys, "rcps.csv")
    assert code == 2 and err.startswith(
        "competency: error: competency.toml: severity.missing-core: unknown severity"
    )


# -- encodings and sheets -------------------------------------------------------------------------------
def test_encoding_flag_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roles = clean_roles()
    roles[0] = roles[0].with_entry("Communication", rationale="Explains the council’s policies — café-style.")
    write_csv(tmp_path / "excel.csv", roles, encoding="cp1252")
    code, out, err = _run(capsys, "excel.csv")
    assert code == 2 and out == ""
    assert err.startswith("competency: error: excel.csv: line ") and "--encoding cp1252" in err
    assert _run(capsys, "excel.csv", "--encoding", "cp1252")[0] == 0
    (tmp_path / "competency.toml").write_text('encoding = "cp1252"\n', "utf-8")
    assert _run(capsys, "excel.csv")[0] == 0


def test_sheet_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    from check_data import HEADER

    roles = clean_roles()
    bad = list(roles)
    bad[1] = bad[1].with_entry("Customer Focus", level="K")
    wb = Workbook()
    first = wb.active
    first.title = "Old"
    second = wb.create_sheet("Current")
    for sheet, data in ((first, roles), (second, bad)):
        sheet.append([*HEADER, "framework"])
        for row in csv_rows(data):
            sheet.append([*row, "cdc-snc-2015"])
    wb.save(tmp_path / "rcps.xlsx")
    assert _json(capsys, "rcps.xlsx")[0] == 0
    code, doc = _json(capsys, "rcps.xlsx", "--sheet", "Current", "--select", "level-off-scale")
    assert code == 1
    (finding,) = doc["findings"]
    assert (finding["sheet"], finding["line"], finding["path"]) == ("Current", 1 + 7 + 3, "rcps.xlsx")
    code, out, _ = _run(capsys, "rcps.xlsx", "--sheet", "Current", "--select", "level-off-scale")
    assert "rcps.xlsx[Current]:11" in out
    code, _, err = _run(capsys, "rcps.xlsx", "--sheet", "Nope")
    assert code == 2 and "Nope" in err and err.count("\n") == 1


# -- output ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "csv"])
def test_output_file_is_written_and_stdout_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _defective(tmp_path)
    code, out, err = _run(capsys, "rcps.csv", "--format", fmt, "--output", f"report.{fmt}")
    assert code == 1 and out == "" and err == ""
    data = (tmp_path / f"report.{fmt}").read_bytes()
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbfrule,severity,role_id")
    elif fmt in ("json", "sarif"):
        assert json.loads(data)["version"] in (1, "2.1.0")
    else:
        assert b"level-off-scale" in data and b"\x1b[" not in data
    # the same bytes on standard output
    code = main(["check", "rcps.csv", "--format", fmt])
    if fmt == "csv":
        assert capsys.readouterr().out.encode("utf-8") == data
    else:
        assert capsys.readouterr().out == data.decode("utf-8")
    assert _run(capsys, "rcps.csv", "--format", fmt, "-o", "-")[1] == data.decode("utf-8")


def test_csv_to_stdout_writes_bytes(tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    _defective(tmp_path)
    assert main(["check", "rcps.csv", "--format", "csv"]) == 1
    out = capfdbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfrule,") and b"level-off-scale" in out


def test_inputs_are_never_modified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = _defective(tmp_path)
    toml_path = write_toml(tmp_path / "more.toml", clean_roles()[:1])
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (csv_path, toml_path)}
    for fmt in ("text", "json", "sarif", "csv"):
        _run(capsys, "rcps.csv", "more.toml", "--format", fmt, "--write-baseline", "b.json")
    code, _, err = _run(capsys, "rcps.csv", "--output", "rcps.csv")
    assert code == 2 and "--output rcps.csv is one of the input files" in err
    code, _, err = _run(capsys, ".", "--write-baseline", "more.toml")
    assert code == 2 and "--write-baseline more.toml is one of the input files" in err
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (csv_path, toml_path)} == before


def test_write_baseline_and_baseline_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _defective(tmp_path)
    code, out, err = _run(capsys, "rcps.csv", "--write-baseline", "baseline.json")
    assert code == 0 and "level-off-scale" in out and "recorded" in err
    code, out, err = _run(capsys, "rcps.csv", "--baseline", "baseline.json")
    assert code == 0 and out.startswith("No findings in 6 roles") and "already in baseline" in err


# -- colour ---------------------------------------------------------------------------------------------
def test_colour_only_on_a_terminal_without_no_color(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _defective(tmp_path)
    assert "\x1b[" not in _run(capsys, "rcps.csv")[1]  # not a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "\x1b[31;1merror\x1b[0m" in _run(capsys, "rcps.csv")[1]
    assert "\x1b[" not in _run(capsys, "rcps.csv", "--no-color")[1]
    assert "\x1b[" not in _run(capsys, "rcps.csv", "--format", "json")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _run(capsys, "rcps.csv")[1]


# -- bad input: one line, exit 2 -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "empty.csv: empty file"),
        ("cols.csv", b"role_id,level\nR1,D\n", "cols.csv: row 1: missing required columns"),
        ("bad.toml", b"[[roles]\nid = 1\n", "bad.toml: line 1, column"),
        ("typed.toml", b'format = 1\n[[roles]]\nid = "R"\ntitle = 3\n', "typed.toml: roles[0].title"),
        ("missing.csv", None, "missing.csv: no such file or folder"),
    ],
)
def test_malformed_inputs_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes | None, expected: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    code, out, err = _run(capsys, name, "--framework", "cdc-snc-2015")
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


# -- the installed command ------------------------------------------------------------------------------
def test_installed_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "competency"
    if not script.exists():
        pytest.skip("the competency console script is not installed in this environment")
    _defective(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(script), "check", "rcps.csv", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert ("level-off-scale", "CDC-HR-02", "Customer Focus") in _identities(doc)
    proc = subprocess.run(
        [str(script), "check", "nope.csv"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr == "competency: error: nope.csv: no such file or folder\n"


class _Ended(BaseException):
    """Raised by the stand-in for ``os._exit`` (past main()'s handlers, as the real one ends the process)
    so that a test can see how the console script ended."""


class _Stream:
    """A stand-in for a standard stream that records what it is given and its flushes, and may refuse
    to flush."""

    def __init__(self, fail: bool = False) -> None:
        self.fail, self.flushed, self.written = fail, 0, ""

    def write(self, text: str) -> int:
        self.written += text
        return len(text)

    def flush(self) -> None:
        if self.fail:
            raise OSError(28, "No space left on device")
        self.flushed += 1


def _entry_ending(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdout: _Stream) -> tuple[str, int]:
    """Run the console script's entry point: how it ended ("_exit" or "exit") and with which code."""
    from competency.cli import main as cli_main

    monkeypatch.setattr(sys, "argv", ["competency", *argv])
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", _Stream())

    def fake_exit(code: int) -> None:
        raise _Ended(code)

    monkeypatch.setattr(os, "_exit", fake_exit)
    try:
        cli_main.entry()
    except _Ended as ended:
        return "_exit", ended.args[0]
    except SystemExit as ended:
        return "exit", int(ended.code or 0)
    raise AssertionError("entry() returned instead of ending the process")


def test_console_script_flushes_its_report_then_ends_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The console script skips the interpreter's slow tear-down only after its output is flushed, and
    ends with the command's exit code."""
    example = Path(__file__).resolve().parents[1] / "examples" / "cdc-snc" / "profiles.csv"
    out = _Stream()
    assert _entry_ending(monkeypatch, ["check", str(example), "--format", "json"], out) == ("_exit", 1)
    assert out.flushed >= 1
    assert json.loads(out.written)["summary"]["findings"] == 17
    out = _Stream()
    assert _entry_ending(monkeypatch, ["rules"], out) == ("_exit", 0)
    assert out.flushed >= 1 and "missing-rationale" in out.written


def test_console_script_exits_normally_when_its_output_cannot_be_flushed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A flush that fails (say, a full disk) is left to the normal exit, which reports it."""
    assert _entry_ending(monkeypatch, ["rules"], _Stream(fail=True)) == ("exit", 0)


def test_console_script_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``competency check … | head``: the reader is gone before the report is written; the script ends
    without a traceback, as it always has."""
    example = Path(__file__).resolve().parents[1] / "examples" / "cdc-snc" / "profiles.csv"
    code = (
        "import sys; from competency.cli.main import entry; sys.argv = ['competency', *sys.argv[1:]]; entry()"
    )
    for fmt in ("json", "text"):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "check", str(example), "--format", fmt],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # long before the check writes: its start-up alone takes a tenth of a second
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 0, err
        assert err == ""


def test_unwritable_output_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_csv(tmp_path / "rcps.csv", clean_roles())
    (tmp_path / "folder").mkdir()
    for flag in ("--output", "--write-baseline"):
        for target in ("folder", "no/such/dir/out.txt"):
            code, _, err = _run(capsys, "rcps.csv", flag, target)
            assert code == 2, (flag, target, err)
            assert err.startswith(f"competency: error: {target}: cannot write") and err.count("\n") == 1


def test_reports_are_written_whole_through_a_temporary_file_in_the_same_folder(tmp_path: Path) -> None:
    """As tempfile.mkstemp would: a new file only the user can read, renamed over the target; nothing is
    left behind, and an existing report is replaced, never appended to."""
    from competency._loading import write_bytes_atomic

    target = tmp_path / "report.json"
    target.write_text("old and longer than the new report\n", encoding="utf-8")
    write_bytes_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
