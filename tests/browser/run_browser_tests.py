#!/usr/bin/env python3
"""The browser test (ctest browser/reports): renders the analyze, timeline and batch HTML reports
of the samples with the extriage under test, opens each in headless Chromium (cdp_check.py) and
checks the headline and the findings count against extriage's own JSON output, a clean console,
no network request, sorting and filtering of the batch table, and a screenshot that is not blank
(kept in OUT as a test artifact). A page built from hostile log content (script tags, an
attribute break-out with onerror, javascript: links, control characters, in the text and in the
folder name) must show that content as text and run none of it.

Exit 77 (ctest: skipped) only when Chromium is not installed."""

import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TODAY = "2026-11-22"


def run(exe, args, cwd):
    p = subprocess.run([exe] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1, 2):
        raise RuntimeError(f"extriage {' '.join(args)} failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8", errors="replace")


def bundle_expectations(exe, source, bundle):
    """(findings, top rule) of one bundle, from `extriage batch --format jsonl`."""
    rows = [json.loads(l) for l in run(exe, ["batch", "--format", "jsonl", "--fail-on", "never", "--today", TODAY, bundle],
                                       source).splitlines() if l.strip()]
    findings = sum(sum(r["findings"].values()) for r in rows)
    top = rows[0]["top_finding"]["rule"] if len(rows) == 1 and rows[0]["top_finding"] else None
    return findings, top


def make_hostile(out):
    """A setup log whose error lines carry markup, a javascript: link and control characters, in a
    folder whose name breaks out of an attribute."""
    folder = os.path.join(out, 'hostile"><img src=x onerror="window.__pwned=1">')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(HERE, "..", "..", "samples", "exchange-setup", "unknown-error.log"), "rb") as f:
        lines = f.read().split(b"\n")
    payload = (b"<script>window.__pwned=1;document.title='PWNED'</script> \"><img src=x onerror=\"window.__pwned=1\"> "
               b"<a href=\"javascript:window.__pwned=1\">javascript:alert(1)</a> \x1b[31mred\x07\x01 \xe2\x80\xaeevil")
    for i, line in enumerate(lines):
        if b"[ERROR] The process cannot access the file" in line:
            lines[i] = line.split(b"[ERROR]")[0] + b"[ERROR] " + payload
        elif b'[ERROR] The following error was generated when' in line:
            lines[i] = line.split(b"[ERROR]")[0] + b"[ERROR] The following error was generated when \"<script>window.__pwned=1</script>"
    path = os.path.join(folder, "ExchangeSetup.log")
    with open(path, "wb") as f:
        f.write(b"\n".join(lines))
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exe", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIPPED: the browser test needs Chromium (Debian: apt-get install chromium); .ci/run installs it")
        return 77
    os.makedirs(args.out, exist_ok=True)
    exe, src = os.path.abspath(args.exe), os.path.abspath(args.source)
    checks = []   # (page, cdp_check arguments)

    def page(name, cmd):
        path = os.path.join(args.out, name + ".html")
        run(exe, cmd + ["-o", path], src)
        return path

    for bundle in ("EX01-20241112", "EX01-1106"):
        zip_path = f"samples/bundles/{bundle}.zip"
        findings, top = bundle_expectations(exe, src, zip_path)
        p = page(f"analyze-{bundle}", ["analyze", "--format", "html", "--fail-on", "never", "--today", TODAY, zip_path])
        checks.append((p, ["--expect-findings", str(findings)] + (["--expect-headline", f"[{top}]"] if top else [])))
        tl = json.loads(run(exe, ["timeline", "--format", "json", "--today", TODAY, zip_path], src))
        p = page(f"timeline-{bundle}", ["timeline", "--format", "html", "--today", TODAY, zip_path])
        checks.append((p, ["--expect-findings", str(tl["summary"]["findings"])] + (["--expect-headline", f"[{top}]"] if top else [])))
    log = "samples/exchange-setup/unknown-error.log"
    findings, top = bundle_expectations(exe, src, log)
    p = page("analyze-unknown-error", ["analyze", "--format", "html", "--fail-on", "never", "--today", TODAY, log])
    checks.append((p, ["--expect-findings", str(findings), "--expect-headline", f"[{top}]"]))
    findings, _ = bundle_expectations(exe, src, "samples/bundles")
    p = page("batch-bundles", ["batch", "--format", "html", "--fail-on", "never", "--today", TODAY, "samples/bundles"])
    checks.append((p, ["--expect-findings", str(findings), "--expect-headline", "Most common cause", "--batch"]))

    hostile = make_hostile(args.out)
    p = page("hostile", ["analyze", "--format", "html", "--fail-on", "never", "--today", TODAY, hostile])
    checks.append((p, ["--expect-text", "<script>window.__pwned=1;document.title='PWNED'</script>",
                       "--expect-text", '"><img src=x onerror="window.__pwned=1">',
                       "--expect-text", "javascript:alert(1)", "--expect-text", "\\x1b[31mred\\x07\\x01",
                       "--expect-text", "\\u202eevil"]))
    p = page("hostile-timeline", ["timeline", "--format", "html", "--today", TODAY, hostile])
    checks.append((p, ["--expect-text", "<script>window.__pwned=1;document.title='PWNED'</script>"]))

    failed = 0
    for path, extra in checks:
        shot = path[:-5] + ".png"
        r = subprocess.run([sys.executable, os.path.join(HERE, "cdp_check.py"), "--chromium", chromium, "--page", path,
                            "--screenshot", shot] + extra)
        failed += r.returncode != 0
    print(f"{len(checks) - failed} of {len(checks)} pages passed; pages and screenshots in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
