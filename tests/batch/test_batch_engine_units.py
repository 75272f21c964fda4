"""The Dask engine's pieces without a cluster: the ledger, packing, admission, cluster settings, delivery errors."""

from __future__ import annotations

import json
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.course_config import ClusterSettings, CourseConfigError, load_course_config
from course_tools.batch.ledger import Ledger, LedgerError
from course_tools.grading_results import CheckResult, GradingResults, State
from course_tools.judge.launcher import GraderSettings

ROOT = Path(__file__).resolve().parents[2]


def scored(points: float) -> GradingResults:
    """Graded results of one check that earned `points` of 10."""
    return GradingResults(State.GRADED, [CheckResult("softmax: x", points, 10.0, points == 10.0)])


def test_an_unreadable_ledger_row_is_graded_again(tmp_path):
    """Is a committed row that is not results (e.g. written by another version) read as not committed, never trusted?"""
    with Ledger(tmp_path) as ledger:
        ledger.commit("s1", "h1", scored(1.0))
        ledger.db.execute("UPDATE commits SET results = ?", (json.dumps({"tests": "garbage"}),))
        assert ledger.committed("s1", "h1") is None


def test_ledger_commits_each_result_once(tmp_path):
    """Is a second delivery of (name, input hash) dropped, in the same run and in a later one, while a forced run
    replaces the earlier commit exactly once? (Oracle: the rows sqlite3 itself reads back.)"""
    with Ledger(tmp_path) as ledger:
        assert ledger.commit("s1", "h1", scored(1.0), "host-a") is True
        assert ledger.commit("s1", "h1", scored(2.0), "host-b") is False  # the re-run task's duplicate
        assert ledger.commit("s1", "h2", scored(3.0)) is True  # other content or graders: its own commit
        assert ledger.committed("s1", "h1") == scored(1.0) and ledger.committed("s9", "h1") is None
    with Ledger(tmp_path) as later:
        assert later.commit("s1", "h1", scored(4.0)) is False
    with Ledger(tmp_path, force=True) as forced:
        assert forced.commit("s1", "h1", scored(5.0)) is True
        assert forced.commit("s1", "h1", scored(6.0)) is False
    with sqlite3.connect(tmp_path / "ledger.sqlite") as db:
        rows = db.execute("SELECT name, input_hash, results FROM commits ORDER BY input_hash").fetchall()
    assert [(n, h, json.loads(r)["score"]) for n, h, r in rows] == [("s1", "h1", 5.0), ("s1", "h2", 3.0)]


def test_an_unopenable_ledger_is_named(tmp_path):
    """Does a ledger path that is a folder give LedgerError naming the file, not a crash later?"""
    (tmp_path / "ledger.sqlite").mkdir()
    with pytest.raises(LedgerError, match="cannot open the batch ledger .*ledger.sqlite"):
        Ledger(tmp_path)


@pytest.mark.slow  # starts a grader or the `course` command
def test_an_unopenable_ledger_or_gradebook_stops_before_grading(tmp_path, data_root):
    """Does `course grade` stop with status 2 and a clear error, before any grader runs, when the ledger or the
    gradebook cannot be opened?"""
    def grade(out, *extra):
        return subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", str(ROOT / "solutions"), "--out",
                               str(out), "--only", "softmax", "--data-root", str(data_root), *extra],
                              capture_output=True, text=True, timeout=300, cwd=ROOT)

    (tmp_path / "a" / "ledger.sqlite").mkdir(parents=True)
    result = grade(tmp_path / "a")
    assert result.returncode == 2 and "cannot open the batch ledger" in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "a" / "solutions").exists()  # nothing graded, no grader log
    result = grade(tmp_path / "b", "--gradebook", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'gb.db'}")
    assert result.returncode == 2 and "cannot open the gradebook" in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "b" / "solutions").exists()


def test_pack_carries_what_the_stager_reads(tmp_path):
    """Does a packed folder unpack, on another machine's disk, to what the reader finds in the original
    (one folder deeper, the manifest, an oversized module still oversized), and a zip to the same bytes?"""
    from course_tools.batch.task import pack, unpack
    from course_tools.submission_reader import MAX_MODULE_BYTES, read

    original = tmp_path / "s1"
    (original / "inner" / "course_lib").mkdir(parents=True)
    (original / "inner" / "course_lib" / "softmax.py").write_text("def softmax(x):\n    return x\n")
    (original / "inner" / "course_lib" / "losses.py").write_bytes(b"#" * (MAX_MODULE_BYTES + 10))
    (original / "inner" / "submission.json").write_text('{"student_id": "s1"}')
    (original / "notes.txt").write_text("not part of a submission")
    packed = json.loads(json.dumps(pack(original), default=lambda b: b.decode("latin-1")))  # plain data only
    packed["files"] = {k: v.encode("latin-1") for k, v in packed["files"].items()}
    copy = unpack(packed, tmp_path / "elsewhere")
    assert copy.name == "s1" and read(copy) == read(original)  # oracle: the reader on the original folder
    assert read(copy).modules["losses"] is None and read(copy).student_id == "s1"  # still too large for the stager
    archive = tmp_path / "s2.zip"
    archive.write_bytes(b"PK not really a zip")
    assert unpack(pack(archive), tmp_path / "elsewhere").read_bytes() == archive.read_bytes()


@pytest.mark.slow  # starts a grader or the `course` command
def test_grading_task_contains_its_failure(tmp_path):
    """Does a task whose grading cannot even start (no graders on this machine) return a Delivery holding this
    submission's infrastructure error, not an exception?"""
    from course_tools.batch.task import grade_packed, pack

    (tmp_path / "s1" / "course_lib").mkdir(parents=True)
    (tmp_path / "s1" / "course_lib" / "softmax.py").write_text("x = 1\n")
    delivery = grade_packed(pack(tmp_path / "s1"), 60, GraderSettings(), root=tmp_path / "no-course")
    pickle.loads(pickle.dumps(delivery))  # Dask pickles it back from a worker on another machine
    assert delivery.name == "s1" and delivery.results.infrastructure_error


def test_a_lost_worker_is_an_infrastructure_error_not_a_zero(tmp_path):
    """Does a task given up after too many lost workers (Dask's KilledWorker) become that submission's
    infrastructure error, naming allowed-failures, and is any other task error contained the same way?"""
    from distributed import KilledWorker

    from course_tools.batch.dispatch import Dispatcher, Job

    class Lost:
        def __init__(self, error):
            self.error, self.released = error, False

        def result(self):
            raise self.error

        def release(self):
            self.released = True

    dispatcher = Dispatcher(client=None, run="r", timeout=1, settings=GraderSettings(), allowed_failures=3, window=1,
                            progress=False)
    job = Job(tmp_path / "s1.zip", "key")
    lost = Lost(KilledWorker("grade-s1", None, 3))
    delivery = dispatcher._delivery(lost, job, 0.0)
    assert delivery.name == "s1" and lost.released
    assert delivery.results.infrastructure_error and "allowed-failures" in delivery.results.output
    other = dispatcher._delivery(Lost(RuntimeError("scheduler restarted")), job, 0.0)
    assert "scheduler restarted" in other.results.output


@pytest.mark.slow  # starts a grader or the `course` command
def test_admission_names_what_differs(root, data_root, monkeypatch):
    """Is this machine admitted against its own grader version, and refused, naming the part, against a coordinator
    whose graders or data differ?"""
    from course_tools.batch.admission import check_this_machine
    from course_tools.judge.fingerprint import grader_parts

    monkeypatch.setenv("FASHION_MNIST_ROOT", str(data_root))
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    only_softmax = GraderSettings(only=("softmax",))
    ours = grader_parts(root, only_softmax)
    assert check_this_machine("r", "tcp://x:1", ours, only_softmax, str(root)).admitted
    theirs = {**ours, "graders": "0" * 64, "data": "data:other-sample"}
    verdict = check_this_machine("r", "tcp://x:1", theirs, only_softmax, str(root))
    assert not verdict.admitted and "graders" in verdict.message() and "data:other-sample" in verdict.message()
    assert "REFUSED" in verdict.message() and verdict.host in verdict.message()
    other_options = check_this_machine("r", "tcp://x:1", ours, GraderSettings(), str(root))
    assert not other_options.admitted and "options" in other_options.reasons[0]


@pytest.mark.slow  # starts a grader or the `course` command
def test_a_worker_whose_sandbox_fails_is_refused(root, data_root, monkeypatch):
    """Is a machine whose sandbox self-check fails (here: a sandbox mode that does not exist) refused, with the
    self-check's finding in the message, even though its graders match?"""
    from course_tools.batch.admission import check_this_machine
    from course_tools.judge.fingerprint import grader_parts
    from course_tools import sandbox

    monkeypatch.setenv("FASHION_MNIST_ROOT", str(data_root))
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    ours = grader_parts(root)
    monkeypatch.setenv(sandbox.MODE_ENV, "no-such-mode")
    verdict = check_this_machine("r", "tcp://x:1", ours, GraderSettings(), str(root))
    assert not verdict.admitted and "sandbox self-check failed" in verdict.message()
    assert "no-such-mode" in verdict.message() and "grader version" not in verdict.message()


def test_cluster_settings_keep_workers_inside_the_walltime(tmp_path):
    """Does [cluster] give dask-jobqueue one worker per job, a thread per core, that retires before the walltime, and
    is a lifetime as long as the walltime refused (workers would be killed mid-task)?"""
    from course_tools.batch.cluster import jobqueue_arguments

    path = tmp_path / "course.toml"
    path.write_text('[cluster]\nqueue = "short"\ncores = 8\nmemory = "32GB"\nwalltime = "02:00:00"\njobs = 3\n')
    settings = load_course_config(path).cluster
    assert settings == ClusterSettings(queue="short", cores=8, memory="32GB", walltime="02:00:00", jobs=3)
    arguments = jobqueue_arguments(settings)
    assert arguments["cores"] == 8 and arguments["processes"] == 1 and arguments["queue"] == "short"
    assert "--lifetime=110m" in arguments["worker_extra_args"] and "--lifetime-restart" in arguments["worker_extra_args"]
    path.write_text('[cluster]\nwalltime = "00:30:00"\nlifetime_minutes = 30\n')
    with pytest.raises(CourseConfigError, match="shorter than the walltime"):
        load_course_config(path)
    path.write_text('[cluster]\ncores = 0\n')
    with pytest.raises(CourseConfigError, match="cluster.cores"):
        load_course_config(path)


def test_slurm_job_script_retires_workers_before_the_walltime():
    """Does dask-jobqueue (the optional `cluster` extra) accept our arguments and write a job script that starts
    one worker per job, with a thread per core, and a lifetime inside the walltime? (Nothing is submitted to SLURM.)"""
    from dask_jobqueue import SLURMCluster

    from course_tools.batch.cluster import DAEMON_ENV, jobqueue_arguments

    settings = ClusterSettings(queue="short", cores=4, walltime="01:00:00", job_directives=("--account=course",))
    cluster = SLURMCluster(**jobqueue_arguments(settings), scheduler_options={"dashboard_address": None})
    try:
        script = cluster.job_script()
    finally:
        cluster.close()
    assert "#SBATCH -t 01:00:00" in script and "#SBATCH -p short" in script and "#SBATCH --account=course" in script
    assert "--nthreads 4" in script and "--nworkers" not in script and "--lifetime=50m" in script  # one worker a job
    assert f"export {DAEMON_ENV}=False" in script  # its workers may fork warm judges


@pytest.mark.slow
def test_the_embedded_cluster_is_one_warm_worker_with_a_thread_per_job(root, data_root, monkeypatch):
    """Is `--jobs 2`'s embedded cluster one non-daemonic worker with two threads, whose admission starts the warm
    parent and the zygote that both threads share, before any task? Oracles: Dask's own nthreads(); multiprocessing
    refuses children to a daemon (warm_available); the worker's child processes, read from /proc."""
    from course_tools.batch.admission import admit
    from course_tools.batch.cluster import Where, connect
    from course_tools.judge.fingerprint import grader_parts
    from course_tools.judge.launcher import warm_available
    from course_tools.sandbox import zygote

    def children() -> list[str]:  # runs on the worker: the command lines of its child processes
        found = []
        for task in Path("/proc/self/task").iterdir():
            for pid in (task / "children").read_text().split():
                try:
                    found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
                except OSError:  # it ended meanwhile
                    pass
        return found

    monkeypatch.setenv("FASHION_MNIST_ROOT", str(data_root))
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    with connect(Where(jobs=2)) as client:
        assert list(client.nthreads().values()) == [2]
        assert client.submit(warm_available, pure=False).result(timeout=120) is True
        assert not any("forkserver" in c for c in client.submit(children, pure=False).result(timeout=120))
        _, admitted, refused = admit(client, grader_parts(root, GraderSettings()), GraderSettings(), root)
        assert len(admitted) == 1 and not refused
        started = client.submit(children, pure=False).result(timeout=120)
    assert sum("multiprocessing.forkserver" in c for c in started) == 1, started
    assert sum("grader_worker.zygote" in c for c in started) == (zygote.unavailable() is None), started


def test_one_zygote_per_process_whichever_thread_asks_first(monkeypatch):
    """Do threads that ask for the zygote at the same moment share one, started once? Oracle: a stand-in Zygote
    that counts its starts and takes its time, as a real one does."""
    import threading
    import time

    from course_tools.sandbox import zygote

    starts = []

    class SlowZygote:
        def __init__(self):
            time.sleep(0.2)  # without the lock, every thread finds none started yet
            starts.append(self)
            self.process = subprocess.Popen(["sleep", "30"])

    monkeypatch.setattr(zygote, "Zygote", SlowZygote)
    monkeypatch.setattr(zygote, "_zygote", None)
    got = []
    threads = [threading.Thread(target=lambda: got.append(zygote.shared())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts[0].process.kill()
    assert len(starts) == 1 and got == starts * 4


@pytest.mark.slow  # starts a grader or the `course` command
def test_grade_help_names_the_three_scales():
    """Does `course grade --help` offer --scheduler, --cluster and --allowed-failures?"""
    result = subprocess.run([sys.executable, "-m", "course_tools.cli", "grade", "--help"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0
    for option in ("--scheduler", "--cluster", "--allowed-failures", "DASK_SCHEDULER_ADDRESS"):
        assert option in result.stdout
