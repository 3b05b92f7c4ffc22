"""Run command lines of ``costmodel`` one after another in this process and report each.

Started by the hostile tests as a subprocess with an address-space limit
(``resource.setrlimit``): reads a JSON list of argument lists on stdin and
prints one JSON object per run with the exit code, what went to stderr,
whether a traceback escaped, the CPU and wall seconds taken and the peak memory
the run added. A run is stopped and reported when it uses more CPU time than
the bound (a busy loop), or when it takes :data:`WALL_FACTOR` times the bound
in wall time (a run that waits forever): CPU time does not depend on how busy
the machine is, so a loaded machine cannot make a quick run look hung.
"""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
import time
import traceback
from pathlib import Path

from costmodel.cli import main

STATUS = Path("/proc/self/status")
WALL_FACTOR = 4


class Timeout(BaseException):
    """The run took longer than its bound."""


def _stop(signum: int, frame: object) -> None:
    raise Timeout


def _kb(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def run(argv: list[str], seconds: int) -> dict[str, object]:
    """One command line, measured."""
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) restarts from here
    before = _kb("VmRSS")
    out, err = io.StringIO(), io.StringIO()
    escaped = ""
    start, start_cpu = time.perf_counter(), time.process_time()
    signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time of every thread
    signal.alarm(seconds * WALL_FACTOR)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Timeout:
        code, escaped = -1, f"no answer within {seconds} s of CPU time"
    except BaseException:
        code, escaped = 1, traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
    return {
        "argv": argv,
        "code": code,
        "stderr": err.getvalue(),
        "stdout": out.getvalue()[:2000],
        "traceback": escaped,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - start_cpu,
        "peak_mb": (_kb("VmHWM") - before) / 1024,
    }


def stop_on_bounds() -> None:
    """Both bounds end the run they interrupt (see :func:`run`)."""
    signal.signal(signal.SIGALRM, _stop)
    signal.signal(signal.SIGPROF, _stop)


if __name__ == "__main__":
    stop_on_bounds()
    bound = int(sys.argv[1])
    for argv in json.load(sys.stdin):
        print(json.dumps(run(argv, bound)), flush=True)
