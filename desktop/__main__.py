"""``python -m desktop`` runs the gaitdeck command line."""

import sys

from desktop.cli import main

sys.exit(main())
