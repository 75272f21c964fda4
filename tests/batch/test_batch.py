"""Does `course grade` work as a batch? Three students (solved, half solved, empty) are released,
submitted and graded with --jobs 2 (on the session's Dask cluster; the killed batch and the rerun without
--scheduler on an embedded one); their scores must agree in results.json, the nbgrader
gradebook and the CSV, with the late penalty applied, and re-running or resuming a killed batch
must give the same gradebook."""

import csv
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from course_tools.contract import EXERCISE_MODULES, EXERCISES
from course_tools.judge.config import load_config
from course_tools.release.stubs import write_stubs
from host_processes import processes_inheriting

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "week-3"
SOLVED_IN_HALF = ("softmax", "losses", "metrics", "model")
DUE = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
HALF_LATE_BY = dt.timedelta(days=1, hours=1)  # two started days late: 2 x 10 %
CLAIMED_LATE_BY = dt.timedelta(days=3)  # what the solved student's own submission.json says


def course(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "course_tools.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, **kwargs)


def oracle_points(modules) -> float:
    """Points of the checks whose contract function lives in `modules`, straight from grading.toml."""
    functions = {name for module in modules for name in EXERCISES[module]}
    checks = load_config(ROOT / "graders" / "grading.toml")
    return sum(c.points for title, c in checks.items() if title.split(":")[0] in functions)


def release(fork: Path) -> Path:
    """The instructor's release: stubs generated from solutions/ beside the given helpers."""
    shutil.copytree(ROOT / "course_lib", fork / "course_lib", ignore=shutil.ignore_patterns("__pycache__", *[f"{m}.py" for m in EXERCISE_MODULES]))
    write_stubs(ROOT / "solutions" / "course_lib", fork / "course_lib", EXERCISE_MODULES)
    return fork / "course_lib"


def student_checkout(released: Path, folder: Path, solved=()) -> Path:
    """A student's checkout of the release, with the modules in `solved` completed (copied from the reference)."""
    shutil.copytree(released, folder / "course_lib")
    for module in solved:
        shutil.copy(ROOT / "solutions" / "course_lib" / f"{module}.py", folder / "course_lib" / f"{module}.py")
    return folder


def set_timestamp(archive: Path, when: dt.datetime) -> None:
    """Rewrite the manifest's timestamp (as if the student had submitted at `when`)."""
    with zipfile.ZipFile(archive) as old:
        entries = {name: old.read(name) for name in old.namelist()}
    manifest = json.loads(entries["submission.json"])
    manifest["timestamp"] = when.isoformat().replace("+00:00", "Z")
    entries["submission.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(archive, "w") as new:
        for name, data in entries.items():
            new.writestr(name, data)


def grade_command(zips, out: Path, config: Path, data_root: Path, *extra):
    return ["grade", *zips, "--out", out, "--config", config, "--data-root", data_root, "--quiet", *extra]


def dump_gradebook(out: Path) -> dict:
    """Everything the gradebook says about each student (through nbgrader's own API, not ours)."""
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}", course_id="test-course") as gb:
        dump = {}
        for submission in gb.assignment_submissions(ASSIGNMENT):
            dump[submission.student_id] = {
                "score": submission.score, "penalty": submission.late_submission_penalty,
                "timestamp": submission.timestamp, "max_score": submission.max_score,
                "grades": sorted((g.notebook.name, g.name, g.auto_score, g.max_score)
                                 for nb in submission.notebooks for g in nb.grades)}
        return dump


@pytest.fixture(scope="module")
def batch(tmp_path_factory, data_root, scheduler):
    """Release, three `course submit`s, one `course grade --jobs 2` on the session's Dask cluster."""
    base = tmp_path_factory.mktemp("semester")
    config = base / "course.toml"
    config.write_text(f'[assignment]\nname = "{ASSIGNMENT}"\ndue = "{DUE.isoformat()}"\n'
                      '[late_penalty]\npercent_per_day = 10\nreceipts = "receipts.csv"\n'
                      '[gradebook]\ncourse_id = "test-course"\n')
    # the instructor's record of when each hand-in arrived; the solved student's zip claims a late time of its own
    (base / "receipts.csv").write_text(f"student_id,received_at\nhalf-id,{(DUE + HALF_LATE_BY).isoformat()}\n"
                                       f"solved-id,{DUE.isoformat()}\n")
    released = release(base / "fork")
    zips = {}
    for student, solved in (("solved", EXERCISE_MODULES), ("half", SOLVED_IN_HALF), ("empty", ())):
        checkout = student_checkout(released, base / student, solved)
        result = course("submit", "--root", checkout, "--student-id", f"{student}-id", "--assignment", ASSIGNMENT,
                        "--out", base / "submissions", timeout=300)
        assert result.returncode == 0, result.stderr
        zips[student] = base / "submissions" / f"{student}-id-{ASSIGNMENT}.zip"
    set_timestamp(zips["solved"], DUE + CLAIMED_LATE_BY)  # a claim; the receipt says on time
    set_timestamp(zips["empty"], DUE + CLAIMED_LATE_BY)  # a claim, and no receipt: shown, not penalised
    out = base / "out"
    started = time.monotonic()
    result = course(*grade_command(zips.values(), out, config, data_root, "--jobs", "2", "--scheduler", scheduler),
                    timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"graded 3 submissions with --jobs 2 in {time.monotonic() - started:.1f} s")
    results = {s: json.loads((out / f"{s}-id-{ASSIGNMENT}" / "results.json").read_text()) for s in zips}
    return {"base": base, "out": out, "zips": zips, "config": config, "results": results, "data_root": data_root}


def test_results_json_scores(batch):
    """Solved scores 100, half solved exactly its modules' points from grading.toml, empty 0."""
    results = batch["results"]
    assert results["solved"]["score"] == 100
    assert results["half"]["score"] == oracle_points(SOLVED_IN_HALF)
    assert results["empty"]["score"] == 0
    assert {r["extra_data"]["student_id"] for r in results.values()} == {"solved-id", "half-id", "empty-id"}


def test_late_penalty_from_the_receipts(batch):
    """Does the half-solved student, 25 h late by the receipts CSV, lose 2 x 10 % of the score, and nobody else
    anything: not the solved student, whose own manifest claims 3 days late but whose receipt says on time?"""
    results = batch["results"]
    half = results["half"]["extra_data"]
    assert half["late"]["seconds_late"] == HALF_LATE_BY.total_seconds()
    assert half["late_penalty"] == pytest.approx(0.2 * oracle_points(SOLVED_IN_HALF))
    assert half["final_score"] == pytest.approx(0.8 * oracle_points(SOLVED_IN_HALF))
    assert half["late"]["source"] == "receipts"
    solved = results["solved"]["extra_data"]
    assert solved["late_penalty"] == 0 and solved["final_score"] == 100 and solved["late"]["seconds_late"] == 0
    empty = results["empty"]["extra_data"]["late"]
    assert empty["source"] == "claimed" and empty["seconds_late"] == CLAIMED_LATE_BY.total_seconds()
    assert empty["fraction"] == 0 and "claimed" in empty["note"]


def test_gradebook_holds_the_same_scores(batch):
    """Does nbgrader's gradebook hold each student's score, per-check grades and the penalty?"""
    dump = dump_gradebook(batch["out"])
    assert set(dump) == {"solved-id", "half-id", "empty-id"}
    for student in ("solved", "half", "empty"):
        results, row = batch["results"][student], dump[f"{student}-id"]
        assert row["score"] == pytest.approx(results["score"]) and row["max_score"] == 100
        assert row["penalty"] == pytest.approx(results["extra_data"]["late_penalty"])
        by_check = {name: score for _, name, score, _ in row["grades"]}
        assert by_check == {t["name"]: t["score"] for t in results["tests"]}
    assert dump["half-id"]["timestamp"] == (DUE + HALF_LATE_BY).replace(tzinfo=None)


def test_csv_one_row_per_student_one_column_per_exercise(batch):
    """Does grades.csv have a row per student, each exercise's points, and the total after the penalty?"""
    with open(batch["out"] / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert list(next(iter(rows.values()))) == ["student_id", *EXERCISE_MODULES, "score", "late_penalty", "total"]
    assert set(rows) == {"solved-id", "half-id", "empty-id"}
    for module in EXERCISE_MODULES:
        assert float(rows["solved-id"][module]) == oracle_points([module])
        assert float(rows["half-id"][module]) == (oracle_points([module]) if module in SOLVED_IN_HALF else 0)
        assert float(rows["empty-id"][module]) == 0
    assert float(rows["solved-id"]["total"]) == 100
    assert float(rows["half-id"]["total"]) == pytest.approx(0.8 * oracle_points(SOLVED_IN_HALF), abs=1e-3)
    assert float(rows["empty-id"]["total"]) == 0


def test_feedback_pages(batch):
    """Is there a Markdown and an HTML feedback page naming the score and each failed check?"""
    folder = batch["out"] / f"half-id-{ASSIGNMENT}"
    markdown, html = (folder / "feedback.md").read_text(), (folder / "feedback.html").read_text()
    final = batch["results"]["half"]["extra_data"]["final_score"]
    assert f"Score: {final:g}/100" in markdown and f"Score: {final:g}/100" in html
    failed = [t["name"] for t in batch["results"]["half"]["tests"] if t["status"] != "passed"]
    assert failed and "sgd: update rule" in failed
    assert "## What to fix" in markdown and "sgd: update rule" in html
    assert "late penalty" in markdown


def test_rerun_regrades_nothing_and_changes_nothing(batch):
    """Does re-running the same batch skip every submission and leave results and gradebook unchanged?"""
    out = batch["out"]
    before = {p: p.read_bytes() for p in out.glob("*/results.json")}
    gradebook = dump_gradebook(out)
    logs = {p: p.stat().st_mtime_ns for p in out.glob("*/grader.log")}
    result = course(*grade_command(batch["zips"].values(), out, batch["config"], batch["data_root"], "--jobs", "2"),
                    timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "graded 0, already graded 3" in result.stdout, result.stdout[-1500:]
    assert {p: p.read_bytes() for p in out.glob("*/results.json")} == before
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/grader.log")} == logs  # no grader ran
    assert dump_gradebook(out) == gradebook


def test_force_regrades_and_gives_the_same_gradebook(batch, scheduler):
    """Does --force regrade (a new grader log) and leave the same grades: regrading is idempotent?"""
    out, empty = batch["out"], batch["zips"]["empty"]
    gradebook = dump_gradebook(out)
    log = out / empty.stem / "grader.log"
    before = log.stat().st_mtime_ns
    result = course(*grade_command([empty], out, batch["config"], batch["data_root"], "--force", "--scheduler", scheduler),
                    timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "graded 1, already graded 0" in result.stdout
    assert "regraded 1 submissions: no final score changed" in result.stdout  # one line, and changes.csv says it too
    assert (out / "changes.csv").read_text().splitlines() == ["student_id,submission,old_score,new_score,checks_changed"]
    assert log.stat().st_mtime_ns != before
    assert dump_gradebook(out) == gradebook


MOVED = ("train_epoch: zeroes gradients before each step", "softmax: matches the reference on random inputs")


def test_moving_points_between_checks_lists_exactly_whose_score_changed(batch, tmp_path, scheduler):
    """Move a point from a training check to a softmax check (the total stays 100) in a copy of the course, and regrade
    two submissions of a copy of the batch: does changes.csv list exactly the half-solved student (who passes softmax
    but not training: +1 point, less the 20 % penalty), with that check, and not the empty one, whose score stayed?"""
    course_root = tmp_path / "course"
    for folder in ("graders", "course_lib", "solutions"):
        shutil.copytree(ROOT / folder, course_root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    toml = course_root / "graders" / "grading.toml"
    text = toml.read_text()
    for title, old, new in ((MOVED[0], "points = 3", "points = 2"), (MOVED[1], "points = 4", "points = 5")):
        line = f'"{title}" = {{ {old} }}'
        assert text.count(line) == 1, line
        text = text.replace(line, f'"{title}" = {{ {new} }}')
    toml.write_text(text)
    out = tmp_path / "out"
    shutil.copytree(batch["out"], out)
    before = {s: r["extra_data"]["final_score"] for s, r in batch["results"].items()}
    zips = [batch["zips"]["half"], batch["zips"]["empty"]]  # the workers on this machine grade in the course copy
    result = course(*grade_command(zips, out, batch["config"], batch["data_root"], "--root", course_root, "--jobs", "2",
                                   "--scheduler", scheduler), timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out / "changes.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["student_id"] for row in rows] == ["half-id"]
    assert float(rows[0]["old_score"]) == pytest.approx(before["half"])
    assert float(rows[0]["new_score"]) == pytest.approx(before["half"] + 0.8)  # oracle: +1 point, 20 % late penalty
    assert rows[0]["checks_changed"] == MOVED[1]  # the check whose earned points moved; the training one gave 0 both times
    assert "regraded 2 submissions: 1 final scores changed" in result.stdout


def test_overrides_reach_every_output_and_survive_a_regrade(batch, tmp_path, scheduler):
    """Give the half-solved student the points of one failed check and excuse their training exercise, and name a
    student who handed nothing in, in a copy of the batch: does re-running `course grade` (nothing regraded) put the
    overridden score, less the late penalty, in results.json, the gradebook, grades.csv and the feedback, say which
    student is unknown (exit 2), and does `course report` list both (and compare the three students' kept code)?
    After a `--force` regrade, is the score the same?"""
    out, checks = tmp_path / "out", load_config(ROOT / "graders" / "grading.toml")
    shutil.copytree(batch["out"], out)
    config = tmp_path / "course.toml"
    config.write_text(batch["config"].read_text() + '[overrides]\nfile = "overrides.csv"\n')
    shutil.copy(batch["base"] / "receipts.csv", tmp_path / "receipts.csv")
    overrides = tmp_path / "overrides.csv"
    rows = ("student_id,target,points,reason\nhalf-id,sgd: update rule,{p},accepted regrade\n"
            "half-id,training,excused,medical\n").format(p=checks["sgd: update rule"].points)
    overrides.write_text(rows + "ghost-id,softmax,20,typo\n")
    # oracle, from grading.toml: the rest (all but training) earns the half's modules plus the sgd check; training
    # earns that share of its own points; then 20 % late
    training = sum(c.points for title, c in checks.items() if title.split(":")[0] in EXERCISES["training"])
    earned = oracle_points(SOLVED_IN_HALF) + checks["sgd: update rule"].points
    expected = earned * 100 / (100 - training)
    result = course(*grade_command(batch["zips"].values(), out, config, batch["data_root"]), timeout=600)
    assert result.returncode == 2 and "graded 0, already graded 3" in result.stdout, result.stderr[-2000:]
    assert "overrides row 4: no graded submission of this run is student 'ghost-id'" in result.stderr
    half = json.loads((out / f"half-id-{ASSIGNMENT}" / "results.json").read_text())
    assert half["score"] == pytest.approx(expected, abs=1e-4)
    assert half["extra_data"]["final_score"] == pytest.approx(0.8 * expected, abs=1e-4)
    assert [o["target"] for o in half["extra_data"]["overrides"]] == ["sgd: update rule", "training"]
    assert dump_gradebook(out)["half-id"]["score"] == pytest.approx(expected, abs=1e-4)
    with open(out / "grades.csv", newline="") as f:
        row = {r["student_id"]: r for r in csv.DictReader(f)}["half-id"]
    assert float(row["total"]) == pytest.approx(0.8 * expected, abs=1e-3)
    assert float(row["optim"]) == oracle_points(["optim"]) - checks["sgd: zeroes gradients and keeps leaves"].points
    feedback = (out / f"half-id-{ASSIGNMENT}" / "feedback.html").read_text()
    assert "Adjusted by your instructor" in feedback and "medical" not in feedback
    report = course("report", out, "--out", tmp_path / "charts", timeout=300)
    assert "half-id (half-id-week-3): training: 0 -> " in report.stdout and ": medical" in report.stdout
    with open(tmp_path / "charts" / "similarity.csv", newline="") as f:  # the code the grade kept, compared
        pairs = list(csv.DictReader(f))
    assert len(pairs) == 3  # three students: three pairs
    assert {p[c] for p in pairs for c in ("student_a", "student_b")} == {f"{s}-id" for s in batch["zips"]}  # results
    overrides.write_text(rows)
    result = course(*grade_command([batch["zips"]["half"]], out, config, batch["data_root"], "--force",
                                   "--scheduler", scheduler), timeout=600)
    assert result.returncode == 0 and "no final score changed" in result.stdout, result.stderr[-2000:]
    regraded = json.loads((out / f"half-id-{ASSIGNMENT}" / "results.json").read_text())
    assert regraded["extra_data"]["final_score"] == half["extra_data"]["final_score"]


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def _ledger(out: Path) -> dict[str, tuple]:
    """The batch ledger's commits by submission name: (input hash, run, commit time), read with sqlite3 itself."""
    import sqlite3

    with sqlite3.connect(out / "ledger.sqlite") as db:
        return {name: rest for name, *rest in db.execute("SELECT name, input_hash, run, committed_at FROM commits")}


def test_killed_batch_resumes_to_the_same_gradebook(batch, tmp_path, scheduler):
    """Kill a batch (SIGKILL, on its embedded cluster) once its first submission is finished and the next is
    grading; does the rerun (on the session's cluster) grade only the rest, leave the committed one's ledger entry
    untouched, and end with the gradebook of the uninterrupted run?"""
    zips = [batch["zips"]["empty"], batch["zips"]["half"]]
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "course_tools.cli",
            *map(str, grade_command(zips, out, batch["config"], batch["data_root"], "--jobs", "1"))]
    marker = uuid.uuid4().hex  # inherited by everything the batch starts: Dask workers, warm parents, judges
    victim = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=os.environ | {"COURSE_TEST_BATCH": marker})
    first = out / zips[0].stem / "results.json"
    # a Dask worker grades a submission in a temporary folder named course-grade-<name>-...
    grading_second = lambda: list(Path(tempfile.gettempdir()).glob(f"course-grade-{zips[1].stem}-*"))  # noqa: E731
    deadline = time.monotonic() + 600
    while not (first.exists() and grading_second()) and victim.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the batch ended before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert not (out / zips[1].stem / "results.json").exists()  # killed midway: the second is unfinished
    # the killed batch left no Dask worker, warm parent, judge or sandboxed worker running
    deadline = time.monotonic() + 30
    while processes_inheriting("COURSE_TEST_BATCH", marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_inheriting("COURSE_TEST_BATCH", marker) == []
    assert _processes_mentioning(f"course-grade-{zips[1].stem}-") == []  # e.g. its sandbox, started with a clean env
    committed = _ledger(out)
    assert list(committed) == [zips[0].stem]
    result = course(*grade_command(zips, out, batch["config"], batch["data_root"], "--scheduler", scheduler), timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    # (a grader edited between the two runs would rightly regrade both: run this with the graders at rest)
    assert "graded 1, already graded 1" in result.stdout, result.stdout[-1500:]
    after = _ledger(out)  # the committed submission was not graded again: its commit is untouched
    assert after[zips[0].stem] == committed[zips[0].stem] and set(after) == {z.stem for z in zips}
    uninterrupted = dump_gradebook(batch["out"])
    assert dump_gradebook(out) == {s: uninterrupted[s] for s in ("empty-id", "half-id")}


def test_a_crashed_grader_loses_no_grade(batch, scheduler):
    """When regrading fails (the grader runs out of time), are the earlier results.json and gradebook kept,
    the failure written beside them, and the exit status 1?"""
    out, empty = batch["out"], batch["zips"]["empty"]
    gradebook, results = dump_gradebook(out), (out / empty.stem / "results.json").read_bytes()
    result = course(*grade_command([empty], out, batch["config"], batch["data_root"], "--force", "--timeout", "0.5",
                                   "--scheduler", scheduler), timeout=600)
    assert result.returncode == 1, result.stdout[-2000:]
    error = json.loads((out / empty.stem / "grader_error.json").read_text())
    assert error["extra_data"]["infrastructure_error"] is True and "0.5 s limit" in error["output"]
    assert (out / empty.stem / "results.json").read_bytes() == results
    assert dump_gradebook(out) == gradebook
