"""Run the command line as ``python -m stubgen``: the same as the ``nbapi`` command."""

import sys

from stubgen.cli import main

sys.exit(main())
