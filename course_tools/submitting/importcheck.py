"""Does each exercise module import? Checked in a child process with a time limit, never in ours.

A module that loops or blocks at import time would otherwise hang `course submit`; in a child
process the time limit ends it, and the last module it started importing is the culprit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..i18n import _

IMPORT_TIMEOUT = 120.0

_CHILD = r"""
import importlib, json, sys, traceback
sys.path.insert(0, sys.argv[1])
for module in sys.argv[2:]:
    print(json.dumps({"start": module}), flush=True)
    try:
        importlib.import_module("course_lib." + module)
        print(json.dumps({"module": module, "ok": True}), flush=True)
    except BaseException as error:
        last = traceback.extract_tb(error.__traceback__)[-1:]
        where = f" (line {last[0].lineno})" if last and "course_lib" in last[0].filename else ""
        print(json.dumps({"module": module, "ok": False, "error": f"{type(error).__name__}: {error}{where}"[:500]}), flush=True)
"""


def import_problems(root: Path, modules, timeout: float = IMPORT_TIMEOUT) -> dict[str, str]:
    """{module: why it does not import} for root/course_lib/<module>.py; empty when all import."""
    argv = [sys.executable, "-c", _CHILD, str(Path(root).resolve()), *modules]
    try:
        run = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=root, stdin=subprocess.DEVNULL)
        stdout, crashed = run.stdout, run.returncode != 0
    except subprocess.TimeoutExpired as expired:  # its captured output is bytes even with text=True
        output = expired.stdout or b""
        stdout = output.decode(errors="replace") if isinstance(output, bytes) else output
        crashed = None
    problems, started, finished = {}, None, set()
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # the module printed something of its own
        if not isinstance(event, dict):
            continue
        if "start" in event:
            started = event["start"]
        elif event.get("module") in modules:
            finished.add(event["module"])
            if not event.get("ok"):
                problems[event["module"]] = event.get("error", _("it does not import"))
    if started and started not in finished:
        problems[started] = (_("importing it took more than {seconds} s (a loop or a long computation at import time?)").format(
            seconds=f"{timeout:g}") if crashed is None else _("importing it ended the Python process (exit() or a crash at import time?)"))
    for module in modules:
        if module not in finished and module not in problems:
            problems[module] = _("not checked: an earlier module stopped the import check")
    return problems
