"""What /proc says of this process: its status fields, its capability sets and its mount table, each read once here.

Stdlib only: this module is staged into the sandbox with the rest of the worker package.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

CAPABILITY_SETS = ("CapEff", "CapPrm", "CapInh", "CapAmb")


def status() -> dict[str, str]:
    """/proc/self/status as {field: value}, values stripped."""
    with open("/proc/self/status") as table:
        return {name: value.strip() for name, value in (line.split(":", 1) for line in table if ":" in line)}


def capabilities() -> dict[str, int]:
    """This process's capability sets (effective, permitted, inheritable, ambient)."""
    fields = status()
    return {name: int(fields[name], 16) for name in CAPABILITY_SETS}


@dataclass(frozen=True)
class Mount:
    """One line of /proc/self/mountinfo: where, which file system, read-only or not, its size= option ('' if none)."""

    point: str
    fstype: str
    read_only: bool
    size: str


def _unescape(raw: bytes) -> str:
    """mountinfo escapes space, tab, newline and backslash in octal (a space is \\040)."""
    return os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw))


def mounts() -> list[Mount]:
    """This process's mounts, in mount order (a later mount at the same point covers an earlier one)."""
    found = []
    with open("/proc/self/mountinfo", "rb") as table:
        for line in table:
            fields = line.split()
            after = fields.index(b"-")
            options, super_options = fields[5].split(b","), fields[after + 3].split(b",")
            size = next((o.decode() for o in super_options if o.startswith(b"size=")), "")
            found.append(Mount(_unescape(fields[4]), fields[after + 1].decode(), b"ro" in options, size))
    return found
