"""The worker's one Confinement (course_tools/worker/confinement.py): its description and its entry."""

import json
import os
import subprocess
import sys

import pytest

from course_tools import sandbox
from course_tools.worker import confinement, proc_self


def test_a_confinement_survives_its_trip_to_the_worker():
    """Is a Confinement read back equal after the JSON that carries it (environment variable or request)?"""
    sent = confinement.Confinement(sandbox.Limits(cpu_seconds=7), uid=1_234_567, processes=9)
    assert confinement.Confinement.from_dict(json.loads(json.dumps(sent.to_dict()))) == sent  # oracle: the original


def test_a_cold_worker_without_a_description_refuses_to_start(tmp_path):
    """Does a worker started without COURSE_CONFINEMENT stop before it reads a request, saying why,
    rather than run unconfined?"""
    stage = sandbox.stage_worker(tmp_path / "stage")
    done = subprocess.run([sys.executable, *sandbox.WORKER_COMMAND], cwd=tmp_path, input=b"", capture_output=True,
                          env={"PYTHONPATH": str(stage), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode != 0 and b"COURSE_CONFINEMENT is not set" in done.stderr, done.stderr[-800:]
    assert done.stdout == b""  # no READY frame: no request would ever be read


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping root needs root")
def test_dropping_root_leaves_no_privilege():
    """After drop_to, has the process left uid 0, every group and every capability set (the inheritable
    one included), and can it not become root again?"""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(read)
            confinement.drop_to(2_000_123)
            try:
                os.setuid(0)
                regained = True
            except PermissionError:
                regained = False
            facts = {"uid": os.getuid(), "groups": os.getgroups(), "caps": proc_self.capabilities(), "regained": regained}
            os.write(write, json.dumps(facts).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        facts = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert facts == {"uid": 2_000_123, "groups": [], "caps": dict.fromkeys(("CapEff", "CapPrm", "CapInh", "CapAmb"), 0),
                     "regained": False}  # oracle: the kernel's /proc view of the child
