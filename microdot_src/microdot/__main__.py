"""``python -m microdot`` / ``micropython -m microdot``: see microdot.cli."""
import sys
from microdot.cli import main

sys.exit(main())
