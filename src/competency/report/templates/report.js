/* The moderation report's script: level meanings on hover and click, and the findings table's filters and
   sorting. Plain JavaScript, no libraries. Text from the data is only ever written with textContent. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var comps = data.competencies, meanings = data.meanings, rationales = data.rationales;
  var LEVEL_CLASS = /(^|\s)v\d(\s|$)/;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  /* -- heat map cells ------------------------------------------------------------------------------- */
  function columnOf(td) {
    var head = td.closest("table").tHead;
    var th = head.rows[head.rows.length - 1].cells[td.cellIndex];
    return th && th.hasAttribute("data-k") ? Number(th.getAttribute("data-k")) : null;
  }

  function findingIds(node) {
    var text = node.getAttribute("data-f");
    return text ? text.split(" ") : [];
  }

  function findingOf(id) {
    var row = document.getElementById("f" + id);
    if (!row) return null;
    var msg = row.querySelector("td.msg");
    return { severity: row.getAttribute("data-severity"), rule: row.getAttribute("data-rule"),
             message: msg && msg.firstChild ? msg.firstChild.nodeValue.trim() : "" };
  }

  function cellInfo(td) {
    var k = columnOf(td);
    if (k === null || td.classList.contains("na") && !td.hasAttribute("data-f")) return null;
    var tr = td.parentNode, roleCell = tr.cells[0], family = td.closest("details");
    var level = td.textContent;
    var onScale = LEVEL_CLASS.test(td.className);
    return {
      comp: comps[k], level: level, onScale: onScale,
      missing: td.classList.contains("miss"), notApplicable: td.classList.contains("na"),
      meaning: onScale ? meanings[k + "|" + level] : null,
      role: roleCell.firstChild ? roleCell.firstChild.nodeValue.trim() : "",
      roleId: roleCell.querySelector("small") ? roleCell.querySelector("small").textContent : "",
      organisation: tr.cells[1].textContent,
      family: family ? family.querySelector("summary h3").textContent : "",
      rationale: td.hasAttribute("data-r") ? rationales[Number(td.getAttribute("data-r"))] : null,
      findings: findingIds(td)
    };
  }

  function levelLine(info) {
    if (info.missing) return "No level given";
    if (info.notApplicable) return "Does not apply to this role";
    if (!info.onScale) return "\u201c" + info.level + "\u201d is not a level of this competency\u2019s scale";
    var title = info.meaning && info.meaning.t ? " \u2014 " + info.meaning.t : "";
    return "Level " + info.level + title;
  }

  function hoverText(td, info) {
    var lines = [info.role + " \u2014 " + info.comp[0], levelLine(info)];
    var m = info.meaning;
    if (m) {
      if (m.n) lines.push(m.n);
      var shown = 0;
      for (var g = 0; g < m.g.length && shown < 4; g++) {
        for (var i = 0; i < m.g[g][2].length && shown < 4; i++, shown++) lines.push("\u2022 " + m.g[g][2][i]);
      }
      lines.push("(click for every indicator and the rationale)");
    }
    var original = td.getAttribute("data-tip") || "";
    if (original) lines.push("", original);
    return lines.join("\n");
  }

  var detail = document.getElementById("detail");
  var current = null;

  function setCurrent(td) {
    if (current) current.classList.remove("current");
    current = td;
    if (td) td.classList.add("current");
  }

  function showFindings(ids) {
    var box = document.getElementById("detail-findings");
    box.textContent = "";
    if (!ids.length) return;
    box.appendChild(el("h3", ids.length === 1 ? "Finding" : "Findings (" + ids.length + ")"));
    ids.forEach(function (id) {
      var f = findingOf(id);
      if (!f) return;
      var p = el("p", null, "sev-" + f.severity.charAt(0));
      p.appendChild(el("span", f.severity, "sev"));
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("code", f.rule));
      p.appendChild(document.createTextNode(": " + f.message));
      box.appendChild(p);
    });
  }

  function openCell(td) {
    var info = cellInfo(td);
    if (!info) return;
    setCurrent(td);
    document.getElementById("detail-h").textContent = info.comp[0];
    document.getElementById("detail-role").textContent =
      [info.role + (info.roleId ? " (" + info.roleId + ")" : ""), info.organisation, info.family]
        .filter(Boolean).join(" \u00b7 ");
    document.getElementById("detail-definition").textContent = info.comp[1] || (info.comp[2] ? info.comp[2] : "");
    var box = document.getElementById("detail-meaning");
    box.textContent = "";
    var head = el("p");
    if (info.onScale) head.appendChild(el("span", info.level, "level " + td.className.split(" ")[0]));
    head.appendChild(document.createTextNode(levelLine(info)));
    box.appendChild(head);
    var m = info.meaning;
    if (m) {
      if (m.n) box.appendChild(el("p", m.n, "note"));
      var list = null, lastHead = null;
      m.g.forEach(function (group) {
        var heading = (group[1] ? group[1] + " \u2014 " : "") + "indicators at level " + group[0];
        if (heading !== lastHead) {
          box.appendChild(el("h4", heading));
          list = box.appendChild(el("ul"));
          lastHead = heading;
        }
        group[2].forEach(function (text) { list.appendChild(el("li", text)); });
      });
    }
    document.getElementById("detail-rationale-h").hidden = info.notApplicable;
    var rationale = document.getElementById("detail-rationale");
    rationale.hidden = info.notApplicable;
    rationale.textContent = info.rationale === null ? "(no rationale written)" : info.rationale;
    showFindings(info.findings);
    detail.hidden = false;
  }

  function openRole(th) {
    setCurrent(null);
    var tr = th.parentNode, family = th.closest("details");
    document.getElementById("detail-h").textContent = th.firstChild ? th.firstChild.nodeValue.trim() : "";
    document.getElementById("detail-role").textContent =
      [th.querySelector("small") ? th.querySelector("small").textContent : "", tr.cells[1].textContent,
       family ? family.querySelector("summary h3").textContent : ""].filter(Boolean).join(" \u00b7 ");
    document.getElementById("detail-definition").textContent = "";
    document.getElementById("detail-meaning").textContent = "";
    document.getElementById("detail-rationale-h").hidden = true;
    document.getElementById("detail-rationale").hidden = true;
    showFindings(findingIds(th));
    detail.hidden = false;
  }

  function closeDetail() {
    detail.hidden = true;
    setCurrent(null);
  }

  document.addEventListener("mouseover", function (event) {
    var td = event.target.closest ? event.target.closest("table.heat tbody td") : null;
    if (!td || td.hasAttribute("data-hover")) return;
    var info = cellInfo(td);
    td.setAttribute("data-hover", "");
    if (!info) return;
    if (td.hasAttribute("title")) td.setAttribute("data-tip", td.getAttribute("title"));
    td.setAttribute("title", hoverText(td, info));
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var td = target.closest("table.heat tbody td");
    if (td && !td.classList.contains("org")) { openCell(td); return; }
    var th = target.closest("table.heat tbody th.role");
    if (th && th.hasAttribute("data-f")) { openRole(th); return; }
    var show = target.closest("button.show");
    if (show) { showInHeatMap(show.closest("tr")); return; }
    var sort = target.closest("table.findings thead button");
    if (sort) sortBy(sort);
  });

  document.getElementById("detail-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !detail.hidden) closeDetail();
  });

  function showInHeatMap(row) {
    var tr = document.querySelector('table.heat tr[data-p="' + row.getAttribute("data-p") + '"]');
    if (!tr) return;
    var family = tr.closest("details");
    if (family) family.open = true;
    var target = tr.cells[0];
    if (row.hasAttribute("data-k")) {
      var head = tr.closest("table").tHead, cells = head.rows[head.rows.length - 1].cells;
      for (var i = 2; i < cells.length; i++) {
        if (cells[i].getAttribute("data-k") === row.getAttribute("data-k")) { target = tr.cells[i]; break; }
      }
    }
    target.scrollIntoView({ block: "center", inline: "center" });
    if (target.tagName === "TD") openCell(target); else openRole(target);
    if (target.tagName === "TH") setCurrent(null);
  }

  /* -- families ------------------------------------------------------------------------------------- */
  function setAll(open) {
    document.querySelectorAll("details.family").forEach(function (d) { d.open = open; });
  }
  document.getElementById("open-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("close-all").addEventListener("click", function () { setAll(false); });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  /* -- findings table ------------------------------------------------------------------------------- */
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.filter.call(body.rows, function (r) { return r.id; });
  var filters = {
    severity: document.getElementById("filter-severity"),
    rule: document.getElementById("filter-rule"),
    family: document.getElementById("filter-family"),
    organisation: document.getElementById("filter-organisation")
  };
  var text = document.getElementById("filter-text");
  var shown = document.getElementById("shown");

  function applyFilters() {
    var wanted = {}, count = 0, needle = text.value.trim().toLowerCase();
    Object.keys(filters).forEach(function (key) { wanted[key] = filters[key].value; });
    rows.forEach(function (row) {
      var ok = Object.keys(wanted).every(function (key) {
        return !wanted[key] || row.getAttribute("data-" + key) === wanted[key];
      });
      if (ok && needle) ok = row.textContent.toLowerCase().indexOf(needle) !== -1;
      row.hidden = !ok;
      if (ok) count++;
    });
    shown.textContent = count + " of " + rows.length + " findings";
  }
  Object.keys(filters).forEach(function (key) { filters[key].addEventListener("change", applyFilters); });
  text.addEventListener("input", applyFilters);
  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });

  var collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });
  function sortBy(button) {
    var th = button.parentNode;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.tHead.querySelectorAll("th").forEach(function (h) {
      if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var how = button.getAttribute("data-sort"), col = Number(button.getAttribute("data-col") || 0);
    var keyOf = how === "rank"
      ? function (r) { return -Number(r.getAttribute("data-rank")); }
      : how === "where"
        ? function (r) { return r.cells[8].textContent; }
        : function (r) { return r.cells[col].textContent; };
    var keyed = rows.map(function (r) { return [keyOf(r), Number(r.getAttribute("data-order")), r]; });
    keyed.sort(function (a, b) {
      var c = typeof a[0] === "number" ? a[0] - b[0] : collator.compare(a[0], b[0]);
      if (!ascending) c = -c;
      return c || a[1] - b[1];
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k[2]); });
    body.appendChild(fragment);
    rows = keyed.map(function (k) { return k[2]; });
  }
})();
