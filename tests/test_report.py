"""The moderation report: its content (the model), its HTML, its escaping, and ``competency report``."""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from pathlib import Path

import attrs
import pytest

from competency import (
    CheckResult,
    Finding,
    ProfileEntry,
    RoleProfile,
    Severity,
    Summary,
    check,
    load_framework,
)
from competency.cli.main import main
from competency.report import build_model, build_report, json_for_script
from test_report_data import cdc_snc, profile_set

ROOT = Path(__file__).resolve().parents[1]


def _role(
    role_id: str,
    levels: dict[str, str | None],
    *,
    title: str = "Officer",
    org: str = "Cherwell District Council",
    family: str | None = "Planning",
    managerial: bool = False,
) -> RoleProfile:
    return RoleProfile(
        id=role_id,
        title=title,
        organisation=org,
        family=family,
        managerial=managerial,
        competencies=tuple(
            ProfileEntry(name, level, f"Why {role_id} needs {name} at {level}.")
            for name, level in levels.items()
        ),
    )


def _core(level: str) -> dict[str, str | None]:
    return {c.name: level for c in cdc_snc().required_for(managerial=False)}


def _result(findings: list[Finding], roles: int) -> CheckResult:
    return CheckResult(tuple(findings), Summary.of(findings, roles))


# -- json_for_script -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- a & b -->",
        "line\u2028separator\u2029paragraph",
        {"nested": ["]]>", "&amp;", "<", ">"], "é": "ü"},
    ],
)
def test_json_for_script_round_trips_and_cannot_close_the_script(value: object) -> None:
    text = json_for_script(value)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


# -- the model ---------------------------------------------------------------------------------------------
def test_heat_map_cells_colour_by_position_on_each_competencys_scale() -> None:
    fw = cdc_snc()
    low, high = _role("P-1", _core("A")), _role("P-2", _core("H"), title="Head")
    missing = _role("P-3", {**_core("D"), "Communication": None}, title="Adviser")
    model = build_model([low, high, missing], _result([], 3), fw)
    (family,) = model.families
    assert [row.title for row in family.roles] == ["Adviser", "Head", "Officer"]  # by title
    by_id = {row.id: row for row in family.roles}
    assert {c.css for c in by_id["P-1"].cells} == {"v0"}
    assert {c.css for c in by_id["P-2"].cells} == {"v7"}
    assert by_id["P-3"].cells[0].css == "miss"
    assert by_id["P-3"].cells[0].text == "–"
    # core columns only: nobody in the family is managerial
    assert [c.name for c in family.columns] == [c.name for c in fw.required_for(managerial=False)]
    assert family.kind_groups == (("Core", 7),)
    assert family.median[1] == "D"  # A, H, D -> D


def test_glasgow_levels_colour_within_each_competencys_own_run() -> None:
    fw = load_framework("glasgow-leadership")
    top = {c.name: fw.levels_for(c)[-1].id for c in fw.competencies}
    bottom = {c.name: fw.levels_for(c)[0].id for c in fw.competencies}
    model = build_model([_role("G-1", top), _role("G-2", bottom, title="Trainee")], _result([], 2), fw)
    rows = {row.id: row for row in model.families[0].roles}
    assert {c.css for c in rows["G-1"].cells} == {"v7"}  # L2's 3 is as high as L11's 6
    assert {c.css for c in rows["G-2"].cells} == {"v0"}
    assert model.families[0].kind_groups == ()  # a framework without kinds
    meaning = model.meanings[f"{model.families[0].columns[10].index}|6"]
    assert meaning["n"].startswith("Cumulative scale: level 6 includes")
    assert [g[0] for g in meaning["g"]] == ["1", "2", "3", "4", "5", "6"]


def test_meanings_are_deduplicated_and_explain_levels_without_indicators() -> None:
    fw = cdc_snc()
    roles = [_role(f"P-{i}", _core("C"), title=f"Officer {i}") for i in range(5)]
    model = build_model(roles, _result([], 5), fw)
    assert len(model.meanings) == 7  # one per competency × level, not per cell
    meaning = model.meanings["0|C"]
    assert "C has no indicators of its own; shown are those at B" in meaning["n"]
    assert meaning["g"][0][:2] == ["B", "Style"]
    assert meaning["g"][0][2] == list(
        fw.level_meaning(fw.competency("Communication"), "B").groups[0].indicators
    )
    html = build_report(roles, _result([], 5), fw)
    assert html.count("Communicates politely, clearly and confidently.") == 1


def test_findings_land_on_their_cells_and_roles() -> None:
    fw = cdc_snc()
    roles = [
        _role("P-1", {**_core("D"), "Customer Focus": "I"}),
        _role("P-2", {**_core("D"), "Leadership Vision": "D"}, title="Planner"),
        _role("P-3", _core("D"), title="Planner", family=None),
    ]
    result = check(roles, fw)
    model = build_model(roles, result, fw)
    planning = next(f for f in model.families if f.name == "Planning")
    assert planning.columns[-1].name == "Leadership Vision"
    assert planning.columns[-1].kind == "Not in framework"
    rows = {row.id: row for row in planning.roles}
    customer = [c.name for c in planning.columns].index("Customer Focus")
    off = rows["P-1"].cells[customer]
    assert (off.text, off.level) == ("I", None)
    assert off.css.split() == ["off", "fe"]
    assert any(result.findings[i].rule == "level-off-scale" for i in off.findings)
    unknown = rows["P-2"].cells[-1]
    assert "fe" in unknown.css.split()
    assert "not a competency" in unknown.tip
    assert rows["P-1"].cells[-1].css == "na"  # P-1 has no "Leadership Vision": it does not apply
    # the same title twice in one council: a finding about the whole role
    duplicate = [f for f in result.findings if f.rule == "duplicate-role"]
    assert duplicate
    no_family = next(f for f in model.families if f.name == "(no family)")
    marked = [row for family in (planning, no_family) for row in family.roles if row.findings]
    assert marked and all(row.css == "fe" for row in marked)
    # the summary counts
    assert model.by_severity == result.summary.by_severity
    assert {c.name: c.roles for c in model.organisations} == {"Cherwell District Council": 3}
    assert [c.name for c in model.family_counts] == ["Planning", "(no family)"]
    # the table: worst first
    ranks = [row.rank for row in model.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_findings_about_no_role_are_listed_apart() -> None:
    general = Finding("rule-crashed", Severity.ERROR, "plugin 'x' could not be loaded")
    result = attrs.evolve(_result([general], 1), complete=False)
    html = build_report([_role("P-1", _core("D"))], result, cdc_snc())
    assert "This check is incomplete." in html
    assert "Findings about the check itself" in html
    assert "plugin &#39;x&#39; could not be loaded" in html


# -- the HTML ----------------------------------------------------------------------------------------------
HOSTILE = '<script>alert("x")</script>'


def test_every_input_text_is_escaped() -> None:
    fw = cdc_snc()
    role = RoleProfile(
        id=f"ID{HOSTILE}",
        title=f"T{HOSTILE}",
        organisation=f"O{HOSTILE}",
        family=f"F{HOSTILE}",
        competencies=(
            ProfileEntry("Communication", f"L{HOSTILE}", f"R{HOSTILE}\u2028more"),
            ProfileEntry(f"C{HOSTILE}", "D", f"R{HOSTILE}</script>"),
        ),
    )
    result = check([role], fw)
    html = build_report([role], result, fw, title=f"Title{HOSTILE}")
    assert "alert(" in html  # the text is there…
    assert HOSTILE not in html  # …but never as markup
    assert html.count("<script") == 2
    assert len(re.findall(r"</script", html, flags=re.IGNORECASE)) == 2
    assert "&lt;script&gt;alert(" in html
    data = html[html.index('id="report-data">') + len('id="report-data">') : html.index("</script>")]
    assert json.loads(data)["rationales"][0] == f"R{HOSTILE}\u2028more"


def test_self_contained_with_a_csp_naming_the_pages_own_script() -> None:
    roles = profile_set(20)
    fw = cdc_snc()
    html = build_report(roles, check(roles, fw), fw)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp is not None
    policy = html_lib.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    script = html[html.rindex("<script>") + len("<script>") : html.rindex("</script>")]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy


def test_report_is_reproducible_and_dates_only_when_asked() -> None:
    roles = profile_set(15)
    fw = cdc_snc()
    result = check(roles, fw)
    assert build_report(roles, result, fw) == build_report(roles, result, fw)
    assert "generated" not in build_report(roles, result, fw).split("<main>")[0]
    assert "generated 2 March 2026" in build_report(roles, result, fw, generated="2 March 2026")


def test_many_families_start_closed() -> None:
    roles = [_role(f"P-{i}", _core("D"), family=f"Family {i}", title=f"T{i}") for i in range(40)]
    model = build_model(roles, _result([], 40), cdc_snc())
    assert len(model.families) == 40
    assert not any(f.open for f in model.families)
    small = build_model(roles[:3], _result([], 3), cdc_snc())
    assert all(f.open for f in small.families)


# -- the command line --------------------------------------------------------------------------------------
def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "rcps.csv"
    source.write_text(
        "role_id,role_title,organisation,role_family,managerial,competence,level,rationale\n"
        "P-1,Planner,Cherwell District Council,Planning,no,Communication,D,Explains plans to residents.\n"
        "P-1,Planner,Cherwell District Council,Planning,no,Customer Focus,Q,Deals with applicants daily.\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    code = main(["report", str(source), "--framework", "cdc-snc-2015", "-o", str(out)])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert '<li class="card" id="count-roles"><span class="n">1</span> role</li>' in html
    assert "level-off-scale" in html
    assert f"wrote {out} (1 role," in capsys.readouterr().err
    # --fail-on makes findings fail, as in `competency check`
    assert (
        main(["report", str(source), "--framework", "cdc-snc-2015", "-o", str(out), "--fail-on", "error"])
        == 1
    )
    # --select, and the rule summaries beside the counts
    assert (
        main(
            ["report", str(source), "--framework", "cdc-snc-2015", "-o", str(out), "--select", "missing-core"]
        )
        == 0
    )
    html = out.read_text(encoding="utf-8")
    assert "level-off-scale" not in html
    assert "missing-core" in html


def test_cli_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "rcps.csv"
    source.write_text("role_id,role_title,managerial,competence,level\nP-1,Planner,no,Communication,D\n")
    assert main(["report", str(source), "-o", str(tmp_path / "r.html")]) == 2
    assert "names no framework" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["report", str(source), "--framework", "cdc-snc-2015", "-o", str(source)]) == 2
    assert "would be overwritten" in capsys.readouterr().err
    assert (
        main(["report", str(source), "--framework", "cdc-snc-2015", "--select", "nope", "-o", "x.html"]) == 2
    )
    assert "unknown rule id 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
    with pytest.raises(SystemExit) as info:
        main(["report", str(source)])
    assert info.value.code == 2


def test_cli_report_of_the_examples(tmp_path: Path) -> None:
    examples = ROOT / "examples" / "cdc-snc" / "profiles.csv"
    if not examples.is_file():
        pytest.skip("examples/cdc-snc/profiles.csv is not there")
    out = tmp_path / "report.html"
    assert main(["report", str(examples), "-o", str(out), "--title", "Panel, March"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<title>Panel, March</title>" in html
    assert "Cherwell District Council" in html and "South Northamptonshire Council" in html
