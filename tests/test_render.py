"""``competency.render``: frameworks as their source documents present them, in Markdown and HTML.

When ``test_docs_frameworks_are_current`` fails, the renderer or a bundled framework changed: regenerate
docs/frameworks/ with

    python -m competency.render --write-docs
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from competency import CompetencyError, load_framework
from competency._toml_io import parse_framework
from competency.cli.main import main
from competency.render import md_cell, md_text, render_framework, rendered_docs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cdc() -> Any:
    return load_framework("cdc-snc-2015")


@pytest.fixture(scope="module")
def glasgow() -> Any:
    return load_framework("glasgow-leadership")


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row, split on unescaped pipes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


# -- generated docs -------------------------------------------------------------------------------------
def test_docs_frameworks_are_current() -> None:
    pages = rendered_docs()
    assert {
        "cdc-snc-2015.md",
        "cdc-snc-2015.html",
        "glasgow-leadership.md",
        "glasgow-leadership.html",
    } <= set(pages)
    for name, text in pages.items():
        path = ROOT / "docs" / "frameworks" / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        assert current == text, (
            f"docs/frameworks/{name} is stale: run `python -m competency.render --write-docs`"
        )


# -- a themed competency: rows = themes, columns = the levels that carry indicators -----------------------
def test_themed_competency_is_a_theme_by_level_table(cdc: Any) -> None:
    text = render_framework(cdc, "markdown", competency="Communication")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert _cells(rows[0]) == ["Theme", "B", "D", "F", "H"]
    assert [_cells(r)[0] for r in rows[2:]] == ["Style", "Method", "Influence and Persuasion", "Messages"]
    assert all(len(_cells(r)) == 5 for r in rows)
    style = _cells(rows[2])
    assert style[1].startswith("• Communicates politely, clearly and confidently.<br>• Able to communicate")
    assert "Creates an environment which encourages effective and open communication." in style[4]
    assert "Communicates clearly and openly with others" in text


def test_themed_competency_in_html(cdc: Any) -> None:
    html = render_framework(cdc, "html", competency="financial-and-commercial-awareness")
    assert '<th scope="col">Theme</th><th scope="col">B</th><th scope="col">D</th>' in html
    assert '<th scope="row">Business Acumen</th>' in html
    assert html.count('<th scope="row">') == 3


def test_whole_cdc_framework_grouped_by_kind(cdc: Any) -> None:
    text = render_framework(cdc, "markdown")
    assert text.index("## Core competencies") < text.index("### Communication")
    assert text.index("### Expertise and Self-Development") < text.index("## Management competencies")
    assert "*Applies to managerial roles only.*" in text
    assert len(re.findall(r"^### ", text, re.MULTILINE)) == 11
    assert len(re.findall(r"^\| (?!Theme|---)", text, re.MULTILINE)) == 39  # every theme, once
    assert "Also known as: Technical Expertise" in text
    assert "Indicators are written at B, D, F, H only." in text
    assert "C is described by B (all of B, not yet D)" in text


# -- a per-level competency: one section per level, features, development indicators ----------------------
def test_per_level_competency_sections(glasgow: Any) -> None:
    text = render_framework(glasgow, "markdown", competency="L1")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["Level 1", "Level 2", "Level 3", "Level 4", "Development indicators"]
    assert "Features of this competency include:\n\n- Relishing a challenge." in text
    assert "- Feels overwhelmed by the pace and scale of change. May see self as a victim." in text
    assert "Level 5" not in text


def test_per_level_competency_in_html(glasgow: Any) -> None:
    html = render_framework(glasgow, "html", competency="L11")
    assert [f"Level {n}" for n in range(1, 7)] == re.findall(r'<h2 class="level">(Level \d)</h2>', html)
    assert '<h2 class="development">Development indicators</h2>' in html


def test_whole_glasgow_framework_grouped_by_cluster(glasgow: Any) -> None:
    text = render_framework(glasgow, "markdown")
    clusters = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert clusters == [
        "Scale: Levels 1-6 (cumulative)",
        "Personal Qualities",
        "Setting Direction",
        "Delivering the Service",
    ]
    assert len(re.findall(r"^### ", text, re.MULTILINE)) == 15
    assert "Cumulative: a level includes every level below it" in text
    assert text.count("#### Development indicators") == 15


def test_named_levels_titles_not_this_and_nested_clusters() -> None:
    fw = load_framework(ROOT / "examples" / "authoring" / "my-framework.toml")
    text = render_framework(fw, "markdown")
    assert "2. Practitioner, working alone (id: practitioner)" in text
    assert (
        text.index("## Working with people")
        < text.index("### Residents")
        < text.index("#### Listening to residents")
    )
    assert "Cluster: Working with people › Residents" in text
    assert "##### Practitioner, working alone: Finds the need behind the request" in text
    assert "What it is not:\n\n- Agreeing to every request" in text
    assert "- Do they lock their screen and clear their desk whenever they step away?" in text
    assert "Levels: Practitioner, working alone to Strategic" in text
    assert "The source does not say whether levels are cumulative" in text


# -- one competency, one level ----------------------------------------------------------------------------
def test_only_the_named_competency(cdc: Any) -> None:
    text = render_framework(cdc, "markdown", competency=cdc.competency("customer focus"))
    assert text.startswith("# Customer Focus\n")
    assert "Communication" not in text
    assert "Style" not in text


def test_level_meaning_anchor_scale(cdc: Any) -> None:
    text = render_framework(cdc, "markdown", competency="communication", level="c")
    assert "## Communication at Level C" in text
    assert "Level C has no indicators of its own; it is described by level(s) B." in text
    assert "### Level B · Style" in text
    assert "Communicates politely, clearly and confidently." in text
    assert "Encourages two-way communication." not in text  # a D indicator


def test_level_meaning_cumulative_scale_in_html(glasgow: Any) -> None:
    html = render_framework(glasgow, "html", competency="L2", level="Level 3")
    assert re.findall(r"<h3>(.+)</h3>", html) == ["Level 1", "Level 2", "Level 3"]
    assert "The scale is cumulative" in html


def test_level_meaning_with_title() -> None:
    fw = load_framework(ROOT / "examples" / "authoring" / "my-framework.toml")
    text = render_framework(fw, "markdown", competency="Resident engagement", level="Expert")
    assert "## Listening to residents at Expert: Handles the hardest conversations" in text


def test_level_without_competency_and_unknown_format(cdc: Any) -> None:
    with pytest.raises(CompetencyError):
        render_framework(cdc, "markdown", level="B")
    with pytest.raises(ValueError, match="markdown, html"):
        render_framework(cdc, "pdf")


# -- escaping ----------------------------------------------------------------------------------------------
HOSTILE = """\
id = "evil"
title = "Evil <script>alert('title')</script>"
version = "1"
publisher = "A & B"

[[scales]]
id = "s"
levels = [{ id = "1", name = "<b>One</b>" }, 2]

[[clusters]]
id = "c"
name = "<script>alert('cluster')</script>"

[[competencies]]
id = "x"
name = "<script>alert('name')</script>"
cluster = "c"
definition = "Uses <img src=x onerror=alert(1)> & more"
features = ["# not a heading", "- not a bullet", "1. not a list", "**not bold**"]

[[competencies.themes]]
name = "Pipes | and <i>tags</i>"
indicators = { "1" = ["left | right", "a\\\\|b"], "2" = ["[link](https://example.com)"] }
"""


@pytest.fixture(scope="module")
def hostile() -> Any:
    return parse_framework(HOSTILE.encode(), "evil.toml")


def test_html_escapes_everything_from_the_data(hostile: Any) -> None:
    html = render_framework(hostile, "html")
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>One" not in html and "<i>tags" not in html
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "A &amp; B" in html


def test_html_is_self_contained(glasgow: Any, hostile: Any) -> None:
    for fw in (glasgow, hostile):
        html = render_framework(fw, "html")
        assert html.startswith("<!DOCTYPE html>") and "<style>" in html
        assert "<script" not in html and "<link" not in html and "src=" not in html.replace("src=x", "")
        assert not re.search(r'(href|src)="(?!#)', html), "only in-page links"


def test_markdown_escapes_raw_html_and_markup(hostile: Any) -> None:
    text = render_framework(hostile, "markdown")
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;" in text
    assert "- \\# not a heading" in text
    assert "- \\- not a bullet" in text
    assert "- 1\\. not a list" in text
    assert "- \\*\\*not bold\\*\\*" in text
    assert "\\[link\\](https://example.com)" in text


def test_markdown_table_cells_escape_pipes(hostile: Any) -> None:
    text = render_framework(hostile, "markdown")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 3
    header, _, row = (_cells(r) for r in rows)
    assert header == ["Theme", "&lt;b&gt;One&lt;/b&gt;", "2"]
    assert row[0] == "Pipes \\| and &lt;i&gt;tags&lt;/i&gt;"
    assert row[1] == "• left \\| right<br>• a\\\\\\|b"
    assert len(row) == 3


def test_md_helpers() -> None:
    assert md_text("a | b") == "a \\| b"
    assert md_text("> quoted") == "&gt; quoted"
    assert md_text("+ plus") == "\\+ plus"
    assert md_text("R&D and &amp;") == "R&D and &amp;amp;"
    assert md_text("two\nlines") == "two lines"
    assert md_cell(["one"]) == "one"
    assert md_cell(["a", "b|c"]) == "• a<br>• b\\|c"


# -- the command -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_show_command_renders(fmt: str, glasgow: Any, capsys: Any) -> None:
    assert main(["show", "glasgow-leadership", "--format", fmt]) == 0
    assert capsys.readouterr().out == render_framework(glasgow, fmt)


def test_show_command_level(capsys: Any) -> None:
    assert main(["show", "cdc-snc-2015", "technical expertise", "--level", "F", "--format", "markdown"]) == 0
    assert "## Expertise and Self-Development at Level F" in capsys.readouterr().out
