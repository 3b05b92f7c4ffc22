"""What a dashboard user waits for, in a real browser, against a bare Streamlit page.

Run by hand: ``python benchmarks/bench_app.py [--runs 5]`` (needs Chromium at
/usr/bin/chromium and Playwright's Python package).

Three servers run side by side on local ports: the dashboard (``app.py``)
and two bare pages built in this run from data prepared beforehand, so they
compute nothing; their headline metrics only echo the controls' values.
Headless Chromium drives all three. Measured for each main control (volume,
growth, horizon, cache hit rate, both model pickers): the time from changing
the control to the moment the headline figures show new values; and for a
fresh session: from opening the address to the headline figures. The pages
alternate run by run; each figure is the median. Nothing here is a test; it
prints a table.

The first bare page is the one these figures were first measured against:
the same controls (labels and options), as many sliders, number fields,
select boxes, toggles and text fields, the same metrics, charts and tables,
and its charts never change, so the browser never draws them again after a
change, while the dashboard's charts show new data and are drawn anew. The
second has the dashboard's elements: as many of every widget kind (check
boxes, buttons, option groups, date and text areas too), headers, captions,
expanders, columns and tabs, the headline figures in the same bordered row;
and on a change of any control it shows the next of three sets of the
dashboard's own charts and tables, read beforehand at three settings: the
same drawing work as the dashboard, minus the computing.
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from browser_options import ARGS, CHROMIUM, free_port  # noqa: E402  (after the path above)

from ui.sidebar import GROWTH as GROWTH_LOW  # noqa: E402
from ui.sidebar import GROWTH_HIGH, VOLUMES  # noqa: E402

GROWTH_GRID = GROWTH_LOW + GROWTH_HIGH

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
ELEMENT_KINDS = (
    *WIDGET_KINDS,
    *("checkbox", "radio", "button", "date_input", "text_area", "button_group"),
    *("header", "caption", "expander"),
)

# The bare page as first written: the same controls, the same numbers of some
# other widget kinds, every other element drawn from prepared data; its charts
# never change; its headline metrics only echo the controls' values.
BARE = """
import io
import json
import pandas as pd
import streamlit as st

@st.cache_resource
def prepared(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    d["charts"] = [json.loads(spec) for spec in d["charts"][0]]
    d["tables"] = [pd.read_json(io.StringIO(t), orient="split") for t in d["tables"][0]]
    return d

d = prepared(PATH)
more = d["more_before"]
values = []
with st.sidebar:
    for label, options, index in d["select_sliders"]:
        if label == CACHE:
            continue
        values.append(st.select_slider(label, options, value=options[index]))
    values.append(st.slider(HORIZON, 1, 120, d["horizon"]))
    for label, options in d["pickers"]:
        values.append(st.selectbox(label, options))
    for i in range(more["slider"]):
        st.slider(f"slider {i}", 1, 120, 12)
    for i in range(more["select_slider"]):
        st.select_slider(f"grid {i}", d["grid"])
    for i in range(more["number_input"]):
        st.number_input(f"number {i}", min_value=0.0, value=1.0)
    for i in range(more["selectbox"]):
        st.selectbox(f"choice {i}", d["grid"])
    for i in range(more["text_input"]):
        st.text_input(f"text {i}")
    with st.expander(CACHE_SECTION):
        for i in range(more["toggle"]):
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

# The bare page with the dashboard's elements: the same controls, as many of
# every other widget, text element, expander, column and tab, the same wide
# layout and help icons, the headline figures in the same bordered row; a
# change of any control shows the next of the prepared sets of the
# dashboard's own charts and tables, as the dashboard shows new ones. It
# computes nothing.
SAME = """
import datetime as dt
import io
import json
import pandas as pd
import streamlit as st

@st.cache_resource
def prepared(path):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    d["charts"] = [[json.loads(spec) for spec in charts] for charts in d["charts"]]
    d["tables"] = [
        [pd.read_json(io.StringIO(t), orient="split") for t in tables] for tables in d["tables"]
    ]
    return d

st.set_page_config(layout="wide")
d = prepared(PATH)
more = d["more"]
H = "Help text."
values = []
with st.sidebar:
    for i in range(more["header"]):
        st.header(f"Section {i}")
    for label, options, index in d["select_sliders"]:
        if label == CACHE:
            continue
        values.append(st.select_slider(label, options, value=options[index], help=H))
    values.append(st.slider(HORIZON, 1, 120, d["horizon"], help=H))
    for label, options in d["pickers"]:
        values.append(st.selectbox(label, options, help=H))
    for i in range(more["date_input"]):
        st.date_input(f"date {i}", value=dt.date(2026, 1, 1), help=H)
    for i in range(more["radio"]):
        st.radio(f"radio {i}", d["grid"][:3], help=H)
    with st.container(horizontal=True):
        for i in range(more["button"]):
            st.button(f"button {i}", help=H)
    with st.expander(CACHE_SECTION):
        for i in range(more["toggle"]):
            st.toggle(f"toggle {i}", help=H)
        for label, options, index in d["select_sliders"]:
            if label == CACHE:
                values.append(st.select_slider(label, options, value=options[index], help=H))
    for e in range(more["expander"] - 1):
        with st.expander(f"Section {e}", expanded=e == 0):
            if e == 0:
                for i in range(more["slider"]):
                    st.slider(f"slider {i}", 1, 120, 12, help=H)
                for i in range(more["select_slider"]):
                    st.select_slider(f"grid {i}", d["grid"], help=H)
                for i in range(more["number_input"]):
                    st.number_input(f"number {i}", min_value=0.0, value=1.0, help=H)
                for i in range(more["checkbox"]):
                    st.checkbox(f"check {i}", help=H)
            else:
                for i in range(more["selectbox"] if e == 1 else 0):
                    st.selectbox(f"choice {i}", d["grid"], help=H)
                for i in range(more["button_group"] if e == 1 else 0):
                    st.segmented_control(f"segment {i}", ["a", "b"], default="a", help=H)
                for i in range(more["text_input"] if e == 2 else 0):
                    st.text_input(f"text {i}", help=H)
                for i in range(more["text_area"] if e == 2 else 0):
                    st.text_area(f"notes {i}", help=H)
st.title(d["title"])
head = st.container()
tabs = st.tabs(d["tabs"], key="tab", on_change="rerun")
with head:
    for column, (label, options) in zip(st.columns(2), d["head_pickers"]):
        column.selectbox(label, options, help=H)
    st.success(d["verdict"])
    echo = str(abs(hash(tuple(map(str, values)))))
    with st.container(horizontal=True, gap="small"):
        for i, label in enumerate(d["headline"]):
            st.metric(label, echo[i : i + 6], help=H, width="content", border=True)
    for text in d["info"]:
        st.info(text)
    for i in range(more["caption"]):
        st.caption(d["captions"][i % len(d["captions"])])
    with st.container(border=True):
        for text in d["markdown"]:
            st.markdown(text)
shown = 0
if st.session_state.get("values") != values:  # the next prepared set after a change
    st.session_state["values"] = values
    st.session_state["shown"] = (st.session_state.get("shown", -1) + 1) % len(d["charts"])
shown = st.session_state["shown"]
if tabs[0].open:
    with tabs[0]:
        for i, text in enumerate(d["subheaders"]):
            st.subheader(text)
            st.caption(d["captions"][i % len(d["captions"])])
        for figure in d["charts"][shown]:
            st.plotly_chart(figure)
        for table in d["tables"][shown]:
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
    head_pickers = [(w.label, list(w.options)) for w in at.main.selectbox]
    before = {kind: len(getattr(at, kind)) for kind in WIDGET_KINDS}
    counts = {kind: len(getattr(at, kind)) for kind in ELEMENT_KINDS}
    for kinds in (before, counts):
        kinds["select_slider"] -= len(sliders)  # volume, growth, cache hit rate
        kinds["slider"] -= 1  # horizon
        kinds["selectbox"] -= len(pickers)
    counts["selectbox"] -= len(head_pickers)
    counts["caption"] -= len(at.subheader)  # one under each subheader
    charts = [[c.proto.spec for c in at.get("plotly_chart")]]
    tables = [[t.value.to_json(orient="split") for t in at.dataframe]]
    for label, grid in ((VOLUME, VOLUMES), (GROWTH, GROWTH_GRID)):  # two more settings
        widget = next(w for w in at.select_slider if w.label == label)
        current: Any = widget.value
        widget.set_value(min(v for v in grid if v > current)).run()
        charts.append([c.proto.spec for c in at.get("plotly_chart")])
        tables.append([t.value.to_json(orient="split") for t in at.dataframe])
    # the fine-tuned option's picker is in the option editor: open it to read its options
    at.radio(key=EDITOR).set_value(at.radio(key=EDITOR).options[1]).run()
    pickers += [(w.label, list(w.options)) for w in at.selectbox if w.label == TUNED]
    data = {
        "select_sliders": sliders,
        "horizon": int(next(w.value for w in at.slider if w.label == HORIZON)),
        "pickers": pickers,
        "more_before": before,
        "more": counts,
        "head_pickers": head_pickers,
        "title": at.title[0].value,
        "tabs": [t.label for t in at.tabs],
        "subheaders": [h.value for h in at.subheader],
        "captions": [c.value for c in at.caption],
        "info": [i.value for i in at.info],
        "grid": [str(i) for i in range(20)],
        "verdict": at.success[0].value if at.success else at.warning[0].value,
        "headline": [m.label for m in at.metric][:5],
        "markdown": [m.value for m in at.markdown],
        "charts": charts,
        "tables": tables,
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
        path = prepared_data(folder)
        constants = f"CACHE = {CACHE!r}\nHORIZON = {HORIZON!r}\nCACHE_SECTION = {CACHE_SECTION!r}\n"
        for name, page in (("bare.py", BARE), ("same.py", SAME)):
            script = constants + page.replace("PATH", repr(str(path)))
            (folder / name).write_text(script, encoding="utf-8")
        with (
            served(ROOT / "app.py", ROOT) as app_url,
            served(folder / "bare.py", folder) as bare_url,
            served(folder / "same.py", folder) as same_url,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            urls = {"dashboard": app_url, "bare": bare_url, "same": same_url}
            pages = {side: open_page(browser, url) for side, url in urls.items()}
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
                for side in urls:
                    seconds = fresh_session(browser, urls[side])
                    times.setdefault("fresh session", {}).setdefault(side, []).append(seconds)
            browser.close()
    print_table(times, args.runs)


def print_table(times: dict[str, dict[str, list[float]]], runs: int) -> None:
    """Medians, and ratios against each bare page."""
    rows = [["control", "dashboard s", "bare s", "ratio", "same elements s", "ratio"]]
    for label, sides in times.items():
        ours = median(sides["dashboard"])
        row = [label, f"{ours:.2f}"]
        for side in ("bare", "same"):
            reference = median(sides[side])
            row += [f"{reference:.2f}", f"{ours / reference:.2f}x"]
        failed = sum(math.isnan(v) for values in sides.values() for v in values)
        row[-1] += f" ({failed} runs failed)" if failed else ""
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = enumerate(zip(row, widths, strict=True))
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in cells))
    print(
        f"medians of {runs} alternating runs in headless Chromium; time from the change "
        f"to new headline figures; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.2f} at the end"
    )


if __name__ == "__main__":
    main()
