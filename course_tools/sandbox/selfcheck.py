"""The sandbox self-check: start a worker as grading would, with no student code, and judge what it could do.

Each finding is judged on the trusted side where it can be: the canary files are read back on the
host and the host's own TCP listener says whether it was contacted. `course grade` refuses to
start unless every finding is ok or, on an explicit opt-in, a warning.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import sandbox

OK, WARN, FAIL = "ok", "warn", "FAIL"
UNSAFE_HINT = "Only for code you trust (your own, or the reference): `course grade --unsafe-no-sandbox`."


@dataclass
class Finding:
    """One fact about the sandbox: its status (ok, warn, FAIL), a name and what was seen."""

    status: str
    name: str
    detail: str


@dataclass
class Report:
    """The findings of one self-check, the mode checked and, when something failed, how to fix it."""

    mode: str
    findings: list[Finding] = field(default_factory=list)
    fix: str = ""

    @property
    def ok(self) -> bool:
        return all(f.status != FAIL for f in self.findings)

    def lines(self) -> list[str]:
        out = [f"sandbox mode: {self.mode} ({sandbox.MODES.get(self.mode, 'unknown')})"]
        out += [f"  {f.status:<4}  {f.name}: {f.detail}" for f in self.findings]
        out.append("grading can start." if self.ok else "grading is refused: no student code will run unconfined.")
        if self.fix:
            out += ["", "How to fix it:", *(f"  {line}" for line in self.fix.splitlines())]
        return out


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _in_container() -> bool:
    return Path("/.dockerenv").exists() or Path("/run/.containerenv").exists() or \
        any(word in _read("/proc/1/cgroup") for word in ("docker", "kubepods", "containerd", "lxc"))


def bubblewrap_fix(error: str) -> str:
    """What to do about bwrap's failure on this machine: the package, the kernel setting, the container."""
    if "not installed" in error:
        return ("Install bubblewrap: Debian/Ubuntu `sudo apt-get install bubblewrap`, Fedora `sudo dnf install bubblewrap`,\n"
                "Arch `sudo pacman -S bubblewrap`. On macOS or Windows, grade in a Linux VM (WSL 2 works) with bubblewrap.\n"
                + UNSAFE_HINT)
    steps = []
    if _read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").strip() == "1":
        steps.append("Ubuntu 23.10+/24.04 lets AppArmor block unprivileged user namespaces: allow them with\n"
                     "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (persist it in /etc/sysctl.d/),\n"
                     "give /usr/bin/bwrap an AppArmor profile with `userns,`, or grade as root.")
    if _read("/proc/sys/kernel/unprivileged_userns_clone").strip() == "0":
        steps.append("This kernel disables unprivileged user namespaces: `sudo sysctl -w kernel.unprivileged_userns_clone=1`, or grade as root.")
    if _read("/proc/sys/user/max_user_namespaces").strip() == "0":
        steps.append("user.max_user_namespaces is 0: `sudo sysctl -w user.max_user_namespaces=15000`.")
    if _in_container():
        steps.append("This is a container: Docker's default seccomp profile blocks the namespaces bwrap needs. Run it with\n"
                     "`--security-opt seccomp=unconfined` (or a profile that allows unshare/clone of namespaces), or grade on\n"
                     "the host. Where one container per submission is itself the sandbox (Gradescope, PrairieLearn),\n"
                     "opt in as root with COURSE_SANDBOX=container.")
    if not steps:
        steps.append("Allow unprivileged user namespaces (or grade as root) so that `bwrap --unshare-all true` succeeds.")
    return "\n".join(steps + [UNSAFE_HINT])


def _host_namespaces() -> dict[str, str]:
    return {name: os.readlink(f"/proc/self/ns/{name}") for name in ("user", "net", "pid", "mnt")}


def _probe(work: Path, request: dict, limits: sandbox.Limits) -> tuple[dict | None, str]:
    """Run the worker's --self-check in the sandbox; return its facts (None if it failed) and its stderr."""
    stage = sandbox.stage_worker(work / "stage")
    scratch = Path(tempfile.mkdtemp(prefix="course-scratch-"))  # as the client's: reachable by a dropped uid
    try:
        launched = sandbox.start_worker(stage, scratch, limits, extra=("--self-check", json.dumps(request)),
                                        stderr=subprocess.PIPE)
        try:
            out, err = launched.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            launched.process.kill()
            out, err = launched.process.communicate()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    try:
        return json.loads(out.decode().strip().splitlines()[-1]), err.decode(errors="replace")
    except (ValueError, IndexError):
        return None, err.decode(errors="replace").strip() or f"exit status {launched.process.returncode}"


def _probe_warm(zygote, request: dict, limits: sandbox.Limits) -> tuple[dict | None, str]:
    """The same self-check in a worker forked from `zygote` (sandbox/zygote.py), exactly as a judge would get one."""
    import select

    from .zygote import spawn

    folder = Path(tempfile.mkdtemp(dir=zygote.stages))
    try:
        worker = spawn(zygote.socket_path, sandbox.stage_worker(folder / "stage"), limits, self_check=request)
        try:
            ready = select.select([worker.stdout], [], [], 60)[0]
            line = worker.stdout.readline() if ready else b""
            said = "" if line else worker.failure()
        finally:
            worker.kill()
            worker.wait()
            worker.stdin.close()
            worker.stdout.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        return json.loads(line), ""
    except ValueError:
        return None, said or "the warm worker wrote no self-check"


def _confinement(facts: dict, host_ns: dict, opted_out: bool, canary_ok: bool, contacted: bool,
                 limits: sandbox.Limits) -> list[Finding]:
    """Findings on namespaces, uid, the grader's files, privileges and limits, from the probe's facts and the
    host's canaries."""
    weak = WARN if opted_out else FAIL  # unconfined is a failure unless the instructor opted in
    own = {name: facts["namespaces"].get(name) != host_ns[name] for name in ("net", "pid", "mnt", "user")}
    network = own["net"] and not contacted
    seen = [p for p, visible in facts["visible"].items() if visible]
    findings = [
        Finding(OK if network else weak, "network", "its own namespace; the host's loopback listener was never contacted"
                if network else "the worker shares the machine's network" + (" and reached the host" if contacted else "")),
        Finding(OK if own["pid"] else weak, "processes", "its own pid namespace" if own["pid"] else
                "the worker sees and can signal the machine's processes"),
        Finding(OK if own["mnt"] and not seen else weak, "files", "its own mount namespace; graders, solutions and the "
                "canary folder are invisible" if own["mnt"] and not seen else
                f"the worker sees the machine's files{': ' + ', '.join(seen) if seen else ''}"),
    ]
    if os.geteuid() == 0:
        dropped = facts["uid"] != 0
        findings.append(Finding(OK if dropped else FAIL, "uid", f"root dropped for the unused uid {facts['uid']}"
                                if dropped else "the worker kept root"))
    else:
        findings.append(Finding(OK if own["user"] else weak, "uid", "its own user namespace" if own["user"] else
                                f"the worker runs as you (uid {os.getuid()}): it can read, change and delete your files"))
    findings.append(Finding(OK if canary_ok else weak if os.geteuid() != 0 else FAIL, "grader's files",
                            "the worker could not create, change or delete them" if canary_ok
                            else "the worker created, changed or deleted a file of the grader's"))
    return findings + _taken_on(facts["confinement"], limits)


def _taken_on(facts: dict, limits: sandbox.Limits) -> list[Finding]:
    """Findings on what the worker process itself took on (worker/confinement.py): privileges and limits."""
    kept = {name: hex(value) for name, value in facts["capabilities"].items() if value}
    bare = not kept and facts["no_new_privileges"] and facts["groups"] == []
    asked = {"RLIMIT_AS": limits.memory_bytes, "RLIMIT_CPU": limits.cpu_seconds, "RLIMIT_FSIZE": limits.file_bytes,
             "RLIMIT_CORE": 0}
    loose = [name for name, value in asked.items() if facts["limits"][name] != [value, value]]
    return [Finding(OK if bare else FAIL, "privileges", "no capability or group, and none to gain from a setuid program"
                    if bare else f"the worker keeps capabilities {kept or 'none'}, groups {facts['groups']}, "
                    f"no_new_privs {facts['no_new_privileges']}"),
            Finding(FAIL if loose else OK, "limits", "memory, CPU time, file size and core dumps are capped"
                    if not loose else f"not capped as asked: {', '.join(loose)}")]


def _observed(limits: sandbox.Limits, zygote) -> tuple[dict | None, str, bool, bool]:
    """Run the probe beside the host's canaries and loopback listener: (the worker's facts or None, its stderr,
    whether it reached the listener, whether the canary files are exactly as they were)."""
    with tempfile.TemporaryDirectory(prefix="course-sandbox-check-") as tmp:
        work = Path(tmp)
        canaries = work / "grader-files"
        canaries.mkdir(mode=0o755)
        kept = canaries / "kept.txt"
        kept.write_text("the grader's file\n")
        created = canaries / "created.txt"
        root = sandbox.COURSE_ROOT
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.2)
        request = {"port": listener.getsockname()[1], "targets": [str(kept), str(created)], "delete": [str(kept)],
                   "hidden": [str(canaries), str(root / "solutions"), str(root / "graders")],
                   "sys_path": [t for _, t in sandbox.python_binds() if t in sys.path]}
        try:
            facts, stderr = _probe_warm(zygote, request, limits) if zygote else _probe(work, request, limits)
            try:
                listener.accept()[0].close()
                contacted = True
            except OSError:
                contacted = False
        finally:
            listener.close()
        canary_ok = kept.is_file() and kept.read_text() == "the grader's file\n" and sorted(os.listdir(canaries)) == ["kept.txt"]
    return facts, stderr, contacted, canary_ok


def self_check(limits: sandbox.Limits = sandbox.Limits(), zygote=None) -> Report:
    """Check the sandbox that `course grade` would use now; report.ok is False when grading must refuse.

    With `zygote` the worker checked is one forked from it (a warm worker), else a cold one."""
    try:
        wanted = sandbox.requested_mode()
    except sandbox.SandboxUnavailable as error:
        return Report("unknown", [Finding(FAIL, sandbox.MODE_ENV, str(error))])
    report = Report(wanted)
    if wanted in (sandbox.BUBBLEWRAP, sandbox.OWN):
        bwrap, error = shutil.which("bwrap"), sandbox.bubblewrap_error()
        report.findings.append(Finding(OK if bwrap else FAIL, "bubblewrap", bwrap or error))
        if bwrap:
            report.findings.append(Finding(FAIL if error else OK, "namespaces", error or "bwrap creates them"))
        if error:
            report.fix = bubblewrap_fix(error)
            if wanted == sandbox.BUBBLEWRAP:
                return report
    else:
        report.findings.append(Finding(WARN, "opt-in", f"{sandbox.MODE_ENV}={wanted}: {sandbox.MODES[wanted]}"))
    try:
        sandbox.mode()
    except sandbox.SandboxUnavailable as error:
        report.findings.append(Finding(FAIL, "mode", str(error)))
        return report
    facts, stderr, contacted, canary_ok = _observed(limits, zygote)
    if facts is None:
        report.findings.append(Finding(FAIL, "worker start", f"the worker did not start in the sandbox: {stderr[-800:]}"))
        report.fix = report.fix or ("The worker could not run Python inside the sandbox. Run `course sandbox-check` in this\n"
                                    "course's venv; if it still fails, report the line above with your Python's path.")
        return report
    missing = facts["missing_paths"] + ([] if facts["torch"] else ["torch"])
    report.findings.append(Finding(FAIL if missing else OK, "worker start", "Python and torch are visible to the worker"
                                   if not missing else f"not visible to the worker: {', '.join(missing)}"))
    if missing and facts["uid"] != os.getuid() and sandbox.mode() != sandbox.BUBBLEWRAP:
        report.fix = (f"The worker, dropped to an unprivileged uid, cannot read this Python installation ({(facts['missing_paths'] or [sys.prefix])[0]}).\n"
                      "Grade with a Python that every user can read (e.g. `/usr/bin/python3 -m venv /opt/course-venv`\n"
                      "and install the course there), or let others traverse the folder that hides it (`chmod o+x /root`).")
    opted_out = sandbox.mode() != sandbox.BUBBLEWRAP  # none, container, or own without bwrap: chosen, not fallen into
    report.findings += _confinement(facts, _host_namespaces(), opted_out, canary_ok, contacted, limits)
    return report


def refusal(grader: str) -> str | None:
    """Print the self-check; None when grading may start, else why not (fail closed: grade nothing)."""
    report = self_check()
    print("\n".join(report.lines()))
    if report.ok:
        return None
    return f"{grader} sandbox ({os.environ.get(sandbox.MODE_ENV)}) does not work; the instructor can see why in its output"
