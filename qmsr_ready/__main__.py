"""``python -m qmsr_ready``: the same as the ``qmsr-ready`` command."""

import sys

from qmsr_ready.cli import main

if __name__ == "__main__":
    sys.exit(main())
