"""Writing the report model as one self-contained HTML file.

The file must open from an e-mail attachment with no network: CSS and script are inline, nothing is
fetched, and a Content-Security-Policy forbids fetching anything and running any script but the
report's own (named by its hash) — so even text that escaped escaping could not run.

Text from the input reaches the page in two ways, each escaped for its context:

* in HTML, through Jinja's autoescape (element text and quoted attribute values);
* in the one ``<script type="application/json">`` data block, through :func:`json_for_script`, which
  escapes ``<``, ``>``, ``&`` and the JavaScript line separators U+2028/U+2029, so no value can close
  the script element or start markup inside it.

The page's script only ever writes data with ``textContent``, never as HTML.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from ._model import FamilyMap, Report

__all__ = ["json_for_script", "render_html"]

#: What :func:`json_for_script` replaces (JSON string escapes, so the parsed value is unchanged).
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def json_for_script(value: Any) -> str:
    """``value`` as JSON that is safe inside an HTML ``<script>`` element.

    The result parses with ``JSON.parse`` to exactly ``value``, and contains no ``<``, ``>`` or ``&``
    (so no ``</script>``, ``<!--`` or entity), and no raw U+2028/U+2029.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _SCRIPT_ESCAPES:  # str.replace is far faster than str.translate on megabytes
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return (resources.files("competency.report") / "templates" / name).read_text(encoding="utf-8")


@functools.cache
def _script() -> tuple[str, str]:
    """The page's script and its CSP source expression (``'sha256-…'``)."""
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return script, f"'sha256-{digest}'"


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("competency.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _data(report: Report) -> dict[str, Any]:
    """What the page's script looks up: competencies, level meanings and rationales."""
    return {
        "competencies": [list(c) for c in report.competencies],
        "meanings": report.meanings,
        "rationales": list(report.rationales),
    }


def heat_rows(family: FamilyMap) -> Markup:
    """The ``<tr>`` rows of a family's heat map.

    Written here rather than in the template because a large set has 10⁵ cells and more, and a Python
    loop with the standard library's escaping is several times faster than the template engine's.
    Every text from the input (titles, ids, organisations, levels as written, tooltips) goes through
    :func:`html.escape`; class names and numbers are the report's own.
    """
    from html import escape

    from markupsafe import Markup

    cache: dict[str, str] = {}

    def text(value: str) -> str:
        found = cache.get(value)
        if found is None:
            found = cache[value] = escape(value, quote=True)
        return found

    out: list[str] = []
    add = out.append
    for row in family.roles:
        add(f'<tr data-p="{row.profile}"><th scope="row" class="role {row.css}"')
        if row.tip:
            add(f' title="{escape(row.tip)}" data-f="{" ".join(map(str, row.findings))}"')
        add(f">{escape(row.title)} <small>{escape(row.id)}")
        if row.managerial:
            add(" · manager")
        add(f'</small></th><td class="org {row.org_class}">{text(row.organisation)}</td>')
        for cell in row.cells:
            add(f'<td class="{cell.css}"')
            if cell.rationale is not None:
                add(f' data-r="{cell.rationale}"')
            if cell.findings:
                add(f' data-f="{" ".join(map(str, cell.findings))}" title="{escape(cell.tip)}"')
            add(f">{text(cell.text)}</td>")
        add("</tr>\n")
    return Markup("".join(out))


def render_html(report: Report) -> str:
    """The report as the text of one HTML file."""
    from markupsafe import Markup

    script, script_source = _script()
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        css=Markup(_asset("report.css")),
        script=Markup(script),
        script_source=script_source,
        data=Markup(json_for_script(_data(report))),
        heat_rows=heat_rows,
    )
