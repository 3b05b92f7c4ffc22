"""``costmodel demo DIR``: copy the demo scenario and its sample files into a folder.

Every example in the README then runs from that folder, wherever the package
was installed.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from costmodel.cli import COMMAND_HELP
from costmodel.errors import CostModelError

FILES = ("scenario.yaml", "support_prompts.jsonl", "support_train.jsonl")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo",
        help=COMMAND_HELP["demo"],
        description="Copy the demo scenario (scenario.yaml), its sample prompts "
        "(support_prompts.jsonl) and its fine-tuning file (support_train.jsonl) into DIR, "
        "to try every command on them. Existing files are never overwritten.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder to copy them into")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from costmodel.demo import DEMO_DIR

    folder: Path = args.folder
    taken = [name for name in FILES if (folder / name).exists()]
    if taken:
        verb = "exists" if len(taken) == 1 else "exist"
        raise CostModelError(f"{folder}: {', '.join(taken)} already {verb}; choose another folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            shutil.copyfile(DEMO_DIR / name, folder / name)
    except OSError as exc:
        raise CostModelError(f"{folder}: cannot write ({exc.strerror})") from None
    print(f"wrote {', '.join(str(folder / name) for name in FILES)}")
    return 0
