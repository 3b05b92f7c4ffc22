"""Many sessions at once: first render and a rerun with N browser sessions, against N = 1.

Run by hand: ``python benchmarks/bench_sessions.py [--sessions 1 5 20] [--rounds 2]``
(needs Chromium at /usr/bin/chromium and Playwright's Python package).

One dashboard server runs on a loopback port for the whole run. For each N,
headless Chromium opens N fresh sessions at the same moment (one browser
context each, so each is its own Streamlit session) and each page records,
with the browser's own clock, when its five headline figures first appear:
the first-render time. Then the volume slider is moved in every session at
once and each page records when its headline figures change: the rerun
time. The figures are medians and maxima over the sessions of all rounds;
the ratio compares each N with N = 1 measured in the same run, rounds
alternating between the values of N. The server's own CPU time per new
session is reported too: on a small machine the browsers' share of the wall
time can dwarf the server's. Every wait is bounded; nothing leaves
the machine. Nothing here is a test; it prints a table.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench_app import ARGS, CHROMIUM, VOLUME, served
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
BOUND_MS = 600_000
RERUN_MS = 180_000

# Installed in every page before it loads: note, on the page's own clock, when
# five headline figures first show, and when they next change after a mark.
WATCH = """
(() => {
  const read = () => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .slice(0, 5).map(e => e.innerText);
  window.__first = null; window.__changed = null; window.__mark = null;
  new MutationObserver(() => {
    const now = read();
    if (window.__first === null && now.length === 5) {
      window.__first = performance.now(); window.__seen = now.join('|');
    }
    if (window.__mark !== null && window.__changed === null && now.length === 5
        && now.join('|') !== window.__seen) {
      window.__changed = performance.now();
    }
  }).observe(document, {subtree: true, childList: true, characterData: true});
})();
"""


def server_cpu(url: str) -> float:
    """CPU seconds the dashboard server has used so far (read from /proc by its port)."""
    port = url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and port.encode() in command:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return float("nan")


def open_sessions(browser: Any, url: str, n: int) -> tuple[list[Any], list[float]]:
    """N new sessions started together; seconds from each navigation to its headline."""
    contexts = [browser.new_context(viewport={"width": 1440, "height": 1000}) for _ in range(n)]
    pages = []
    for context in contexts:
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(BOUND_MS)
        pages.append(page)
    for page in pages:
        page.goto(url, wait_until="commit")
    for page in pages:
        page.wait_for_function("window.__first !== null", polling=100, timeout=BOUND_MS)
    firsts = [page.evaluate("window.__first") / 1000 for page in pages]
    return pages, firsts


def rerun_all(pages: list[Any]) -> list[float]:
    """Move the volume slider in every session at once; seconds until each shows new figures."""
    for page in pages:  # wait until each session is idle, so the change is the only run
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            polling=100,
            timeout=BOUND_MS,
        )
        page.evaluate("window.__seen = null")
    time.sleep(0.5)
    marks = []
    for page in pages:
        page.evaluate(
            """() => { window.__seen = [...document.querySelectorAll(
                '[data-testid="stMetricValue"]')].slice(0, 5).map(e => e.innerText).join('|');
                window.__changed = null; window.__mark = performance.now(); }"""
        )
        marks.append(page.evaluate("window.__mark"))
        handle = page.get_by_test_id("stSlider").filter(has_text=VOLUME).get_by_role("slider")
        page.bring_to_front()  # key presses reach only the page that has the focus
        handle.focus()
        page.keyboard.press("ArrowRight")
    seconds = []
    for page, mark in zip(pages, marks, strict=True):
        try:
            page.wait_for_function("window.__changed !== null", polling=100, timeout=RERUN_MS)
        except PlaywrightTimeout:
            seconds.append(float("nan"))  # reported as a session that did not answer
            continue
        seconds.append((page.evaluate("window.__changed") - mark) / 1000)
    return seconds


def _median(values: list[float]) -> float:
    """Median of the sessions that answered within the bound."""
    return statistics.median([v for v in values if not math.isnan(v)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per N")
    args = parser.parse_args()
    if max(args.sessions) > 50:
        raise SystemExit("at most 50 sessions: this benchmark shares the machine it runs on")
    from playwright.sync_api import sync_playwright

    counts = sorted({1, *args.sessions})
    first: dict[int, list[float]] = {n: [] for n in counts}
    server: dict[int, list[float]] = {n: [] for n in counts}
    rerun: dict[int, list[float]] = {n: [] for n in counts}
    with served(ROOT / "app.py", ROOT) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        warm, _ = open_sessions(browser, url, 1)  # the server's first-ever session aside
        warm[0].context.close()
        for round_ in range(args.rounds):
            for n in counts:
                before = server_cpu(url)
                pages, firsts = open_sessions(browser, url, n)
                server[n].append((server_cpu(url) - before) / n)
                first[n] += firsts
                rerun[n] += rerun_all(pages)
                for page in pages:
                    page.context.close()
                print(
                    f"round {round_ + 1}, {n} sessions: first render median "
                    f"{statistics.median(firsts):.2f} s, rerun median "
                    f"{_median(rerun[n][-n:]):.2f} s",
                    flush=True,
                )
        browser.close()
    header = "sessions|server CPU s/session|first render s|max s|vs 1|rerun s|max s|vs 1"
    rows = [header.split("|")]
    base_first, base_rerun = statistics.median(first[1]), _median(rerun[1])
    for n in counts:
        f, r = statistics.median(first[n]), _median(rerun[n])
        lost = sum(1 for x in rerun[n] if math.isnan(x))
        rows.append(
            [
                str(n),
                f"{statistics.median(server[n]):.2f}",
                f"{f:.2f}",
                f"{max(first[n]):.2f}",
                f"{f / base_first:.2f}x",
                f"{r:.2f}",
                f"{max(x for x in rerun[n] if not math.isnan(x)):.2f}",
                f"{r / base_rerun:.2f}x" + (f" ({lost} no answer)" if lost else ""),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    print(
        f"medians over sessions of {args.rounds} alternating rounds; browsers share the "
        f"machine with the server ({os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f} at the end)"
    )


if __name__ == "__main__":
    main()
