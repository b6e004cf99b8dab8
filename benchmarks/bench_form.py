"""Benchmark the offline answer form: its size and how fast a phone-sized Chromium opens it.

Prints one Markdown table, measured in one run: the bytes of ``cxmaturity form`` for the
bundled example, and, over several openings from ``file://`` in a fresh 375 x 740 page of
Debian's Chromium, the navigation's DOM-ready and load events (minimum, median,
maximum). Targets (issue 12): under 150 KB, and opened in under 1 s.

Usage: python benchmarks/bench_form.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "examples" / "acme"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LIMIT_BYTES = 150_000
LIMIT_MS = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="openings to measure (default 7)")
    runs = parser.parse_args().runs
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        form = Path(work) / "answer-form.html"
        command = [sys.executable, "-c", "from generator.cli import main; main()"]
        subprocess.run(
            [*command, "form", str(EXAMPLE), "--out", str(form)], check=True, capture_output=True
        )
        size = form.stat().st_size
        loads, paints = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 375, "height": 740})
                page = context.new_page()
                page.goto(form.as_uri(), wait_until="load")
                timing = page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
                )
                paints.append(timing[0])
                loads.append(timing[1])
                context.close()
            browser.close()
    print(f"Load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {runs} openings\n")
    print("| measure | min | median | max | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| form size (bytes) | {size:,} | | | < {LIMIT_BYTES:,} |")
    for name, values in (("load event (ms)", loads), ("DOM ready (ms)", paints)):
        print(
            f"| {name} | {min(values):.0f} | {statistics.median(values):.0f} | "
            f"{max(values):.0f} | < {LIMIT_MS:.0f} |"
        )
    verdict = "PASS" if size < LIMIT_BYTES and statistics.median(loads) < LIMIT_MS else "FAIL"
    print(f"\ntarget: under 150 KB and a median load under 1 s: {verdict}")


if __name__ == "__main__":
    main()
