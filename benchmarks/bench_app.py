"""What a dashboard user waits for, in a real browser, against a bare Streamlit page.

Run by hand: ``python benchmarks/bench_app.py [--runs 5]`` (needs Chromium at
/usr/bin/chromium and Playwright's Python package).

Two servers run side by side on local ports: the dashboard (``app.py``) and a
bare page built in this run with the same widgets (the same labels and
options for the controls below, as many of every other kind), the same
metrics, charts and tables drawn from data prepared beforehand, so it
computes nothing. Headless Chromium drives both. Measured for each main
control (volume, growth, horizon, cache hit rate, both model pickers): the
time from changing the control to the moment the headline figures show new
values; and for a fresh session: from opening the address to the headline
figures. The dashboard and the bare page alternate run by run; each figure is
the median. Nothing here is a test; it prints a table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_options import ARGS, CHROMIUM, free_port  # noqa: E402  (after the path above)

VOLUME = "Requests per month (first month)"
GROWTH = "Monthly growth of requests"
HORIZON = "Horizon (months)"
CACHE = "Cache-hit rate"
CACHE_SECTION = "Caching and batch"
BASE = "Base model (long prompt)"
TUNED = "Model to fine-tune (short prompt)"
SLIDERS = (VOLUME, GROWTH, HORIZON, CACHE)
PICKERS = (BASE, TUNED)
EDITOR = "editing_option"  # the sidebar's choice of the option whose controls are shown
CHANGE_TIMEOUT_MS = 60_000
WIDGET_KINDS = ("select_slider", "slider", "number_input", "selectbox", "toggle", "text_input")

# The bare page: the same controls, every other widget and element drawn from
# prepared data; its headline metrics only echo the controls' values.
BARE = """
import io
import json
import pandas as pd
import streamlit as st

@st.cache_resource
def prepared(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    d["charts"] = [json.loads(spec) for spec in d["charts"]]
    d["tables"] = [pd.read_json(io.StringIO(t), orient="split") for t in d["tables"]]
    return d

d = prepared(PATH)
values = []
with st.sidebar:
    for label, options, index in d["select_sliders"]:
        if label == CACHE:
            continue
        values.append(st.select_slider(label, options, value=options[index]))
    values.append(st.slider(HORIZON, 1, 120, d["horizon"]))
    for label, options in d["pickers"]:
        values.append(st.selectbox(label, options))
    for i in range(d["more"]["slider"]):
        st.slider(f"slider {i}", 1, 120, 12)
    for i in range(d["more"]["select_slider"]):
        st.select_slider(f"grid {i}", d["grid"])
    for i in range(d["more"]["number_input"]):
        st.number_input(f"number {i}", min_value=0.0, value=1.0)
    for i in range(d["more"]["selectbox"]):
        st.selectbox(f"choice {i}", d["grid"])
    for i in range(d["more"]["text_input"]):
        st.text_input(f"text {i}")
    with st.expander(CACHE_SECTION):
        for i in range(d["more"]["toggle"]):
            st.toggle(f"toggle {i}")
        for label, options, index in d["select_sliders"]:
            if label == CACHE:
                values.append(st.select_slider(label, options, value=options[index]))
st.success(d["verdict"])
echo = str(abs(hash(tuple(map(str, values)))))
for i, label in enumerate(d["headline"]):
    st.metric(label, echo[i : i + 6])
for text in d["markdown"]:
    st.markdown(text)
for figure in d["charts"]:
    st.plotly_chart(figure)
for table in d["tables"]:
    st.dataframe(table)
"""


@contextlib.contextmanager
def served(script: Path, cwd: Path) -> Iterator[str]:
    """``streamlit run script`` on a free local port until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{script.name} did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def prepared_data(folder: Path) -> Path:
    """The dashboard's own elements, read through AppTest, for the bare page to draw."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    sliders = [  # options as shown (AppTest gives them formatted), and the current one
        (w.label, list(w.options), list(w.options).index(w.format_func(w.value)))
        for w in at.select_slider
        if w.label in SLIDERS
    ]
    pickers = [(w.label, list(w.options)) for w in at.selectbox if w.label in PICKERS]
    counts = {kind: len(getattr(at, kind)) for kind in WIDGET_KINDS}
    counts["select_slider"] -= len(sliders)  # volume, growth, cache hit rate
    counts["slider"] -= 1  # horizon
    counts["selectbox"] -= len(pickers)
    # the fine-tuned option's picker is in the option editor: open it to read its options
    at.radio(key=EDITOR).set_value(at.radio(key=EDITOR).options[1]).run()
    pickers += [(w.label, list(w.options)) for w in at.selectbox if w.label == TUNED]
    data = {
        "select_sliders": sliders,
        "horizon": int(next(w.value for w in at.slider if w.label == HORIZON)),
        "pickers": pickers,
        "more": counts,
        "grid": [str(i) for i in range(20)],
        "verdict": at.success[0].value if at.success else at.warning[0].value,
        "headline": [m.label for m in at.metric][:5],
        "markdown": [m.value for m in at.markdown],
        "charts": [c.proto.spec for c in at.get("plotly_chart")],
        "tables": [t.value.to_json(orient="split") for t in at.dataframe],
    }
    path = folder / "prepared.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def headline(page: Any) -> list[str]:
    values = page.get_by_test_id("stMetricValue")
    return [values.nth(i).inner_text() for i in range(min(values.count(), 5))]


def wait_for_new_headline(page: Any, before: list[str]) -> None:
    """Until the first five metric values differ from ``before`` (polled every frame)."""
    page.wait_for_function(
        """before => {
            const v = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                .slice(0, 5).map(e => e.innerText);
            return v.length === before.length && v.some((x, i) => x !== before[i]);
        }""",
        arg=before,
        polling="raf",
        timeout=CHANGE_TIMEOUT_MS,
    )


def settle(page: Any) -> None:
    """Wait until no element is stale and the script is not running."""
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]') &&
                 !document.querySelector('[data-testid="stStatusWidget"]')""",
        polling=100,
        timeout=120_000,
    )
    time.sleep(0.3)


def median(values: list[float]) -> float:
    """Median of the runs whose headline changed (NaN if none did)."""
    changed = [v for v in values if not math.isnan(v)]
    return statistics.median(changed) if changed else math.nan


def move_slider(page: Any, label: str, step: int) -> Callable[[], None]:
    handle = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")

    def act() -> None:
        handle.focus()
        page.keyboard.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")

    return act


def show_picker(page: Any, label: str) -> None:
    """Open the option whose picker is ``label`` in the dashboard's editor (untimed)."""
    if page.get_by_test_id("stSelectbox").filter(has_text=label).count():
        return
    editor = page.get_by_test_id("stRadio").first
    if editor.count():
        editor.get_by_role("radio").nth(1).check(force=True)
        settle(page)


def pick(page: Any, label: str, step: int) -> Callable[[], None]:
    show_picker(page, label)
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)

    def act() -> None:  # the 2nd and 3rd listed options in turn: each move changes the model
        box.locator("input").click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=CHANGE_TIMEOUT_MS)
        options.nth(min(1 if step % 2 == 0 else 2, options.count() - 1)).click()

    return act


def timed_change(page: Any, act: Callable[[], None]) -> float:
    """Seconds to new headline figures; NaN when the change or the update failed."""
    from playwright.sync_api import Error as PlaywrightError

    settle(page)
    before = headline(page)
    start = time.perf_counter()
    try:
        act()
        wait_for_new_headline(page, before)
    except PlaywrightError:
        page.keyboard.press("Escape")  # close a menu left open
        return math.nan
    return time.perf_counter() - start


def fresh_session(browser: Any, url: str) -> float:
    """Seconds from opening the address to the headline figures; NaN when they never came."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    try:
        page.goto(url)
        page.get_by_test_id("stMetricValue").nth(4).wait_for(timeout=120_000)
    except PlaywrightError:
        return math.nan
    finally:
        elapsed = time.perf_counter() - start
        context.close()
    return elapsed


def open_page(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(url)
    page.get_by_test_id("stMetricValue").first.wait_for()
    page.get_by_test_id("stExpander").filter(has_text=CACHE_SECTION).locator("summary").click()
    settle(page)
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="alternating runs per control")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bare = folder / "bare.py"
        constants = f"CACHE = {CACHE!r}\nHORIZON = {HORIZON!r}\nCACHE_SECTION = {CACHE_SECTION!r}\n"
        path = prepared_data(folder)
        bare.write_text(constants + BARE.replace("PATH", repr(str(path))), encoding="utf-8")
        with (
            served(ROOT / "app.py", ROOT) as app_url,
            served(bare, folder) as bare_url,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pages = {"dashboard": open_page(browser, app_url), "bare": open_page(browser, bare_url)}
            times: dict[str, dict[str, list[float]]] = {}
            controls: list[tuple[str, Callable[[Any, str, int], Callable[[], None]]]] = [
                *((label, move_slider) for label in SLIDERS),
                *((label, pick) for label in PICKERS),
            ]
            for label, control in controls:  # pickers last: a new model may hide a slider
                for page in pages.values():  # one untimed change: first-use costs aside
                    timed_change(page, control(page, label, 1))
                for step in range(args.runs):
                    for side, page in pages.items():
                        seconds = timed_change(page, control(page, label, step))
                        times.setdefault(label, {}).setdefault(side, []).append(seconds)
            for _ in range(args.runs):
                for side, url in (("dashboard", app_url), ("bare", bare_url)):
                    seconds = fresh_session(browser, url)
                    times.setdefault("fresh session", {}).setdefault(side, []).append(seconds)
            browser.close()
    rows = [["control", "dashboard s", "bare page s", "ratio"]]
    for label, sides in times.items():
        ours, reference = median(sides["dashboard"]), median(sides["bare"])
        failed = sum(math.isnan(v) for values in sides.values() for v in values)
        note = f" ({failed} runs failed)" if failed else ""
        rows.append([label, f"{ours:.2f}", f"{reference:.2f}", f"{ours / reference:.2f}x{note}"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = enumerate(zip(row, widths, strict=True))
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in cells))
    print(
        f"medians of {args.runs} alternating runs in headless Chromium; time from the change "
        f"to new headline figures; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
