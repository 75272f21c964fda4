"""Is `course grade` fooled, leaked or hung by hostile submissions? Each case of tests/hostile/cases.py and
tests/hostile/forgeries.py is graded in one `course grade --jobs 2` batch beside an honest submission: the
checks it attacks score 0 with a clear message, its other checks pass, the batch finishes, and the
instructor's files, the other student's results and the process table are as before. The batch runs from a copy of
the course under /tmp, in a path with spaces, by a symlinked venv (the relocated_course fixture). Oracles: the reference's own score, file hashes,
a TCP listener on the host and /proc."""

import hashlib
import json
import resource
import socket
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from course_tools import sandbox
from course_tools.batch.given_code import GIVEN_DIR
from course_tools.contract import check_module
from course_tools.judge.config import load_config
from grade_one import SAME_CRASH
from host_processes import processes_with
from hostile.cases import CASES
from hostile.forgeries import FORGERIES
from submissions import reference_submission

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker

ROOT = Path(__file__).resolve().parents[2]
GUARDED = ("solutions", "graders")
ONLY = "softmax,metrics,training"  # the modules the cases attack: the other modules' checks would only add time
# (--call-timeout 10 s: an infinite loop costs seconds; encoding the 320 MB gigantic output can take 5 s on a busy machine)
# every case as (id, module its code is appended to, code, attacked checks, phrase)
ALL = [(name, "softmax", code, attacked, phrase) for name, code, attacked, phrase in CASES] + FORGERIES
HONEST_SCORE = sum(entry.points for title, entry in load_config(ROOT / "graders" / "grading.toml").items()
                   if check_module(title) in ONLY.split(","))


def judged_modules(module: str) -> tuple[str, ...]:
    """The modules whose checks a case is judged on: the attacks on softmax.py only on softmax's (a torch
    they patched may break the rest of their own work), the forgeries on metrics' and training's."""
    return ("softmax",) if module == "softmax" else ("metrics", "training")


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file under the course's guarded folders (bytecode caches aside)."""
    digests = {}
    for folder in GUARDED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digests[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def small_data_root(source: Path, target: Path, n_train: int = 512, n_test: int = 64) -> Path:
    """The sample's first images as a Fashion-MNIST root: the end-to-end check must run here, not learn much."""
    raw_in, raw_out = source / "FashionMNIST" / "raw", target / "FashionMNIST" / "raw"
    raw_out.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images, labels = (raw_in / f"{prefix}-images-idx3-ubyte").read_bytes(), (raw_in / f"{prefix}-labels-idx1-ubyte").read_bytes()
        (raw_out / f"{prefix}-images-idx3-ubyte").write_bytes(images[:4] + struct.pack(">III", n, 28, 28) + images[16:16 + n * 784])
        (raw_out / f"{prefix}-labels-idx1-ubyte").write_bytes(labels[:4] + struct.pack(">I", n) + labels[8:8 + n])
    return target


@pytest.fixture(scope="module")
def batch(tmp_path_factory, data_root, relocated_course):
    """Grade the reference and every hostile case in one `course grade --jobs 2 --only softmax,metrics,training` run,
    from the course copied under /tmp into a path with spaces and run by its symlinked venv (relocated_course)."""
    assert sandbox.mode() == sandbox.BUBBLEWRAP  # never grade the hostile corpus unconfined: it deletes files
    course, python = relocated_course.root, relocated_course.python
    base = tmp_path_factory.mktemp("hostile")
    out, marker = base / "out", f"hostile-{uuid.uuid4().hex}"
    host_file = base / f"pwned-{marker}"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    fill = {"root": course, "port": listener.getsockname()[1], "marker": marker, "out": out, "host_file": host_file}
    paths = [reference_submission(base / "reference")]
    for name, module, code, *_ in ALL:
        paths.append(reference_submission(base / name, append={module: code.format(**fill)}))
    before = tree_digest(course)
    start, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([str(python), "-m", "course_tools.cli", "grade", *map(str, paths), "--out", str(out),
                          "--jobs", "2", "--quiet", "--data-root", str(small_data_root(data_root, base / "data")), f"--only={ONLY}", "--call-timeout=10"],
                         capture_output=True, text=True, cwd=course, timeout=1800)
    elapsed = time.monotonic() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed_cpu = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    try:
        knocked = listener.accept()
        knocked[0].close()
        knocked = True
    except BlockingIOError:
        knocked = False
    listener.close()
    results = {p.name: json.loads((out / p.name / "results.json").read_text()) for p in paths}
    logs = {p.name: (out / p.name / "grader.log").read_text(errors="replace") for p in paths}
    return {"run": run, "results": results, "logs": logs, "before": before, "after": tree_digest(course), "marker": marker,
            "host_file": host_file, "knocked": knocked, "elapsed": elapsed, "cpu": elapsed_cpu, "out": out, "course": course}


def test_the_batch_finishes_and_the_honest_submission_keeps_full_marks(batch):
    """Does the batch exit normally, and does the honest submission beside the hostile ones score all its checks?"""
    assert batch["run"].returncode == 0, batch["run"].stderr[-3000:]
    reference = batch["results"]["reference"]
    graded = [t for t in reference["tests"] if t["output"] != "not run"]
    assert graded and all(t["status"] == "passed" for t in graded) and reference["score"] == HONEST_SCORE, reference["output"]
    print(f"hostile batch: {len(ALL) + 1} submissions in {batch['elapsed']:.0f} s ({batch['cpu']:.0f} s of CPU)")


@pytest.mark.parametrize("name,module,code,attacked,phrase", ALL, ids=[c[0] for c in ALL])
def test_each_attack_scores_zero_on_what_it_attacked(batch, name, module, code, attacked, phrase):
    """Does the attacked check score 0 with a clear message, while the checks it left alone still pass?"""
    results = batch["results"][name]
    assert not results["extra_data"].get("not_gradable"), results["output"]
    tests = {t["name"]: t for t in results["tests"] if t["output"] != "not run" and check_module(t["name"]) in judged_modules(module)}
    assert {n for n, t in tests.items() if t["status"] == "passed"} == set(tests) - set(attacked), results["output"]
    for title in attacked:
        assert tests[title]["score"] == 0
        if tests[title]["visibility"] == "visible":  # a crash shared with another check is stated there, once
            pointer = SAME_CRASH.match(tests[title]["output"])
            stated = tests.get(pointer["home"], {}) if pointer else tests[title]
            assert phrase in stated.get("output", ""), tests[title]["output"]
    assert sum(t["score"] for t in tests.values()) == sum(t["max_score"] for n, t in tests.items() if n not in attacked)


def test_instructor_files_and_other_results_are_unchanged(batch):
    """Are solutions/, the graders, the virtualenv and the other student's results untouched by the writers?"""
    assert batch["after"] == batch["before"]
    assert batch["results"]["reference"]["score"] == HONEST_SCORE
    assert not batch["host_file"].exists()
    for folder in (batch["course"], ROOT, Path(sys.prefix), batch["out"]):  # the names the writers tried, anywhere below
        assert not [p for p in folder.rglob(f"pwned_{batch['marker']}*")], folder
    assert sorted(p.name for p in batch["out"].iterdir() if p.is_dir()) == sorted(["reference", *[c[0] for c in ALL],
                                                                                 GIVEN_DIR])


def test_no_fake_output_reaches_the_results_or_logs(batch):
    """Does what a submission prints (a fake results.json, '39 passed') stay out of results.json and grader.log?"""
    for name in batch["results"]:
        assert batch["marker"] not in json.dumps(batch["results"][name]), name
        assert batch["marker"] not in batch["logs"][name], name


def test_nothing_reached_the_network_and_no_process_is_left(batch):
    """Did no submission connect to the host, and is every process a submission started gone?"""
    assert batch["knocked"] is False
    deadline = time.monotonic() + 5
    while processes_with(batch["marker"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with(batch["marker"]) == []
