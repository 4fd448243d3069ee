import sys

from assets.statusrapport.cli import main

sys.exit(main())
