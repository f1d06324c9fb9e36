"""``python -m desertgeo`` runs the command line."""

import sys

from desertgeo.cli import main

sys.exit(main())
