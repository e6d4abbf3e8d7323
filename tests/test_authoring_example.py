"""docs/authoring.md and its finished files in examples/authoring/: load, lint, show, round trip.

The guide must stay copy-pasteable: every ```toml block parses, the step-by-step parts add up to the
whole file it shows, and that whole file is the example framework in the project.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from competency import dump_framework, dump_profiles, load_framework, load_profiles
from competency._toml_io import parse_framework, parse_profiles
from competency.cli.main import main
from competency.lint import CODES, lint_framework

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "authoring.md"
FRAMEWORK = ROOT / "examples" / "authoring" / "my-framework.toml"
PROFILES = ROOT / "examples" / "authoring" / "profiles.toml"
PART = "<!-- part of my-framework.toml -->"
FENCE = re.compile(
    r"^(?P<marker><!-- [^\n]* -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL
)


def _blocks(lang: str) -> list[tuple[bool, str]]:
    """``(is a part of the framework file, text)`` for each fenced block of ``lang`` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    return [
        (m.group("marker") == PART + "\n", m.group("body"))
        for m in FENCE.finditer(text)
        if m.group("lang") == lang
    ]


@pytest.fixture(scope="module")
def fw() -> Any:
    return load_framework(FRAMEWORK)


# -- the guide's blocks -----------------------------------------------------------------------------------
def test_every_toml_block_in_the_guide_parses() -> None:
    blocks = _blocks("toml")
    assert len(blocks) >= 10
    for index, (_, body) in enumerate(blocks):
        try:
            tomllib.loads(body)
        except tomllib.TOMLDecodeError as exc:  # pragma: no cover - the failure message
            pytest.fail(f"toml block {index} of docs/authoring.md does not parse: {exc}\n{body}")


def test_the_parts_add_up_to_the_whole_file_and_the_example() -> None:
    blocks = _blocks("toml")
    parts = "".join(body + "\n" for is_part, body in blocks if is_part)
    assert len([b for b in blocks if b[0]]) == 7  # steps 1-3 and 5-8
    example = tomllib.loads(FRAMEWORK.read_text(encoding="utf-8"))
    assert tomllib.loads(parts) == example
    wholes = [body for _, body in blocks if tomllib.loads(body) == example]
    assert wholes, "docs/authoring.md shows the whole framework file"
    assert wholes[0].startswith("#:schema framework.schema.json\n")
    assert parse_framework(parts.encode(), "parts.toml") == load_framework(FRAMEWORK)


def test_the_guide_shows_the_profile_file() -> None:
    example = tomllib.loads(PROFILES.read_text(encoding="utf-8"))
    shown = [body for _, body in _blocks("toml") if tomllib.loads(body) == example]
    assert shown and shown[0].startswith("#:schema profiles.schema.json\n")


def test_the_guide_lists_every_lint_code() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert not missing


def test_the_guide_shows_real_output(fw: Any, capsys: Any, tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    outputs = [body for _, body in _blocks("text")]
    assert (
        main(["show", str(FRAMEWORK), "listening-to-residents", "--level", "Practitioner, working alone"])
        == 0
    )
    assert capsys.readouterr().out in outputs
    broken = tmp_path / "examples" / "authoring" / "my-framework.toml"
    broken.parent.mkdir(parents=True)
    source = FRAMEWORK.read_text(encoding="utf-8")
    at = source.index('id = "handling-personal-data"')
    broken.write_text(
        source[:at] + source[at:].replace("practitioner = [", "Practitioner = [", 1), encoding="utf-8"
    )
    defects = lint_framework(broken)
    assert len(defects) == 1
    shown = str(defects[0]).replace(str(broken), "examples/authoring/my-framework.toml")
    assert shown + "\n" in outputs
    assert (
        "competency check examples/authoring/profiles.toml --framework examples/authoring/my-framework.toml"
        in text
    )


# -- the example framework: the shapes the guide promises --------------------------------------------------
def test_example_loads_with_the_promised_shapes(fw: Any) -> None:
    (scale,) = fw.scales
    assert [lv.name for lv in scale.levels] == [
        "Foundation",
        "Practitioner, working alone",
        "Expert",
        "Strategic",
    ]
    assert scale.cumulative is None
    assert fw.kinds == ()
    assert {c.id: c.parent for c in fw.clusters} == {
        "people": None,
        "residents": "people",
        "colleagues": "people",
        "delivery": None,
        "information": "delivery",
        "improvement": "delivery",
    }
    listening = fw.competency("resident engagement")
    assert listening.level_titles["practitioner"] == "Finds the need behind the request"
    assert len(listening.not_this) == 3
    data = fw.competency("Handling personal data")
    assert all(text.endswith("?") for texts in data.indicators.values() for text in texts)
    assert [lv.id for lv in fw.levels_for(fw.competency("improving-services"))] == [
        "practitioner",
        "expert",
        "strategic",
    ]
    assert all(fw.applies(c, managerial=m) for c in fw.competencies for m in (False, True))


def test_example_lints_clean(capsys: Any) -> None:
    assert lint_framework(FRAMEWORK) == ()
    assert main(["lint-framework", str(FRAMEWORK)]) == 0


def test_example_level_by_name_or_id(fw: Any) -> None:
    comp = fw.competency("listening-to-residents")
    by_name = fw.level_meaning(comp, "practitioner, working alone")
    assert by_name == fw.level_meaning(comp, "practitioner")
    assert by_name.title == "Finds the need behind the request"
    assert by_name.cumulative is None
    assert [lv.id for lv in by_name.describing_levels] == ["practitioner"]


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_example_shows(fmt: str, capsys: Any) -> None:
    assert main(["show", str(FRAMEWORK), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Listening to residents" in out
    assert main(["show", str(FRAMEWORK), "Resident engagement", "--level", "Expert", "--format", fmt]) == 0
    assert "Handles the hardest conversations" in capsys.readouterr().out


def test_example_framework_round_trips(fw: Any) -> None:
    text = dump_framework(fw)
    assert parse_framework(text.encode(), "again.toml") == fw
    assert lint_framework(tomllib.loads(text)) == ()


# -- the example profiles ----------------------------------------------------------------------------------
def test_example_profiles_load_resolve_and_round_trip(fw: Any) -> None:
    profiles = load_profiles(PROFILES)
    assert [p.id for p in profiles] == ["customer-services-adviser", "customer-services-team-leader"]
    for profile in profiles:
        assert profile.framework is not None and profile.framework.id == fw.id
        assert {fw.competency(e.competency).id for e in profile.competencies} == {
            c.id for c in fw.competencies
        }
        for entry in profile.competencies:
            assert entry.rationale
            fw.parse_level(fw.competency(entry.competency), entry.level)
    text = dump_profiles(profiles)
    assert tuple(parse_profiles(text.encode(), "again.toml")) == profiles
