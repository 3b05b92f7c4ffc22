"""``python -m costmodel`` runs the command line."""

from costmodel.cli import entry

entry()
