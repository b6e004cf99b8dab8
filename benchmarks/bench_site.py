"""Benchmark the report build and the live preview on the bundled example.

Prints one Markdown table, measured in one run:

* a plain ``mkdocs build`` of the project that ``cxmaturity build --docs-only`` generated
  (the reference: the engine alone, no reading, scoring or charts);
* ``cxmaturity build`` with a warm chart cache (target: at most 1.3x the reference) and
  with a cold one (every chart drawn);
* the charts drawn by a rebuild with unchanged inputs (target: 0);
* ``cxmaturity serve``: from saving an edited answer sheet to the rebuilt site being ready
  for the browser to reload (target: at most 1 s), over several edits.

Usage: python benchmarks/bench_site.py [--repeat K] [--edits N]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "examples" / "acme"
CLI = [sys.executable, "-c", "from generator.cli import main; main()"]


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def best_and_median(samples: list[float]) -> str:
    return f"{min(samples):.2f} / {statistics.median(samples):.2f}"


def serve_edits(project: Path, env: dict[str, str], edits: int, port: int) -> list[float]:
    """Seconds from writing an edited sheet to the preview reporting the rebuild.

    A thread reads the preview's output with arrival times, so a second rebuild the
    watcher may start for the same save is never counted for the next edit.
    """
    process = subprocess.Popen(
        [*CLI, "serve", str(project), "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()

    def wait_for(prefix: str, after: float, timeout: float = 30) -> float | None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                arrived, line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if line.startswith(prefix) and arrived >= after:
                return arrived
        return None

    try:
        if wait_for("Serving", 0, timeout=120) is None:
            return []
        sheet = project / "answers" / "2026-q4" / "support" / "alice.yml"
        text = sheet.read_text(encoding="utf-8").splitlines()
        numeric = [i for i, line in enumerate(text) if re.match(r"  [\w.-]+: \d$", line)]
        times = []
        for edit in range(edits):
            index = numeric[edit % len(numeric)]
            value = int(text[index][-1])
            text[index] = text[index][:-1] + str(1 if value != 1 else 5)
            time.sleep(1.5)  # let any rebuild still running finish, as between two saves
            started = time.perf_counter()
            sheet.write_text("\n".join(text) + "\n", encoding="utf-8")
            done = wait_for("Rebuilt in", started)
            if done is not None:
                times.append(done - started)
        return times
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per build measurement")
    parser.add_argument("--edits", type=int, default=6, help="edits for the serve measurement")
    parser.add_argument("--port", type=int, default=0, help="preview port (default: a free one)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cxmaturity-bench-"))
    project = work / "acme"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("site"))
    warm_cache = work / "cache-warm"
    env = os.environ | {"CXMATURITY_CACHE": str(warm_cache), "NO_MKDOCS_2_WARNING": "1"}

    docs = work / "docs-only"
    subprocess.run(
        [*CLI, "build", str(project), "--docs-only", "--out", str(docs)],
        env=env,
        check=True,
        capture_output=True,
    )
    plain = [
        timed(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "-q",
                "-f",
                str(docs / "mkdocs.yml"),
                "-d",
                str(work / f"plain-{run}"),
            ],
            env,
        )
        for run in range(args.repeat)
    ]
    warm = [
        timed([*CLI, "build", str(project), "--out", str(work / "site")], env)
        for _ in range(args.repeat)
    ]
    cold = []
    for run in range(args.repeat):
        cold_env = env | {"CXMATURITY_CACHE": str(work / f"cache-cold-{run}")}
        cold.append(timed([*CLI, "build", str(project), "--out", str(work / "site")], cold_env))

    from generator.site import build

    rebuild = build(project, work / "site", cache=warm_cache / "charts")
    edits = serve_edits(project, env, args.edits, args.port or free_port())

    reference = statistics.median(plain)
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; example: {EXAMPLE.name}, "
        f"{rebuild.pages} pages, {rebuild.charts} charts; seconds as best / median of "
        f"{args.repeat}\n"
    )
    print("| measurement | seconds | vs plain mkdocs build (median) | target |")
    print("| --- | ---: | ---: | --- |")
    print(f"| plain `mkdocs build` of the generated project | {best_and_median(plain)} | 1.00x | |")
    ratio = statistics.median(warm) / reference
    print(
        f"| `cxmaturity build`, warm chart cache | {best_and_median(warm)} | {ratio:.2f}x "
        f"| <= 1.3x: {'PASS' if ratio <= 1.3 else 'FAIL'} |"
    )
    print(
        f"| `cxmaturity build`, cold chart cache | {best_and_median(cold)} | "
        f"{statistics.median(cold) / reference:.2f}x | |"
    )
    print(
        f"| charts drawn by a no-change rebuild | {rebuild.charts_rendered} | | 0: "
        f"{'PASS' if rebuild.charts_rendered == 0 else 'FAIL'} |"
    )
    if edits:
        worst = max(edits)
        print(
            f"| `serve`: save to site rebuilt, {len(edits)} edits | "
            f"{min(edits):.2f} / {statistics.median(edits):.2f} (max {worst:.2f}) | | "
            f"<= 1 s: {'PASS' if statistics.median(edits) <= 1 else 'FAIL'} (median) |"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
