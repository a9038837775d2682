// Style sheet and script of the HTML reports. The script only wires up the page: copy buttons,
// expand/collapse of the evidence, print with everything open, and in the batch report sorting
// and filtering the table. Handlers are attached here (the CSP forbids inline ones); it never
// builds markup from text, so nothing it touches can become HTML.
#include "report/html_assets.hpp"

namespace extriage {

const std::string_view kReportCss = R"css(
:root{--crit:#7a0010;--err:#c62828;--warn:#b26a00;--info:#1565c0;--ok:#2e7d32;--fg:#1b1b1b;--mut:#5f6368;--line:#dadce0;--bg2:#f6f7f9}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:16px 24px 48px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0}h4{font-size:13px;margin:10px 0 4px;color:var(--mut);text-transform:uppercase;letter-spacing:.04em}
a{color:#0b57d0}code,pre{font:12.5px/1.4 ui-monospace,"Cascadia Mono",Consolas,"DejaVu Sans Mono",monospace}
pre{white-space:pre-wrap;word-break:break-all;margin:0}
.meta{color:var(--mut)}.small{font-size:12px}
.tools{float:right}.tools button,.cmd button{font:12px system-ui,sans-serif;border:1px solid var(--line);background:#fff;border-radius:4px;padding:2px 8px;cursor:pointer}
.headline{border:1px solid var(--line);border-left:6px solid var(--mut);border-radius:6px;padding:10px 14px;margin:12px 0;background:var(--bg2)}
.headline.o-failed,.headline.s-error{border-left-color:var(--err)}.headline.s-critical{border-left-color:var(--crit)}
.headline.s-warning{border-left-color:var(--warn)}.headline.o-succeeded.s-none{border-left-color:var(--ok)}
.headline p{margin:3px 0}.headline .cause{font-size:16px;font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;font-weight:700;color:#fff;background:var(--mut);text-transform:uppercase;letter-spacing:.03em}
.sev-critical{background:var(--crit)}.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
.out-succeeded{background:var(--ok)}.out-failed{background:var(--err)}.out-incomplete,.out-unknown{background:var(--warn)}
.glance{margin:0;padding-left:18px}.glance li{margin:2px 0}
.finding{border:1px solid var(--line);border-left:5px solid var(--info);border-radius:6px;padding:10px 14px;margin:10px 0}
.finding.f-critical{border-left-color:var(--crit)}.finding.f-error{border-left-color:var(--err)}.finding.f-warning{border-left-color:var(--warn)}
.finding .msg{margin:6px 0}.finding .rule{color:var(--mut);font:12px ui-monospace,Consolas,monospace}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;vertical-align:top;border-bottom:1px solid var(--line);padding:3px 8px}
th{background:var(--bg2);font-weight:600}table.facts td:first-child{white-space:nowrap;color:var(--mut);width:1%}
td.num{text-align:right;font-variant-numeric:tabular-nums}
ol.steps{padding-left:22px;margin:4px 0}ol.steps li{margin:4px 0}
.cmd{display:flex;gap:6px;align-items:flex-start;background:#f1f3f4;border:1px solid var(--line);border-radius:4px;padding:4px 6px;margin:3px 0}
.cmd pre{flex:1}.cmd code{background:none}
code.inline{background:#f1f3f4;border-radius:3px;padding:0 3px}
details{margin:6px 0}summary{cursor:pointer;color:var(--mut)}
.ev{border-left:3px solid var(--line);padding:2px 8px;margin:4px 0}.ev .loc{color:var(--mut);font-size:12px}
.run{border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0}
.chart{overflow-x:auto;border:1px solid var(--line);border-radius:6px;padding:6px;margin:8px 0}
.chart svg{display:block}.chart text{font:11px system-ui,sans-serif;fill:#3c4043}
.chart .axis{stroke:#9aa0a6}.chart .grid{stroke:#eceff1}.chart .gap{fill:#fff;stroke:#9aa0a6;stroke-dasharray:3 2}
.chart .r-succeeded{fill:#c8e6c9;stroke:var(--ok)}.chart .r-failed{fill:#ffcdd2;stroke:var(--err)}.chart .r-other{fill:#ffe0b2;stroke:var(--warn)}
.chart .p-critical{fill:var(--crit)}.chart .p-error{fill:var(--err)}.chart .p-warning{fill:var(--warn)}.chart .p-info{fill:var(--info)}
.chart .link{stroke:#9aa0a6;stroke-dasharray:2 2}
.legend span{margin-right:12px}
.filters{margin:8px 0;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
th button{font:inherit;font-weight:600;border:0;background:none;cursor:pointer;padding:0}
th button::after{content:" \2195";color:var(--mut)}
tr.sev-row-critical td:first-child{border-left:5px solid var(--crit)}tr.sev-row-error td:first-child{border-left:5px solid var(--err)}
tr.sev-row-warning td:first-child{border-left:5px solid var(--warn)}tr.sev-row-info td:first-child,tr.sev-row-none td:first-child{border-left:5px solid var(--line)}
table.tl{table-layout:fixed}.tl td{font-size:12.5px;overflow-wrap:anywhere}.tl td.t{white-space:nowrap}
.tl th:nth-child(1){width:170px}.tl th:nth-child(2){width:76px}.tl th:nth-child(3){width:88px}.tl th:nth-child(4){width:26%}
.tl tr.finding{border:0}.tl tr.finding td{background:#f3f6fc}
footer{margin-top:28px;color:var(--mut);font-size:12px}
@media print{.tools,.filters,.cmd button{display:none}body{max-width:none;padding:0}.finding,.run,.headline{break-inside:avoid}a{color:inherit}}
)css";

const std::string_view kReportJs = R"js(
(function () {
  'use strict';
  function copyText(text, button) {
    function done(ok) {
      button.textContent = ok ? 'Copied' : 'Select and copy';
      setTimeout(function () { button.textContent = 'Copy'; }, 1500);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }
  document.querySelectorAll('.cmd button').forEach(function (b) {
    b.addEventListener('click', function () {
      var code = b.parentNode.querySelector('code');
      if (code) copyText(code.textContent, b);
    });
  });
  function setAll(open) {
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) expand.addEventListener('click', function () { setAll(true); });
  if (collapse) collapse.addEventListener('click', function () { setAll(false); });
  var wasOpen = [];
  window.addEventListener('beforeprint', function () {
    wasOpen = [];
    document.querySelectorAll('details').forEach(function (d) { wasOpen.push(d.open); d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details').forEach(function (d, i) { d.open = !!wasOpen[i]; });
  });

  // Batch: sort by a column (numbers from data-* of the row, else the cell text), filter by
  // severity and text.
  var table = document.getElementById('bundles');
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var state = { key: null, dir: 1 };
    table.querySelectorAll('th button').forEach(function (b) {
      b.addEventListener('click', function () {
        var key = b.getAttribute('data-key');
        var numeric = b.hasAttribute('data-num');
        state.dir = state.key === key ? -state.dir : (numeric ? -1 : 1);
        state.key = key;
        var col = b.parentNode.cellIndex;
        rows.sort(function (x, y) {
          var a, c;
          if (numeric) { a = Number(x.getAttribute('data-' + key)); c = Number(y.getAttribute('data-' + key)); }
          else { a = x.cells[col].textContent.toLowerCase(); c = y.cells[col].textContent.toLowerCase(); }
          if (a < c) return -state.dir;
          if (a > c) return state.dir;
          return Number(x.getAttribute('data-order')) - Number(y.getAttribute('data-order'));
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
        table.setAttribute('data-sorted', key + (state.dir > 0 ? ' asc' : ' desc'));
      });
    });
    var minSev = document.getElementById('min-severity');
    var text = document.getElementById('filter-text');
    var shown = document.getElementById('shown');
    function filter() {
      var min = Number(minSev.value);
      var needle = text.value.toLowerCase();
      var n = 0;
      rows.forEach(function (r) {
        var hide = Number(r.getAttribute('data-rank')) < min ||
                   (needle !== '' && r.textContent.toLowerCase().indexOf(needle) < 0);
        r.hidden = hide;
        if (!hide) n++;
      });
      shown.textContent = String(n);
    }
    minSev.addEventListener('change', filter);
    text.addEventListener('input', filter);
  }
  document.body.setAttribute('data-ready', '1');
})();
)js";

}  // namespace extriage
