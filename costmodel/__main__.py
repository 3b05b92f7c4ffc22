"""``python -m costmodel`` runs the command line."""

import sys

from costmodel.cli import main

sys.exit(main())
