"""`python -m bot` is the same as the `kawan` command."""

import sys

from bot.cli import main

# Guarded: the Rasa action server's worker processes re-import the main module when they start.
if __name__ == "__main__":
    sys.exit(main())
