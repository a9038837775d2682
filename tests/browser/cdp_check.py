#!/usr/bin/env python3
"""Opens an extriage HTML report in headless Chromium over the DevTools protocol (a pipe, no
port) and checks what a person would see: the headline and the findings rendered, the page's
script ran, the console stayed clean, no network request was made, no injected script ran, and a
screenshot that is not blank. Prints one JSON line of measurements; exits 1 on any failed check.

Standard library only: the CI machine has python3 and chromium, nothing else is needed."""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib


class Browser:
    def __init__(self, chromium, width, height):
        self.profile = tempfile.TemporaryDirectory(prefix="extriage-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [chromium, "--headless", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--hide-scrollbars", "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--user-data-dir={self.profile.name}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")   # Chromium refuses to start its sandbox as root (CI containers)

        def child_fds():
            # Chromium reads commands from fd 3 and writes to fd 4; the pipes may already sit on
            # those numbers, so move both out of the way first.
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(args + ["about:blank"], pass_fds=(3, 4), preexec_fn=child_fds,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it start?)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.profile.cleanup()


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA, non-interlaced PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})")
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def screenshot_stats(png):
    width, height, bpp, rows = png_pixels(png)
    values, colours = [], set()
    for y in range(0, height, 4):
        row = rows[y]
        for x in range(0, width, 4):
            r, g, b = row[x * bpp], row[x * bpp + 1], row[x * bpp + 2]
            values.append(0.299 * r + 0.587 * g + 0.114 * b)
            colours.add((r, g, b))
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return {"width": width, "height": height, "variance": round(variance, 1), "colours": len(colours)}


PROBE = """(() => {
  const h = document.getElementById('headline');
  const s = document.getElementById('summary');
  return JSON.stringify({
    ready: document.body && document.body.getAttribute('data-ready') === '1',
    report: document.body ? document.body.getAttribute('data-report') : null,
    headline: h ? h.innerText : null,
    findings: document.querySelectorAll('.finding').length,
    declared: s ? Number(s.getAttribute('data-findings')) : null,
    scripts: document.scripts.length,
    handlers: Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes).some(a => /^on/i.test(a.name))).length,
    js_links: Array.from(document.querySelectorAll('a[href]')).filter(a => !/^(https?:|#)/i.test(a.getAttribute('href'))).length,
    chart: document.querySelectorAll('#chart svg').length,
    pwned: window.__pwned === 1 || /PWNED/.test(document.title),
    text: document.body ? document.body.innerText : ''
  });
})()"""

# Batch: sort by the top cause's severity, then keep only bundles with a critical finding.
BATCH_PROBE = """(() => {
  const table = document.getElementById('bundles');
  const button = table.querySelector('th button[data-key="rank"]');
  const t0 = performance.now();
  button.click();
  const sortMs = performance.now() - t0;
  const first = table.tBodies[0].rows[0];
  const ranks = Array.from(table.tBodies[0].rows).map(r => Number(r.getAttribute('data-rank')));
  const sorted = ranks.every((r, i) => i === 0 || ranks[i - 1] >= r);
  const select = document.getElementById('min-severity');
  select.value = '4';
  select.dispatchEvent(new Event('change'));
  const visible = Array.from(table.tBodies[0].rows).filter(r => !r.hidden);
  const onlyCritical = visible.every(r => r.getAttribute('data-rank') === '4');
  const expected = ranks.filter(r => r === 4).length;
  const link = first.querySelector('a').getAttribute('href');
  return JSON.stringify({rows: ranks.length, sort_ms: Math.round(sortMs), sorted: sorted, sortedAttr: table.getAttribute('data-sorted'), onlyCritical: onlyCritical,
                         shown: Number(document.getElementById('shown').textContent), expected: expected,
                         rowLinkTarget: !!document.getElementById(link.slice(1))});
})()"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--page", required=True)
    ap.add_argument("--screenshot")
    ap.add_argument("--expect-findings", type=int)
    ap.add_argument("--expect-headline", action="append", default=[], help="text the headline must contain")
    ap.add_argument("--expect-text", action="append", default=[], help="text the page must show (escaped input)")
    ap.add_argument("--batch", action="store_true", help="also sort and filter the bundle table")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1600)
    args = ap.parse_args()

    url = "file://" + os.path.abspath(args.page)
    failures = []
    browser = Browser(args.chromium, args.width, args.height)
    result = {}
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.events.clear()
        start = time.monotonic()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_event("Page.loadEventFired", timeout=60)
        result["load_s"] = round(time.monotonic() - start, 3)
        timing = json.loads(browser.send("Runtime.evaluate", {"expression": "JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())",
                                                             "returnByValue": True}, session=session)["result"]["value"])
        result["dom_interactive_ms"] = round(timing["domInteractive"])
        result["dom_content_loaded_ms"] = round(timing["domContentLoadedEventEnd"])
        result["load_event_ms"] = round(timing["loadEventEnd"])
        probe = json.loads(browser.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True}, session=session)["result"]["value"])
        if args.screenshot:
            import base64
            shot = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
            with open(args.screenshot, "wb") as f:
                f.write(shot)
            result["screenshot"] = screenshot_stats(shot)
        if args.batch:
            result["batch"] = json.loads(browser.send("Runtime.evaluate", {"expression": BATCH_PROBE, "returnByValue": True},
                                                      session=session)["result"]["value"])
        time.sleep(0.2)   # late console messages and requests
        try:
            browser.send("Runtime.evaluate", {"expression": "1"}, session=session, timeout=5)
        except Exception:
            pass
    finally:
        browser.close()

    console = []
    requests = []
    dialogs = []
    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            console.append("exception: " + p.get("exceptionDetails", {}).get("text", ""))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            console.append("log: " + p["entry"].get("text", ""))
        elif m == "Network.requestWillBeSent":
            u = p.get("request", {}).get("url", "")
            if u != url:
                requests.append(u)
        elif m == "Page.javascriptDialogOpening":
            dialogs.append(p.get("message", ""))

    result.update({"page": args.page, "report": probe["report"], "findings": probe["findings"], "declared": probe["declared"],
                   "console": console, "requests": requests, "dialogs": dialogs})
    if not probe["ready"]:
        failures.append("the page's script did not run (body[data-ready] not set)")
    if probe["headline"] is None or not probe["headline"].strip():
        failures.append("no headline (#headline) rendered")
    for want in args.expect_headline:
        if want not in (probe["headline"] or ""):
            failures.append(f"headline lacks {want!r}: {probe['headline']!r}")
    if probe["declared"] is None or probe["findings"] != probe["declared"]:
        failures.append(f"{probe['findings']} findings rendered, the page declares {probe['declared']}")
    if args.expect_findings is not None and probe["findings"] != args.expect_findings:
        failures.append(f"{probe['findings']} findings rendered, expected {args.expect_findings}")
    if probe["scripts"] != 1:
        failures.append(f"{probe['scripts']} script elements (the report has exactly one)")
    if probe["handlers"]:
        failures.append(f"{probe['handlers']} elements with on* event handler attributes")
    if probe["js_links"]:
        failures.append(f"{probe['js_links']} links that are neither http(s) nor in-page")
    if probe["report"] in ("analyze", "timeline") and probe["chart"] != 1:
        failures.append("no timeline chart (#chart svg)")
    if probe["pwned"] or dialogs:
        failures.append("an injected script ran")
    for want in args.expect_text:
        if want not in probe["text"]:
            failures.append(f"page does not show {want!r} as text")
    if console:
        failures.append(f"console errors: {console}")
    if requests:
        failures.append(f"network requests: {requests}")
    if args.batch:
        b = result["batch"]
        if not b["sorted"] or not b["sortedAttr"]:
            failures.append(f"sorting by severity did not sort: {b}")
        if not b["onlyCritical"] or b["shown"] != b["expected"]:
            failures.append(f"filtering by severity failed: {b}")
        if not b["rowLinkTarget"]:
            failures.append("a row's link has no section to go to")
    if args.screenshot:
        s = result["screenshot"]
        if s["variance"] < 50 or s["colours"] < 8:
            failures.append(f"screenshot looks blank: {s}")
    print(json.dumps(result))
    for f in failures:
        print(f"FAIL {args.page}: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
