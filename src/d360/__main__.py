"""`python -m d360`: the same as the `d360` command."""

import sys

from d360.cli import main

sys.exit(main())
