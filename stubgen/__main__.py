"""Run the command line: ``python -m stubgen VERB MODULE``."""

import sys

from stubgen.cli import main

sys.exit(main())
