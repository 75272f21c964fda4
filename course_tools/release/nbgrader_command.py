"""`python -m course_tools.release.nbgrader_command ARGS`: nbgrader's own command line, started as a course
process, so that it skips what `course_tools/__init__.py` leaves out (about 2-4 s per nbgrader run)."""

import course_tools  # noqa: F401  (imported first: its import settings apply to nbgrader's)
from nbgrader.apps.nbgraderapp import main

if __name__ == "__main__":
    main()
