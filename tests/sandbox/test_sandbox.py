"""Does the worker's sandbox hold? Code run in it reads none of the instructor's files, reaches no
network, writes only its scratch space, cannot fork-bomb or memory-bomb the machine, and leaves no
process behind; hangs cost seconds. Every test runs on a cold worker (its own bubblewrap sandbox)
and on a warm one (forked from the zygote, sandbox/zygote.py). The oracle is the host: /proc, the
file tree and a TCP listener."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import torch

from course_tools import sandbox
from host_processes import processes_with
from course_tools.sandbox import zygote
from course_tools.worker import confinement
from course_tools.sandbox.client import StudentError, Worker, WorkerFailure
from course_tools.judge.submission import stage
from submissions import reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]

# Appended to the reference softmax.py: functions the tests call in the worker through the `call` probe.
PROBES = '''
import os as _os


def probe_files(paths):
    """For each path: 'denied' or what could be done with it."""
    found = {}
    for path in paths:
        try:
            if _os.path.isdir(path):
                found[path] = "listed " + ",".join(sorted(_os.listdir(path))[:5])
            else:
                with open(path, "rb") as f:
                    found[path] = "read %d bytes" % len(f.read(100))
        except OSError as error:
            found[path] = "denied: %s" % type(error).__name__
    return found


def probe_walk(names):
    """Every visible file whose name is in `names`, walking the whole visible tree but /proc, /sys and /dev."""
    hits = []
    for top, dirs, files in _os.walk("/"):
        if top == "/":
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        hits += [_os.path.join(top, f) for f in files if f in names]
    return hits


def probe_import(name):
    import importlib
    try:
        return str(importlib.import_module(name).__file__)
    except Exception as error:
        return "failed: %s" % type(error).__name__


def probe_network(port):
    import socket
    results = {}
    for host in ("127.0.0.1", "1.1.1.1", "pypi.org"):
        try:
            socket.create_connection((host, port if host == "127.0.0.1" else 443), timeout=2).close()
            results[host] = "connected"
        except OSError as error:
            results[host] = "failed: %s" % type(error).__name__
    return results


def probe_write(paths):
    done = {}
    for path in paths:
        try:
            with open(path, "w") as f:
                f.write("tampered")
            done[path] = "written"
        except OSError as error:
            done[path] = "denied: %s" % type(error).__name__
    return done


def probe_fill(folder, megabytes):
    """Write up to `megabytes` MiB into folder in 16 MiB files; return how many MiB made it."""
    written = 0
    try:
        for i in range(megabytes // 16):
            with open(_os.path.join(folder, "fill%d" % i), "wb") as f:
                f.write(b"x" * (16 << 20))
            written += 16
    except OSError:
        pass
    return written


def probe_fork_bomb(marker):
    """Fork children that sleep until killed; return the uid and how many forks succeeded."""
    import time
    count = 0
    try:
        while count < 10000:
            if _os.fork() == 0:
                _os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 300; echo " + marker])
            count += 1
    except OSError:
        pass
    return [_os.getuid(), count]


def probe_memory_bomb():
    """Allocate 256 MiB blocks until refused; return how many GiB were held."""
    blocks = []
    try:
        while len(blocks) < 200:
            blocks.append(bytearray(256 << 20))
    except MemoryError:
        pass
    return len(blocks) / 4


def probe_escape(marker):
    """Leave processes behind: a double-forked setsid daemon and a new-session child."""
    import subprocess
    subprocess.Popen(["/bin/sh", "-c", "sleep 300; echo " + marker], start_new_session=True)
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            _os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 301; echo " + marker])
        _os._exit(0)
    return _os.getpid()


def probe_environment():
    return dict(_os.environ)


def probe_loop():
    while True:
        pass


def probe_cycle():
    cycle = []
    cycle.append(cycle)
    return cycle
'''


@pytest.fixture(scope="module", params=["cold", "warm"])
def start(request):
    """How workers start: cold (bwrap per worker) or warm (forked from the zygote); the stage folder to use."""
    if request.param == "cold":
        return None
    assert zygote.unavailable() is None  # root, bwrap: the warm path really runs here
    started = zygote.shared()
    started.wait_ready()
    return started


def stage_for(start, source, tmp_path: Path):
    """Stage `source` where the worker can be given it: under the zygote's stages when warm."""
    folder = Path(tempfile.mkdtemp(dir=start.stages)) if start else tmp_path
    return stage(source, ROOT / "course_lib", folder / "stage")


def new_worker(start, staged, **options) -> Worker:
    return Worker(staged.dir, zygote=start.socket_path if start else None, **options)


@pytest.fixture(scope="module")
def staged(tmp_path_factory, start):
    """The reference with the probe functions appended to softmax.py, staged for a worker."""
    source = reference_submission(tmp_path_factory.mktemp("probe-submission"), append={"softmax": PROBES})
    return stage_for(start, source, tmp_path_factory.mktemp("probe-stage"))


@pytest.fixture(scope="module")
def worker(staged, start):
    w = new_worker(start, staged)
    yield w
    w.close()


def run(worker, name, *args):
    return worker.request("call", "softmax", name=name, args=list(args))["result"]


def processes_of(uid: int) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = open(f"/proc/{pid}/status").read()
        except OSError:
            continue
        if f"\nUid:\t{uid}\t" in status:
            found.append(int(pid))
    return found


def wait_until_gone(find, seconds=5.0):
    deadline = time.monotonic() + seconds
    while find() and time.monotonic() < deadline:
        time.sleep(0.1)
    return find()


def test_bubblewrap_is_the_default_and_works_here(monkeypatch):
    """Is bubblewrap the mode when nothing is asked for, and does it work here (make test installs it)?"""
    monkeypatch.delenv(sandbox.MODE_ENV, raising=False)
    assert sandbox.bubblewrap_error() is None
    assert sandbox.mode() == sandbox.BUBBLEWRAP


def test_a_broken_bubblewrap_refuses_instead_of_falling_back(monkeypatch, staged):
    """With bwrap broken and no opt-in, does starting a worker raise before any process starts?"""
    monkeypatch.delenv(sandbox.MODE_ENV, raising=False)
    monkeypatch.setattr(sandbox, "bubblewrap_error", lambda: "bwrap cannot create its namespaces here: pretended")
    with pytest.raises(sandbox.SandboxUnavailable, match="refuses to run student code unconfined"):
        sandbox.start_worker(staged.dir, staged.dir)


def test_no_file_of_the_instructor_is_readable(worker, staged):
    """Can code in the sandbox read nothing under solutions/ or graders/, the repo, the data or the staging area?"""
    secrets = [ROOT / "solutions" / "course_lib" / "softmax.py", ROOT / "solutions", ROOT / "graders",
               ROOT / "graders" / "grading.toml", ROOT / "graders" / "test_softmax.py", ROOT,
               ROOT / "course_tools", Path.home(), Path("/work/shared/data"), Path("/etc/passwd"),
               staged.dir, staged.dir.parent, staged.dir.parent.parent]
    found = run(worker, "probe_files", [str(p) for p in secrets])
    # a folder on the way to the Python installation (the repo holding .venv, a home holding .pyenv) shows that way only
    roots = [Path(t) for _, t in sandbox.python_binds()]
    for path, outcome in list(found.items()):
        if outcome.startswith("listed ") and all(any((Path(path) / e) in (r, *r.parents) for r in roots) for e in outcome[7:].split(",")):
            del found[path]
    assert {k: v for k, v in found.items() if not v.startswith("denied")} == {}
    # walking every visible file (torch's site-packages among them) takes seconds: more than a call's 15 s when busy
    walk = worker.request("call", "softmax", name="probe_walk", timeout=120,
                          args=[["grading.toml", "test_end_to_end.py", "mutants.py", "reaper.py"]])["result"]
    assert walk == []
    for module in ("course_tools", "course_tools.reference", "graders"):
        assert run(worker, "probe_import", module).startswith("failed"), module


def test_no_network(worker):
    """Does the sandbox reach no network: not the host's loopback, not the internet, no DNS?"""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    try:
        results = run(worker, "probe_network", listener.getsockname()[1])
        with pytest.raises(socket.timeout):
            listener.accept()  # oracle: nothing ever knocked on the host side
    finally:
        listener.close()
    assert not any(r == "connected" for r in results.values()), results


def test_writes_stay_in_the_scratch_space(worker, staged, tmp_path):
    """Can the sandbox write its scratch folder and /tmp, but not the submission, the repo or the host's /tmp?"""
    marker = uuid.uuid4().hex
    before = sorted(p.name for p in staged.dir.rglob("*"))
    host_tmp = Path("/tmp") / f"escaped-{marker}"
    targets = ["/scratch/ok", "/tmp/ok", "/submission/course_lib/softmax.py", str(ROOT / "solutions" / "evil.py"),
               str(ROOT / "graders" / "grading.toml"), str(host_tmp), str(tmp_path / "evil"), "/evil"]
    done = run(worker, "probe_write", targets)
    assert done.pop("/scratch/ok") == "written" and done.pop("/tmp/ok") == "written"
    done.pop(str(host_tmp))  # lands in the sandbox's own /tmp: the host's must stay untouched
    assert all(v.startswith("denied") for v in done.values()), done
    assert not host_tmp.exists() and not (tmp_path / "evil").exists()
    assert sorted(p.name for p in staged.dir.rglob("*")) == before
    assert 100 < run(worker, "probe_fill", "/scratch", 1024) <= sandbox.Limits().scratch_bytes >> 20


def test_environment_is_scrubbed(worker):
    """Does the worker see exactly its Confinement's environment, none of the grader's variables (tokens,
    paths, data root), nor its own confinement's description?"""
    env = run(worker, "probe_environment")
    assert env == confinement.environment(), sorted(env)  # oracle: the one description both paths enter


def test_fork_bomb_is_capped_and_cleaned_up(staged, start):
    """Does a fork bomb stop at the process limit, as an unprivileged uid, and vanish with its worker?"""
    marker = f"forkbomb-{uuid.uuid4().hex}"
    w = new_worker(start, staged)
    try:
        uid, forks = run(w, "probe_fork_bomb", marker)
        assert uid != 0, "the worker runs as root: RLIMIT_NPROC would not apply"
        assert forks < sandbox.Limits().processes
        assert processes_with(marker)  # oracle: the bomb's processes are there while the worker lives
        assert run(w, "softmax", torch.zeros(1, 2)).shape == (1, 2)  # the worker still answers
    finally:
        w.close()
    assert wait_until_gone(lambda: processes_with(marker) + processes_of(uid)) == []


def test_memory_bomb_fails_only_the_call(worker):
    """Does a memory bomb end in a MemoryError below the limit, with the worker still serving?"""
    gib = run(worker, "probe_memory_bomb")
    assert gib < sandbox.Limits().memory_bytes / (1 << 30)
    assert run(worker, "softmax", torch.zeros(1, 2)).shape == (1, 2)


def escaped_processes_are_killed(w: Worker, mode: str) -> None:
    """Start a setsid daemon and a double-forked grandchild in `w`; are both gone once it is closed?"""
    marker = f"escape-{uuid.uuid4().hex}"
    try:
        run(w, "probe_escape", marker)
        assert w.channel.launched.mode == mode
        deadline = time.monotonic() + 5
        while len(processes_with(marker)) != 2 and time.monotonic() < deadline:  # a shell mid-fork shows twice
            time.sleep(0.1)
        assert len(processes_with(marker)) == 2  # oracle: both escaped processes are running
    finally:
        w.close()
    assert wait_until_gone(lambda: processes_with(marker)) == []


def test_processes_left_behind_are_killed(staged, start):
    """Are a setsid daemon and a double-forked grandchild killed when a confined worker is closed?"""
    escaped_processes_are_killed(new_worker(start, staged), sandbox.BUBBLEWRAP)


def test_processes_left_behind_by_an_unconfined_worker_are_killed(tmp_path, monkeypatch):
    """The same unconfined (the reaper's job: `own` mode with bwrap pretended broken, so the worker keeps our uid)?"""
    monkeypatch.setenv(sandbox.MODE_ENV, sandbox.OWN)
    monkeypatch.setattr(sandbox, "bubblewrap_error", lambda: "pretended broken")
    source = reference_submission(tmp_path / "sub", append={"softmax": PROBES})
    escaped_processes_are_killed(Worker(stage_for(None, source, tmp_path).dir), sandbox.OWN)


def test_infinite_loops_cost_seconds(staged, start):
    """Does a hung call time out, a second call of it fail faster, and other functions still answer?"""
    w = new_worker(start, staged, timeout=3, retry_timeout=1)
    try:  # the limits are read from the messages, not a wall clock: a loaded machine restarts workers slowly
        with pytest.raises(WorkerFailure, match="no answer within 3 s"):
            run(w, "probe_loop")
        with pytest.raises(WorkerFailure, match="no answer within 1 s"):
            run(w, "probe_loop")
        assert run(w, "softmax", torch.zeros(1, 2)).shape == (1, 2)
        assert w.restarts == 2
    finally:
        w.close()


def test_a_module_whose_import_hangs_fails_at_once_afterwards(tmp_path, start):
    """Does a module that loops at import fail its first request by timeout and every later one at once?"""
    source = reference_submission(tmp_path / "sub", append={"losses": "\nwhile True:\n    pass\n"})
    w = new_worker(start, stage_for(start, source, tmp_path), timeout=3)
    try:
        with pytest.raises(WorkerFailure, match="importing course_lib/losses.py failed"):
            w.request("call", "losses", name="cross_entropy", args=[torch.ones(1, 2) / 2, torch.zeros(1, dtype=torch.long)])
        start = time.monotonic()
        with pytest.raises(WorkerFailure, match="importing course_lib/losses.py failed"):
            w.request("call", "losses", name="cross_entropy_from_logits", args=[torch.zeros(1, 2), torch.zeros(1, dtype=torch.long)])
        assert time.monotonic() - start < 0.5
        assert w.request("call", "softmax", name="softmax", args=[torch.zeros(1, 2)])["result"].shape == (1, 2)
    finally:
        w.close()


def test_an_unsendable_value_fails_only_its_call(worker):
    """Does a value that cannot be encoded (a list containing itself) fail its call, the worker still serving?"""
    with pytest.raises(StudentError, match="cannot be sent back"):
        run(worker, "probe_cycle")
    assert run(worker, "softmax", torch.zeros(1, 2)).shape == (1, 2)


def test_student_exceptions_are_reported_not_raised(worker):
    """Does a student's exception come back as a StudentError naming its type?"""
    with pytest.raises(StudentError, match="TypeError"):
        worker.request("call", "softmax", name="softmax", args=[])


def test_a_worker_that_cannot_start_is_the_machines_fault_not_the_students(tmp_path):
    """Does a sandbox that cannot start give an infrastructure error (graded again later), not zero points?"""
    results = tmp_path / "results.json"
    env = os.environ | {sandbox.MODE_ENV: "bubblewrap", "PATH": str(tmp_path)}  # no bwrap on this PATH
    run = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "graders"), "-q", "-p", "no:cacheprovider",
                          "--rootdir", str(ROOT), "--submission", str(ROOT / "solutions"), "--results", str(results),
                          "--only", "optim"], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)
    graded = json.loads(results.read_text())
    assert graded["extra_data"]["infrastructure_error"] is True, run.stdout[-2000:]
    assert "could not be started" in graded["output"] and "refuses to run student code unconfined" in graded["output"]
    assert graded["tests"] == []


def test_warm_workers_see_only_their_own_stage_and_share_no_namespace(tmp_path):
    """Do two warm workers alive at once see only their own stage (not the zygote's other stages), run
    as different unprivileged uids in different pid, mount and network namespaces, with no capability?"""
    started = zygote.shared()
    started.wait_ready()
    source = reference_submission(tmp_path / "sub", append={"softmax": PROBES + STATUS_PROBE})
    stages = [stage_for(started, source, tmp_path) for _ in range(2)]
    workers = [new_worker(started, staged) for staged in stages]
    try:
        seen = [run(w, "probe_status") for w in workers]
        for _mine, theirs, facts in zip(stages, reversed(stages), seen):
            assert facts["stages"] == []  # /stages is covered: no other submission is reachable
            assert facts["caps"] == {"CapEff": 0, "CapPrm": 0, "CapInh": 0, "CapAmb": 0}
            assert facts["uid"] != 0 and facts["pid"] <= 3  # pid 1 is the namespace's init, the worker pid 2
            assert run(workers[0], "probe_files", [str(theirs.dir)])[str(theirs.dir)].startswith("denied")
        assert seen[0]["uid"] != seen[1]["uid"]
        for namespace in ("pid", "mnt", "net", "ipc"):  # oracle: the kernel's namespace ids, read in each worker
            assert seen[0]["ns"][namespace] != seen[1]["ns"][namespace], namespace
        assert seen[0]["ns"]["mnt"] != os.readlink("/proc/self/ns/mnt")
    finally:
        for w in workers:
            w.close()


STATUS_PROBE = '''

def probe_status():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return {"uid": _os.getuid(), "pid": _os.getpid(), "stages": _os.listdir("/stages"),
            "caps": {k: int(fields[k].strip(), 16) for k in ("CapEff", "CapPrm", "CapInh", "CapAmb")},
            "ns": {n: _os.readlink("/proc/self/ns/" + n) for n in ("pid", "mnt", "net", "ipc")}}
'''


ORPHANED_ZYGOTE = '''
import os, sys, tempfile
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from course_tools.sandbox import zygote, Limits
from course_tools.judge.submission import stage
from submissions import reference_submission
z = zygote.Zygote()
z.wait_ready()
source = reference_submission(Path(tempfile.mkdtemp()), append={"softmax": sys.argv[2]})
staged = stage(source, Path(sys.argv[1]) / "course_lib", Path(tempfile.mkdtemp(dir=z.stages)) / "stage")
from course_tools.sandbox.client import Worker
w = Worker(staged.dir, zygote=z.socket_path)
w.request("call", "softmax", name="probe_escape", args=[sys.argv[3]])
print(z.process.pid, flush=True)
os._exit(0)  # no atexit, no close: only the lifeline tells the zygote
'''


def test_the_zygote_and_its_workers_end_with_the_process_that_started_it():
    """When the grading process dies without cleaning up, do its zygote and every process a worker left
    behind go too (the zygote's lifeline is a pipe, not a thread's death signal)?"""
    marker = f"escape-{uuid.uuid4().hex}"
    done = subprocess.run([sys.executable, "-c", ORPHANED_ZYGOTE, str(ROOT), PROBES, marker],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    zygote_pid = int(done.stdout.split()[-1])
    assert wait_until_gone(lambda: processes_with(marker) + [p for p in [zygote_pid] if running(p)]) == []


def running(pid: int) -> bool:
    """Is `pid` a live process? A zombie has ended: it waits only to be reaped (by us, if an earlier
    test made this process a subreaper)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_warm_worker_passes_the_self_check_judged_from_outside():
    """Does a worker forked from the zygote pass the same outside-judged self-check as a cold one (own
    network, pid and mount namespaces; graders, solutions and canaries invisible; root dropped)?"""
    from course_tools.sandbox.selfcheck import self_check

    started = zygote.shared()
    started.wait_ready()
    report = self_check(zygote=started)
    assert report.ok, "\n".join(report.lines())
    assert {f.name for f in report.findings} >= {"network", "processes", "files", "uid", "grader's files"}


def test_a_cold_and_a_warm_worker_take_on_the_same_confinement():
    """Do a cold worker (bwrap per worker) and a warm one (forked from the zygote) report the same uid
    drop, groups, capabilities, no-new-privileges flag, limits, environment, working folder and mounts?"""
    from course_tools.sandbox import selfcheck

    seen = {}

    def recording(probe, path):
        def probe_and_keep(*args):
            facts, stderr = probe(*args)
            seen[path] = facts
            return facts, stderr
        return probe_and_keep

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(selfcheck, "_probe", recording(selfcheck._probe, "cold"))
        patch.setattr(selfcheck, "_probe_warm", recording(selfcheck._probe_warm, "warm"))
        started = zygote.shared()
        started.wait_ready()
        for report in (selfcheck.self_check(), selfcheck.self_check(zygote=started)):
            assert report.ok, "\n".join(report.lines())
    cold, warm = seen["cold"]["confinement"], seen["warm"]["confinement"]
    assert cold == warm  # oracle: the other path's own report
    assert cold["dropped_root"] and cold["groups"] == [] and not any(cold["capabilities"].values())
    assert cold["no_new_privileges"]
    limits = sandbox.Limits()  # oracle: the limits asked for
    assert cold["limits"]["RLIMIT_AS"] == [limits.memory_bytes] * 2 and cold["limits"]["RLIMIT_CORE"] == [0, 0]
    assert cold["limits"]["RLIMIT_NPROC"] == [limits.processes] * 2
    assert cold["mounts"][confinement.SUBMISSION][1] is True  # read-only
    assert all(cold["mounts"][d][:2] == ["tmpfs", False] for d in confinement.SCRATCH_DIRS)


def test_a_zygote_whose_worker_fails_the_self_check_is_never_used(monkeypatch):
    """When the zygote's first worker fails the self-check, is the zygote stopped and refused (judges then
    start cold, confined workers), rather than used with a warning?"""
    from course_tools.sandbox import selfcheck

    failing = selfcheck.Report("bubblewrap", [selfcheck.Finding(selfcheck.FAIL, "files", "pretended: sees the graders")])
    monkeypatch.setattr(selfcheck, "self_check", lambda **_: failing)
    started = zygote.Zygote()
    with pytest.raises(RuntimeError, match="failed the sandbox self-check"):
        started.wait_ready()
    assert started.process.poll() is not None  # stopped, not left serving
