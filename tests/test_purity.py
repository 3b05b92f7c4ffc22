"""The core never imports the UI framework: importing every module leaves it out."""

from __future__ import annotations

import subprocess
import sys


def test_costmodel_does_not_import_streamlit():
    code = (
        "import pkgutil, importlib, sys, costmodel\n"
        "for m in pkgutil.walk_packages(costmodel.__path__, 'costmodel.'):\n"
        "    if m.name != 'costmodel.__main__':\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
