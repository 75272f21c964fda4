"""`course submit`: not built yet; see the project's open issues."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args) -> int:
    print("course submit is not available in this version yet.", file=sys.stderr)
    return 2
