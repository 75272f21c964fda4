"""Is every unconfined mode loud and asked for, and does the sandbox show the worker only the Python it needs?
(quick: no worker starts; grading/sandbox.py, batch/admission.py, commands/grade.py)"""

from __future__ import annotations

import sys

from course_tools.batch.admission import mode_problems
from course_tools.commands import grade
from course_tools import sandbox
from course_tools.sandbox import selfcheck


def test_only_python_folders_are_bound(tmp_path, monkeypatch):
    """Is a sys.path entry outside the Python installation (a Dask worker's scratch space, the course root)
    left out of the sandbox, while site-packages stays in?"""
    scratch = tmp_path / "dask-scratch-space" / "worker-1"
    scratch.mkdir(parents=True)
    packages = tmp_path / "elsewhere" / "site-packages"
    packages.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(scratch), str(packages)])
    targets = {target for _, target in sandbox.python_binds()}
    assert str(scratch) not in targets  # another submission's spilled data may be there
    assert str(packages) in targets  # a venv's packages, wherever they are, are needed
    assert str(sandbox.COURSE_ROOT) not in targets  # solutions/ and the graders stay hidden


def test_a_worker_unconfined_on_its_own_is_refused(monkeypatch):
    """Is a worker started with COURSE_SANDBOX=none refused by a coordinator that grades under bubblewrap,
    and admitted only when the coordinator opted into the same mode?"""
    monkeypatch.setenv(sandbox.MODE_ENV, sandbox.NONE)
    refused = mode_problems(sandbox.BUBBLEWRAP)
    assert refused and f"{sandbox.MODE_ENV}=none" in refused[0]
    assert mode_problems(sandbox.NONE) == []  # the coordinator's own --unsafe-no-sandbox
    monkeypatch.delenv(sandbox.MODE_ENV)
    assert mode_problems(sandbox.BUBBLEWRAP) == []  # bubblewrap is always welcome


class _Report:
    ok = True

    def lines(self):
        return []


def test_the_environment_opt_in_is_as_loud_as_the_flag(monkeypatch, capsys):
    """Does COURSE_SANDBOX=none in the environment print the same warning as --unsafe-no-sandbox, and
    COURSE_SANDBOX=container say that the container is the only sandbox?"""
    monkeypatch.setattr(selfcheck, "self_check", lambda: _Report())  # the gate itself is tested in test_selfcheck
    monkeypatch.setenv(sandbox.MODE_ENV, sandbox.NONE)
    assert grade._sandbox_refusal(unsafe_no_sandbox=False) is None
    assert "WITHOUT a sandbox" in capsys.readouterr().err
    monkeypatch.setenv(sandbox.MODE_ENV, sandbox.CONTAINER)
    grade._sandbox_refusal(unsafe_no_sandbox=False)
    assert "the container is the only sandbox" in capsys.readouterr().err
    monkeypatch.delenv(sandbox.MODE_ENV)
    grade._sandbox_refusal(unsafe_no_sandbox=False)
    assert capsys.readouterr().err == ""  # bubblewrap: nothing to warn about
