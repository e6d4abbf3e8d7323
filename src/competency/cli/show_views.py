"""Text and JSON views of frameworks for ``competency show``."""

from __future__ import annotations

import json

from competency import Competency, Framework
from competency._converter import unstructure
from competency._toml_io import framework_data

from ._common import wrap


def as_json(fw: Framework, comp: Competency | None, level: str | None) -> str:
    """The framework (or competency, or level meaning) as JSON, with the TOML format's field names."""
    if comp is None:
        data: object = framework_data(fw)
    elif level is None:
        data = unstructure(comp, for_json=True)
    else:
        meaning = fw.level_meaning(comp, level)
        data = {
            "framework": fw.id,
            "competency": comp.id,
            "level": meaning.level.id,
            "title": meaning.title,
            "cumulative": meaning.cumulative,
            "describing_levels": [lv.id for lv in meaning.describing_levels],
            "indicators": [
                {"level": g.level.id, "theme": g.theme, "indicators": list(g.indicators)}
                for g in meaning.groups
            ],
        }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def as_text(fw: Framework, comp: Competency | None, level: str | None) -> str:
    """A readable plain-text view."""
    lines: list[str] = []
    if comp is None:
        lines.append(f"{fw.title} ({fw.id}, version {fw.version})")
        if fw.publisher:
            lines.append(f"Publisher: {fw.publisher}")
        for scale in fw.scales:
            levels = ", ".join(lv.id if lv.name is None else f"{lv.id} ({lv.name})" for lv in scale.levels)
            lines.append(f"Scale {scale.id}: {levels}")
            if scale.anchors:
                lines.append(f"  Descriptors at: {', '.join(scale.anchors)}")
            lines.append(f"  Cumulative: {_cumulative(scale.cumulative)}")
        lines.append("")
        for c in fw.competencies:
            kind = fw.kind_of(c)
            tag = f" [{kind.name or kind.id}]" if kind else ""
            run = fw.levels_for(c)
            lines.append(f"{c.id}  {c.name}{tag}  (levels {run[0].id}-{run[-1].id})")
            if c.definition:
                lines.append(wrap(c.definition, "    "))
            if c.themes:
                lines.append(wrap("Themes: " + "; ".join(t.name for t in c.themes), "    "))
        return "\n".join(lines) + "\n"
    if level is not None:
        meaning = fw.level_meaning(comp, level)
        lines.append(
            f"{comp.name} ({comp.id}) at level {meaning.level.id}"
            + (f": {meaning.title}" if meaning.title else "")
        )
        described = ", ".join(lv.id for lv in meaning.describing_levels) or "none"
        lines.append(f"Described by level(s): {described}  (cumulative: {_cumulative(meaning.cumulative)})")
        if not meaning.groups:
            lines.append("No indicators describe this level (it is below the first described level).")
        for group in meaning.groups:
            title = f"Level {group.level.id}" + (f" — {group.theme}" if group.theme else "")
            lines.append("")
            lines.append(title)
            lines.extend(wrap(text, "  - ") for text in group.indicators)
        return "\n".join(lines) + "\n"
    kind = fw.kind_of(comp)
    lines.append(f"{comp.name} ({comp.id})" + (f" [{kind.name or kind.id}]" if kind else ""))
    if comp.aliases:
        lines.append(f"Also known as: {', '.join(comp.aliases)}")
    if comp.definition:
        lines.append(wrap(comp.definition))
    for heading, items in (("Features", comp.features), ("What it is not", comp.not_this)):
        if items:
            lines.append("")
            lines.append(f"{heading}:")
            lines.extend(wrap(text, "  - ") for text in items)
    for lv in fw.levels_for(comp):
        blocks: list[tuple[str | None, tuple[str, ...]]] = []
        if comp.indicators.get(lv.id):
            blocks.append((None, comp.indicators[lv.id]))
        blocks.extend((t.name, t.indicators[lv.id]) for t in comp.themes if t.indicators.get(lv.id))
        if not blocks:
            continue
        lines.append("")
        level_title = comp.level_titles.get(lv.id)
        lines.append(f"Level {lv.id}" + (f": {level_title}" if level_title else ""))
        for theme, texts in blocks:
            if theme:
                lines.append(f"  {theme}")
            lines.extend(wrap(text, "    - " if theme else "  - ") for text in texts)
    if comp.development_indicators:
        lines.append("")
        lines.append("Development indicators:")
        lines.extend(wrap(text, "  - ") for text in comp.development_indicators)
    return "\n".join(lines) + "\n"


def _cumulative(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not stated by the source"}[value]
