import sys

from assets.report.cli import main

sys.exit(main())
