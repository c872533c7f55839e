"""``python -m heimatruhr_geo``: the operators' command line."""

import sys

from heimatruhr_geo.cli import main

sys.exit(main())
