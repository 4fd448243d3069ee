"""`python -m orchestration.cli ...` is `tryghed ...`."""

import sys

from orchestration.cli.main import main

sys.exit(main())
