"""Check the sandbox that `course grade` would run student code in, and say how to fix what does not work.

Starts one worker exactly as grading would (no student code), then judges from the outside what it
could see and do: its namespaces, its uid, the grader's files and the host's network. Exit status 0
when grading can start, 2 when `course grade` would refuse. COURSE_SANDBOX picks the mode checked.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "Modes (COURSE_SANDBOX): bubblewrap (default), none (unsafe opt-in), container, own (course check)."


def main() -> int:
    """`course sandbox-check`: print the self-check's findings and fix; 0 when grading can start, else 2."""
    from ..sandbox.selfcheck import self_check  # imported here: `course --help` stays fast

    result = self_check()
    print("\n".join(result.lines()), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 2

