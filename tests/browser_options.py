"""How the browser tests and the dashboard benchmark start headless Chromium.

Debian's Chromium, driven by Playwright; the flags keep it from reaching the
network on its own (updates, sync, background requests) and let it run as
root in a container without a GPU.
"""

from __future__ import annotations

import socket

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A local TCP port nothing listens on, for a dashboard server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
