"""The moderation report in a real browser: headless Chromium, as the panel would open it.

Three ways in, all with Debian's ``chromium`` (``.ci/install-browser`` installs it):

* ``--dump-dom``: the page after its script ran — the summary, the heat-map cells and the planted
  ``<script>`` title as a person sees them;
* ``--screenshot``: the page renders to an image;
* the DevTools protocol over a pipe (``--remote-debugging-pipe``, standard library only): hover and click
  a cell and read the level's meaning, filter and sort the findings, and check that no script error or
  Content-Security-Policy violation happened.

Skipped only when no browser is installed *and* ``CI`` is unset; on CI a missing browser is a failure.

``python tests/test_report_browser.py --write-docs`` regenerates docs/images/report.png.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from competency import CheckResult, RoleProfile, check, load_framework
from competency.report import build_report
from test_report_data import ORGS, profile_set

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
]
HOSTILE = "<script>alert(1)</script> & Co"


def _browser() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("CI is set but /usr/bin/chromium is missing: run .ci/install-browser")
    pytest.skip("no /usr/bin/chromium (install it with .ci/install-browser; on CI this test fails instead)")


# -- the report under test ------------------------------------------------------------------------------
class Rendered:
    def __init__(self, path: Path, profiles: list[RoleProfile], result: CheckResult) -> None:
        self.path = path
        self.profiles = profiles
        self.result = result
        self.url = path.as_uri()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    fw = load_framework("cdc-snc-2015")
    profiles = profile_set(40)
    result = check(profiles, fw)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(build_report(profiles, result, fw, generated="2026-03-02 09:30"), encoding="utf-8")
    return Rendered(path, profiles, result)


def _run(args: list[str], tmp: Path, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_browser()), *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- reading a dumped DOM -----------------------------------------------------------------------------
class _Dom(HTMLParser):
    """Collects what a test asserts on: script elements, heat-map cells, role names, card texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.html_classes = ""
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self.roles: list[str] = []
        self.cards: dict[str, str] = {}
        self.text: list[str] = []
        self._in_heat = 0
        self._capture: list[str] | None = None
        self._capture_tag = ""
        self._card: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_classes = attributes.get("class") or ""
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "table" and "heat" in (attributes.get("class") or ""):
            self._in_heat += 1
        if tag == "li" and (attributes.get("id") or "").startswith("count-"):
            self._card = attributes["id"]
            self._capture, self._capture_tag = [], "li"
        in_body = any(t == "tbody" for t, _ in self.stack)
        if self._in_heat and in_body and tag == "td" and "org" not in (attributes.get("class") or ""):
            self._capture, self._capture_tag = [], "td"
        if self._in_heat and in_body and tag == "th":
            self._capture, self._capture_tag = [], "th"
        if tag not in ("br", "meta", "input", "link"):
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._in_heat and any(t == "table" for t, _ in self.stack):
            self._in_heat -= 1 if "heat" in (self._last("table").get("class") or "") else 0
        if self._capture is not None and tag == self._capture_tag:
            text = " ".join("".join(self._capture).split())
            if tag == "td":
                self.cells.append(text)
            elif tag == "th":
                self.roles.append(text)
            elif self._card:
                self.cards[self._card] = text
            self._capture, self._card = None, None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def _last(self, tag: str) -> dict[str, str | None]:
        return next(a for t, a in reversed(self.stack) if t == tag)

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)
        if not any(t in ("script", "style") for t, _ in self.stack):
            self.text.append(data)


def _expected_cells(profiles: list[RoleProfile]) -> int:
    """Heat-map cells: per family, its roles × the competencies any of them has or must have."""
    fw = load_framework("cdc-snc-2015")
    families: dict[str, list[RoleProfile]] = {}
    for p in profiles:
        families.setdefault(p.family or "", []).append(p)
    total = 0
    for members in families.values():
        names = set()
        for p in members:
            names |= {c.id for c in fw.required_for(managerial=p.managerial)}
            names |= {
                (c.id if (c := fw.find_competency(e.competency)) else e.competency) for e in p.competencies
            }
        total += len(names) * len(members)
    return total


def test_dump_dom_shows_what_the_panel_sees(rendered: Rendered, tmp_path: Path) -> None:
    done = _run(["--virtual-time-budget=5000", "--dump-dom", rendered.url], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = _Dom()
    dom.feed(done.stdout)
    # the page's own script ran (the Content-Security-Policy allowed it by its hash)
    assert "js" in dom.html_classes.split()
    summary = rendered.result.summary
    assert dom.cards["count-roles"] == f"{len(rendered.profiles)} roles"
    assert dom.cards["count-organisations"] == "2 organisations"
    assert dom.cards["count-error"] == f"{summary.by_severity['error']} errors"
    assert dom.cards["count-warning"] == f"{summary.by_severity['warning']} warnings"
    # every role is a row, every role × competency a cell
    assert len(dom.cells) == _expected_cells(rendered.profiles)
    assert {"A", "B", "C", "D", "E", "F", "G", "H"} & set(dom.cells)
    assert "I" in dom.cells  # the planted off-scale level, shown as written
    # the planted title is text on the page, and no script element came from it
    assert any(role.startswith(HOSTILE) for role in dom.roles), dom.roles[:10]
    assert HOSTILE in "".join(dom.text)
    assert len(dom.scripts) == 2
    assert [s.get("type") for s in dom.scripts] == ["application/json", None]
    assert "alert(1)" not in done.stdout.replace("&lt;script&gt;alert(1)&lt;/script&gt;", "")
    # both councils are shown in the heat maps
    text = " ".join("".join(dom.text).split())
    assert all(org in text for org in ORGS)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot(rendered: Rendered, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _run(["--window-size=1280,900", f"--screenshot={shot}", rendered.url], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 900)
    assert len(data) > 20_000  # a blank page compresses to a few kilobytes


# -- driving the page over the DevTools protocol ----------------------------------------------------------
class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (fds 3 and 4)."""

    def __init__(self, tmp: Path, width: int = 1400, height: int = 1000) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the browser reads commands on fd 3 and writes on fd 4
            read_end = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [
                str(_browser()),
                *FLAGS,
                f"--user-data-dir={tmp / 'cdp-profile'}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=True,
        )

    def _messages(self, timeout: float) -> Iterator[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                yield json.loads(raw)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the browser")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("the browser closed the pipe")
                self._buffer += chunk

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        for answer in self._messages(60):
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)
        raise AssertionError("unreachable")

    def wait_for(self, event: str, timeout: float = 60) -> dict[str, Any]:
        for index, seen in enumerate(self.events):
            if seen.get("method") == event:
                return self.events.pop(index)
        for message in self._messages(timeout):
            if message.get("method") == event:
                return message
            self.events.append(message)
        raise AssertionError("unreachable")

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        answer = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=True,
        )
        if "exceptionDetails" in answer:
            raise AssertionError(f"script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def screenshot(self, clip: dict[str, float] | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": clip is not None}
        if clip is not None:
            params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.call("Page.captureScreenshot", params, session=True)["data"])

    def problems(self) -> list[str]:
        """Script errors, exceptions and CSP violations logged so far."""
        found = []
        for event in self.events:
            method = event.get("method")
            params = event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(str(params["entry"].get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                found.append(str(params.get("args")))
        return found

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the browser may already be gone
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture(scope="module")
def page(rendered: Rendered, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    _browser()
    tools = DevTools(tmp_path_factory.mktemp("cdp"))
    try:
        tools.open(rendered.url)
        yield tools
    finally:
        tools.close()


def test_hover_and_click_show_what_a_level_means(page: DevTools, rendered: Rendered) -> None:
    fw = load_framework("cdc-snc-2015")
    # the first role's Communication cell
    cell = "document.querySelector('table.heat tbody td[class^=v]')"
    level = page.js(f"{cell}.textContent")
    column = page.js(
        f"(function(td){{var h=td.closest('table').tHead; return h.rows[h.rows.length-1].cells[td.cellIndex]"
        f".textContent}})({cell})"
    )
    comp = fw.competency(column)
    meaning = fw.level_meaning(comp, level)
    # hover: the tooltip gains the level and its first indicator
    page.js(f"{cell}.dispatchEvent(new MouseEvent('mouseover', {{bubbles: true}}))")
    title = page.js(f"{cell}.title")
    assert f"Level {level}" in title
    assert meaning.indicators[0] in title
    # click: the side panel shows every indicator of the level and the rationale
    assert page.js("document.getElementById('detail').hidden") is True
    page.js(f"{cell}.click()")
    assert page.js("document.getElementById('detail').hidden") is False
    assert page.js("document.getElementById('detail-h').textContent") == comp.name
    panel = page.js("document.getElementById('detail').innerText")
    for text in meaning.indicators:
        assert text in panel
    assert "which calls for" in panel  # the rationale (every generated one says so)
    page.js("document.getElementById('detail-close').click()")
    assert page.js("document.getElementById('detail').hidden") is True
    assert page.problems() == []


def test_findings_filter_sort_and_show(page: DevTools, rendered: Rendered) -> None:
    findings = [f for f in rendered.result.findings if f.role]
    errors = sum(1 for f in findings if f.severity.value == "error")
    shown = "document.getElementById('shown').textContent"
    assert page.js(shown) == f"{len(findings)} of {len(findings)} findings"
    page.js(
        "var s=document.getElementById('filter-severity'); s.value='error';"
        "s.dispatchEvent(new Event('change', {bubbles: true}))"
    )
    assert page.js(shown) == f"{errors} of {len(findings)} findings"
    visible = page.js(
        "Array.from(document.querySelectorAll('#findings-table tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.dataset.severity)"
    )
    assert visible == ["error"] * errors
    page.js(
        "var s=document.getElementById('filter-severity'); s.value='';"
        "s.dispatchEvent(new Event('change', {bubbles: true}));"
        "var o=document.getElementById('filter-organisation'); o.value=o.options[1].value;"
        "o.dispatchEvent(new Event('change', {bubbles: true}))"
    )
    org = page.js("document.getElementById('filter-organisation').value")
    assert (
        page.js(shown) == f"{sum(1 for f in findings if f.organisation == org)} of {len(findings)} findings"
    )
    page.js(
        "var o=document.getElementById('filter-organisation'); o.value='';"
        "o.dispatchEvent(new Event('change', {bubbles: true}))"
    )
    # sort by rule, then back
    page.js("document.querySelector('button[data-col=\"1\"]').click()")
    rules = page.js(
        "Array.from(document.querySelectorAll('#findings-table tbody tr')).map(r => r.dataset.rule)"
    )
    assert rules == sorted(rules)
    page.js("document.querySelector('button[data-col=\"1\"]').click()")
    rules = page.js(
        "Array.from(document.querySelectorAll('#findings-table tbody tr')).map(r => r.dataset.rule)"
    )
    assert rules == sorted(rules, reverse=True)
    # "show" opens the finding's cell in the heat map, with the finding in the side panel
    off_scale = next(f for f in findings if f.rule == "level-off-scale")
    page.js("document.querySelector('#findings-table tr[data-rule=\"level-off-scale\"] button.show').click()")
    panel = page.js("document.getElementById('detail').innerText")
    assert off_scale.message in panel
    assert "is not a level of this competency" in panel
    assert page.js("document.querySelector('td.current').textContent") == off_scale.level
    assert page.problems() == []


def write_docs_screenshots(folder: Path = ROOT / "docs" / "images") -> None:
    """Render the bundled examples' report (a generated set if they are missing) to docs/images/.

    ``report.png`` is the top of the page (summary and first heat maps); ``report-detail.png`` a heat
    map with a flagged cell clicked open, as a moderator would look at it.
    """
    import tempfile

    from competency import load_profiles

    fw = load_framework("cdc-snc-2015")
    examples = ROOT / "examples" / "cdc-snc" / "profiles.csv"
    profiles = list(load_profiles(examples, framework=fw)) if examples.is_file() else profile_set(40)
    result = check(profiles, fw)
    shots: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        html.write_text(build_report(profiles, result, fw), encoding="utf-8")
        tools = DevTools(Path(tmp), width=1500, height=1750)
        try:
            tools.open(html.as_uri())
            shots["report.png"] = tools.screenshot()
            tools.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": 1500, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                session=True,
            )
            # a family with a warning on a cell: scroll its heat map into view and click the cell
            tools.js(
                "var c=document.querySelector('table.heat tbody td.fw') || document.querySelector("
                "'table.heat tbody td.fe'); var d=c.closest('details');"
                "window.scrollTo(0, d.getBoundingClientRect().top + window.scrollY - 10); c.click();"
            )
            shots["report-detail.png"] = tools.screenshot()
        finally:
            tools.close()
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in shots.items():
        (folder / name).write_bytes(data)
        print(
            f"wrote {folder / name} ({len(data)} bytes, {'examples' if examples.is_file() else 'generated'})"
        )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-docs"]:
        write_docs_screenshots()
    else:
        print("usage: python tests/test_report_browser.py --write-docs", file=sys.stderr)
        sys.exit(2)
