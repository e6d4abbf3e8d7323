"""Frameworks people can read: Markdown and self-contained HTML, laid out as the source documents are.

Line managers and intranet pages need a framework the way its publisher printed it, not a data dump:
the CDC/SNC tables put themes in rows and the anchor levels B, D, F, H in columns; Glasgow prints, per
competency, its definition, "Features of this competency include", a section of bullets per level and
the development indicators. :func:`render_framework` builds one view of the framework (groups,
competencies, level tables) in Python, so both formats share every decision, and hands it to a Jinja
template per format (``competency/templates/``).

Everything from the data is escaped: HTML through Jinja's autoescape, Markdown through :func:`md_text`
(``|``, inline markup, raw HTML and leading block markers), so a framework file cannot inject markup or
scripts into an intranet page. The HTML is one file with inline CSS and no scripts or external links.

``python -m competency.render --write-docs`` regenerates docs/frameworks/ from the bundled frameworks.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._errors import CompetencyError
from ._framework import Competency, Framework, Kind
from ._scale import Level, Scale

if TYPE_CHECKING:
    import jinja2

__all__ = ["FORMATS", "main", "md_cell", "md_text", "render_framework", "rendered_docs"]

#: The formats :func:`render_framework` writes.
FORMATS = ("markdown", "html")

_APPLIES = {
    "all": "Applies to every role.",
    "managerial": "Applies to managerial roles only.",
    "non-managerial": "Applies to non-managerial roles only.",
    "none": "Applies to no role.",
}


def render_framework(
    fw: Framework, fmt: str, *, competency: Competency | str | None = None, level: object = None
) -> str:
    """``fw`` as a Markdown or HTML document (``fmt`` "markdown" or "html").

    With ``competency`` (a :class:`~competency.Competency` or a name), only that competency; with
    ``level`` as well, only what that level means for it (its indicators, per the scale's semantics).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    comp = fw.competency(competency) if isinstance(competency, str) else competency
    if level is not None and comp is None:
        raise CompetencyError("a level needs a competency: what a level means depends on the competency")
    view = _DocumentView.build(fw, comp, level)
    template = _environment(fmt).get_template("framework.md.j2" if fmt == "markdown" else "framework.html.j2")
    text = template.render(doc=view)
    if fmt == "markdown":
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text


# -- Markdown escaping ----------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LEADING = re.compile(r"^(\s*)([#>=+~-]|\d+[.)])")


def md_text(text: str) -> str:
    """``text`` as literal Markdown inline text: markup, raw HTML and leading block markers escaped."""
    out = " ".join(text.split())
    out = _MD_ENTITY.sub("&amp;", out).replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_INLINE.sub(r"\\\1", out)
    return _MD_LEADING.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), out)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def md_cell(items: Sequence[str], *, bullet: bool = True) -> str:
    """Texts as one Markdown table cell: escaped (``|`` included), joined by line breaks."""
    prefix = "• " if bullet and len(items) > 1 else ""
    return "<br>".join(prefix + md_text(item) for item in items)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


# -- the view both templates render ---------------------------------------------------------------------
@attrs.frozen
class _Column:
    id: str
    label: str
    title: str | None


@attrs.frozen
class _Row:
    theme: str
    cells: tuple[tuple[str, ...], ...]


@attrs.frozen
class _LevelSection:
    label: str
    title: str | None
    indicators: tuple[str, ...]


@attrs.frozen
class _CompetencyView:
    id: str
    anchor: str
    name: str
    depth: int
    facts: tuple[str, ...]
    definition: tuple[str, ...]
    features: tuple[str, ...]
    not_this: tuple[str, ...]
    columns: tuple[_Column, ...]
    rows: tuple[_Row, ...]
    levels: tuple[_LevelSection, ...]
    development: tuple[str, ...]

    @classmethod
    def build(cls, fw: Framework, comp: Competency, depth: int) -> _CompetencyView:
        scale = fw.scale_for(comp)
        run = fw.levels_for(comp)
        facts = [f"Id: {comp.id}"]
        kind = fw.kind_of(comp)
        if kind is not None:
            facts.append(f"Kind: {kind.name or kind.id}")
        path = _cluster_path(fw, comp.cluster)
        if path:
            facts.append("Cluster: " + " › ".join(path))
        facts.append(_run_text(run))
        if len(fw.scales) > 1:
            facts.append(f"Scale: {scale.name or scale.id}")
        if comp.aliases:
            facts.append("Also known as: " + ", ".join(comp.aliases))
        columns: list[_Column] = []
        rows: list[_Row] = []
        if comp.themes:
            carrying = [lv for lv in run if any(t.indicators.get(lv.id) for t in comp.themes)]
            columns = [_Column(lv.id, lv.name or lv.id, comp.level_titles.get(lv.id)) for lv in carrying]
            rows = [
                _Row(t.name, tuple(tuple(t.indicators.get(lv.id, ())) for lv in carrying))
                for t in comp.themes
            ]
        levels = tuple(
            _LevelSection(_label(lv), comp.level_titles.get(lv.id), tuple(comp.indicators.get(lv.id, ())))
            for lv in run
            if comp.indicators.get(lv.id) or (not comp.themes and comp.level_titles.get(lv.id))
        )
        return cls(
            id=comp.id,
            anchor=_anchor(comp.id),
            name=comp.name,
            depth=depth,
            facts=tuple(facts),
            definition=tuple(_paragraphs(comp.definition)),
            features=comp.features,
            not_this=comp.not_this,
            columns=tuple(columns),
            rows=tuple(rows),
            levels=levels,
            development=comp.development_indicators,
        )


@attrs.frozen
class _Section:
    heading: str
    depth: int
    description: tuple[str, ...]
    note: str | None
    competencies: tuple[_CompetencyView, ...]
    children: tuple[_Section, ...]


@attrs.frozen
class _ScaleView:
    id: str
    name: str
    intro: str
    levels: tuple[str, ...]
    semantics: tuple[str, ...]
    description: tuple[str, ...]


@attrs.frozen
class _Group:
    label: str
    indicators: tuple[str, ...]


@attrs.frozen
class _MeaningView:
    heading: str
    title: str | None
    explanation: tuple[str, ...]
    groups: tuple[_Group, ...]


@attrs.frozen
class _DocumentView:
    title: str
    subtitle: str | None
    facts: tuple[str, ...]
    description: tuple[str, ...]
    scales: tuple[_ScaleView, ...]
    sections: tuple[_Section, ...]
    contents: tuple[_CompetencyView, ...]
    competency: _CompetencyView | None
    meaning: _MeaningView | None

    @classmethod
    def build(cls, fw: Framework, comp: Competency | None, level: object) -> _DocumentView:
        facts = tuple(
            f"{label}: {value}"
            for label, value in (("Publisher", fw.publisher), ("Source", fw.source), ("Version", fw.version))
            if value
        )
        subtitle = f"{fw.title} ({fw.id}, version {fw.version})"
        if comp is not None and level is not None:
            return cls(comp.name, subtitle, (), (), (), (), (), None, _meaning(fw, comp, level))
        if comp is not None:
            view = _CompetencyView.build(fw, comp, 0)
            return cls(comp.name, subtitle, (), (), (), (), (), view, None)
        sections = _sections(fw)
        return cls(
            title=fw.title,
            subtitle=None,
            facts=facts,
            description=tuple(_paragraphs(fw.description)),
            scales=tuple(_scale_view(fw, scale) for scale in fw.scales),
            sections=sections,
            contents=tuple(_walk(sections)),
            competency=None,
            meaning=None,
        )


def _walk(sections: Sequence[_Section]) -> list[_CompetencyView]:
    found: list[_CompetencyView] = []
    for section in sections:
        found.extend(section.competencies)
        found.extend(_walk(section.children))
    return found


def _run_text(run: Sequence[Level]) -> str:
    """ "Levels 1 to 4", "Levels: Practitioner, working alone to Strategic", "Level B"."""
    named = any(lv.name for lv in run)
    first, last = (lv.name or lv.id for lv in (run[0], run[-1]))
    if len(run) == 1:
        return f"Level: {first}" if named else f"Level {first}"
    return f"Levels: {first} to {last}" if named else f"Levels {first} to {last}"


def _label(level: Level) -> str:
    return level.name or f"Level {level.id}"


def _anchor(text: str) -> str:
    return "c-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x")


def _scale_view(fw: Framework, scale: Scale) -> _ScaleView:
    count = f"{len(scale.levels)} levels, lowest first"
    if any(lv.name for lv in scale.levels):  # names may hold commas: one per line, never a comma list
        intro = f"{count}:"
        listed = tuple(f"{lv.name} (id: {lv.id})" if lv.name else lv.id for lv in scale.levels)
    else:
        intro = f"{count}: {', '.join(lv.id for lv in scale.levels)}."
        listed = ()
    semantics: list[str] = []
    if scale.anchors:
        semantics.append(_anchor_text(scale))
    if scale.cumulative is True:
        semantics.append(
            "Cumulative: a level includes every level below it (level 3 requires levels 1 and 2)."
        )
    elif scale.cumulative is False:
        semantics.append("Not cumulative: each level is described by its own indicators.")
    else:
        semantics.append(
            "The source does not say whether levels are cumulative; each level is read on its own."
        )
    runs = {fw.levels_for(c) for c in fw.competencies if fw.scale_for(c) is scale}
    if len(runs) > 1:
        semantics.append("Competencies use different runs of this scale; each gives its own range below.")
    return _ScaleView(
        scale.id, scale.name, intro, listed, tuple(semantics), tuple(_paragraphs(scale.description))
    )


def _anchor_text(scale: Scale) -> str:
    """What the anchors mean, with the scale's own levels as the example (C is described by B)."""
    anchors = [lv for lv in scale.levels if lv.id in scale.anchors]
    text = f"Indicators are written at {', '.join(a.id for a in anchors)} only."
    between = [lv for lv in scale.levels if lv.id not in scale.anchors and lv > anchors[0]]
    under = [lv.id for lv in scale.levels if lv < anchors[0]]
    if between:
        example = between[0]
        below = max(a for a in anchors if a < example)
        above = [a for a in anchors if a > example]
        if scale.cumulative:
            meaning = f"every anchor up to {below.id}"
        else:
            meaning = f"{below.id}" + (f" (all of {below.id}, not yet {above[0].id})" if above else "")
        others = ", ".join(lv.id for lv in between)
        text += (
            f" {others} are valid levels with no text of their own: {example.id} is described by {meaning}."
        )
    if under:
        verb = "has" if len(under) == 1 else "have"
        text += f" {', '.join(under)}, below the first anchor, {verb} no indicators."
    return text


def _cluster_path(fw: Framework, cluster_id: str | None) -> list[str]:
    path: list[str] = []
    seen: set[str] = set()
    while cluster_id is not None and cluster_id not in seen:
        cluster = fw.cluster(cluster_id)
        if cluster is None:
            break
        seen.add(cluster_id)
        path.insert(0, cluster.name or cluster.id)
        cluster_id = cluster.parent
    return path


def _sections(fw: Framework) -> tuple[_Section, ...]:
    """Competencies grouped as the source groups them: by cluster tree, else by kind, else one group."""
    if fw.clusters:
        return _cluster_sections(fw)
    if fw.kinds:
        sections = [_kind_section(fw, kind) for kind in fw.kinds]
        declared = {kind.id for kind in fw.kinds}
        rest = tuple(c for c in fw.competencies if c.kind not in declared)
        if rest:
            sections.append(_plain_section(fw, "Other competencies", rest))
        return tuple(s for s in sections if s.competencies)
    return (_plain_section(fw, "Competencies", fw.competencies),)


def _kind_section(fw: Framework, kind: Kind) -> _Section:
    comps = tuple(_CompetencyView.build(fw, c, 1) for c in fw.competencies if c.kind == kind.id)
    name = kind.name or kind.id
    heading = name if "competenc" in name.lower() else f"{name} competencies"
    return _Section(heading, 0, tuple(_paragraphs(kind.description)), _APPLIES[kind.applies_to], comps, ())


def _plain_section(fw: Framework, heading: str, comps: Sequence[Competency]) -> _Section:
    return _Section(heading, 0, (), None, tuple(_CompetencyView.build(fw, c, 1) for c in comps), ())


def _cluster_sections(fw: Framework) -> tuple[_Section, ...]:
    ids = {cluster.id for cluster in fw.clusters}
    children: dict[str | None, list[str]] = {}
    for cluster in fw.clusters:
        parent = cluster.parent if cluster.parent in ids and cluster.parent != cluster.id else None
        children.setdefault(parent, []).append(cluster.id)
    placed: set[str] = set()

    def build(cluster_id: str, depth: int) -> _Section:
        placed.add(cluster_id)
        cluster = fw.cluster(cluster_id)
        assert cluster is not None
        comps = tuple(
            _CompetencyView.build(fw, c, depth + 1) for c in fw.competencies if c.cluster == cluster_id
        )
        subs = tuple(build(child, depth + 1) for child in children.get(cluster_id, []) if child not in placed)
        return _Section(
            cluster.name or cluster.id, depth, tuple(_paragraphs(cluster.description)), None, comps, subs
        )

    sections = [build(root, 0) for root in children.get(None, [])]
    for cluster in fw.clusters:  # clusters caught in a parent cycle (a lint defect) still show
        if cluster.id not in placed:
            sections.append(build(cluster.id, 0))
    rest = tuple(c for c in fw.competencies if c.cluster not in ids)
    if rest:
        sections.append(_plain_section(fw, "Other competencies", rest))
    return tuple(sections)


def _meaning(fw: Framework, comp: Competency, level: object) -> _MeaningView:
    meaning = fw.level_meaning(comp, level)
    described = ", ".join(lv.id for lv in meaning.describing_levels)
    label = _label(meaning.level)
    if not meaning.describing_levels:
        explanation = [f"No indicators describe {label}: it is below the first level that has any."]
    elif meaning.describing_levels == (meaning.level,):
        explanation = ["Described by its own indicators."]
    elif meaning.level in meaning.describing_levels:
        explanation = [f"Described by the indicators of levels {described}."]
    else:
        explanation = [f"{label} has no indicators of its own; it is described by level(s) {described}."]
    explanation.append(
        {
            True: "The scale is cumulative: this level includes every level below it.",
            False: "The scale is not cumulative.",
            None: "The source does not say whether the scale is cumulative.",
        }[meaning.cumulative]
    )
    groups = tuple(
        _Group(_label(g.level) + (f" · {g.theme}" if g.theme else ""), g.indicators) for g in meaning.groups
    )
    return _MeaningView(f"{comp.name} at {_label(meaning.level)}", meaning.title, tuple(explanation), groups)


# -- templates ------------------------------------------------------------------------------------------
@functools.cache
def _environment(fmt: str) -> jinja2.Environment:
    """The Jinja environment of a format: HTML autoescaped; Markdown escaped by its ``md`` filters."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("competency", "templates"),
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_text
    env.filters["cell"] = md_cell
    env.globals["heading"] = _heading
    return env


def _heading(depth: int) -> int:
    """Heading level (h2..h6) for a section ``depth`` levels below the document title's sections."""
    return max(2, min(2 + depth, 6))


# -- regenerating docs/frameworks -----------------------------------------------------------------------
def _docs_folder() -> Path:
    folder = Path(__file__).resolve().parents[2] / "docs"
    if not folder.is_dir():
        raise CompetencyError("no docs/ folder: run this from a source checkout of competency")
    return folder / "frameworks"


def rendered_docs() -> dict[str, str]:
    """File name -> text of every generated page under docs/frameworks/ (both bundled frameworks)."""
    from ._loading import bundled_framework_ids, load_framework

    pages: dict[str, str] = {}
    for framework_id in bundled_framework_ids():
        fw = load_framework(framework_id)
        pages[f"{framework_id}.md"] = render_framework(fw, "markdown")
        pages[f"{framework_id}.html"] = render_framework(fw, "html")
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m competency.render --write-docs | --check-docs``: regenerate or verify docs/frameworks/."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m competency.render", description=main.__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-docs", action="store_true", help="write docs/frameworks/*.md and *.html")
    group.add_argument(
        "--check-docs", action="store_true", help="exit 1 if a page in docs/frameworks/ is stale"
    )
    args = parser.parse_args(argv)
    folder = _docs_folder()
    from ._generated import sync_generated

    files = {folder / name: text for name, text in rendered_docs().items()}
    return sync_generated(files, write=args.write_docs, command="python -m competency.render --write-docs")


if __name__ == "__main__":
    sys.exit(main())
