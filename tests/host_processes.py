"""What the host sees of a submission's processes: the tests' oracle for 'nothing left running'."""

import os


def processes_with(marker: str) -> list[int]:
    """Host pids whose command line contains `marker`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def processes_inheriting(name: str, value: str) -> list[int]:
    """Host pids started with environment variable `name`=`value`: a process and everything it started
    (forked children show their parent's start-up environment), even once orphaned."""
    entry, found = f"{name}={value}".encode(), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if entry in f.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            pass
    return found
