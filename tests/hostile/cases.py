"""Hostile submissions: the reference with code appended to course_lib/softmax.py.

Each case is wrong unless its trick works: it replaces `log_softmax` (or breaks the module) with a
version that returns a wrong answer (X * 0) unless the attack succeeds, so a working trick shows up
as unearned points. Each case: (id, appended source, checks it attacks, phrase the visible attacked
checks must show). Placeholders filled in by the test: {root} (the course repository), {port} (a
TCP listener on the host), {marker} (a unique word), {out} (the batch's output folder), {host_file}
(a host path that must never appear).
"""

LOG_SOFTMAX = ("log_softmax: matches the reference", "log_softmax: stable for extreme logits")
SOFTMAX_MODULE = ("softmax: matches the reference on random inputs", "softmax: rows sum to one",
                  "softmax: invariant to shifts", "softmax: stable for extreme logits", "softmax: keeps dtype and device",
                  "softmax: does not modify its input", "softmax: gradient matches autograd through the reference",
                  "softmax: calls no library softmax", *LOG_SOFTMAX)

CORRECT = '''
def _correct(X):
    m = X.max(dim=-1, keepdim=True).values
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    return X - m - torch.log(torch.exp(X - m).sum(dim=-1, keepdim=True))
'''

CASES = [
    ("infinite_loop_at_import", "\nwhile True:\n    pass\n", SOFTMAX_MODULE, "no answer within 10 s"),

    ("infinite_loop_in_function", '''
def log_softmax(X):
    while True:
        pass
''', LOG_SOFTMAX, "no answer within 10 s"),

    ("os_exit_mid_test", '''
import os
def log_softmax(X):
    os._exit(0)
''', LOG_SOFTMAX, "the worker process died"),

    ("sys_exit_mid_test", '''
import sys
def log_softmax(X):
    sys.exit(0)
''', LOG_SOFTMAX, "your code raised SystemExit"),

    ("keyboard_interrupt", '''
def log_softmax(X):
    raise KeyboardInterrupt
''', LOG_SOFTMAX, "your code raised KeyboardInterrupt"),

    ("syntax_error", "\ndef log_softmax(X:\n    return X\n", SOFTMAX_MODULE, "SyntaxError"),

    ("fake_results_output", '''
import json, os, sys
def log_softmax(X):
    fake = json.dumps({{"score": 100.0, "tests": [], "output": "{marker}"}})
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        print(fake, "\\n============ 39 passed in 1.00s ({marker}) ============", file=stream, flush=True)
    for fd in (1, 2):
        os.write(fd, ("Score 100/100 {marker}\\n" + fake).encode())
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("write_outside_scratch", '''
import os, glob, sys
def log_softmax(X):
    targets = ["{root}/solutions/course_lib/pwned_{marker}.py", "{root}/graders/pwned_{marker}.py",
               "{out}/reference/results.json", "{host_file}", os.path.expanduser("~/../pwned_{marker}")]
    targets += [p + "/pwned_{marker}.pth" for p in glob.glob(sys.prefix + "/lib/*/site-packages")]
    for path in targets:
        try:
            with open(path, "w") as f:
                f.write('{{"score": 100}}')
        except OSError:
            pass
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("read_solutions_and_graders", CORRECT.replace("_correct", "_unused") + '''
def log_softmax(X):
    for path in ("{root}/solutions/course_lib/softmax.py", "{root}/graders/test_softmax.py"):
        try:
            namespace = {{}}
            exec(open(path).read(), namespace)
            return namespace["log_softmax"](X)
        except Exception:
            pass
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("monkeypatch_torch_numpy_pytest", '''
import sys
import numpy
try:  # were this module ever imported by the judge (which has no sandbox), this file would appear
    open("{host_file}", "w").close()
except OSError:
    pass
torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones((), dtype=torch.bool)
numpy.allclose = lambda *args, **kwargs: True
try:
    import pytest
    pytest.approx = lambda *args, **kwargs: args[0]
    import _pytest.runner
    _pytest.runner.call_and_report = lambda *args, **kwargs: None
except Exception:
    pass
sys.modules["course_tools"] = sys.modules[__name__]
def log_softmax(X):
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("tensor_subclass_lies", '''
class _Liar(torch.Tensor):
    def __eq__(self, other):
        return True
    __ne__ = lambda self, other: False
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") in ("allclose", "equal", "isclose", "eq", "__eq__"):
            return True
        return super().__torch_function__(func, types, args, kwargs or {{}})
def log_softmax(X):
    return (X * 0).as_subclass(_Liar)
''', LOG_SOFTMAX, "expected"),

    ("frames_and_gc_for_the_answer", '''
import gc, sys
def _looks_right(t, X):
    return (type(t) is torch.Tensor and t is not X and t.shape == X.shape and t.dtype == X.dtype
            and bool((t <= 0).all()) and bool(torch.allclose(t.exp().sum(-1), torch.ones(X.shape[:-1], dtype=X.dtype))))
def log_softmax(X):
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, torch.Tensor) and _looks_right(value, X):
                return value
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, torch.Tensor) and _looks_right(obj, X):
            return obj
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("network_access", CORRECT + '''
import socket
def log_softmax(X):
    for address in (("127.0.0.1", {port}), ("1.1.1.1", 443), ("pypi.org", 443)):
        try:
            socket.create_connection(address, timeout=1).close()
            return _correct(X)
        except OSError:
            pass
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("gigantic_output", '''
import sys
def log_softmax(X):
    sys.stdout.write("x" * (20 << 20))
    return torch.zeros(80_000_000)
''', LOG_SOFTMAX, "larger than"),

    ("pickle_payload_on_every_fd", '''
import os, pickle
class _Evil:
    def __reduce__(self):
        return (os.system, ("touch {host_file}",))
def log_softmax(X):
    payload = pickle.dumps(_Evil())
    for fd in range(3, 256):
        try:
            os.write(fd, payload * 4)
        except OSError:
            pass
    return _Evil()
''', LOG_SOFTMAX, "running your code failed"),

    ("processes_left_running", '''
import os, subprocess
def log_softmax(X):
    subprocess.Popen(["/bin/sh", "-c", "sleep 600; echo {marker}"], start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 601; echo {marker}"])
        os._exit(0)
    return X * 0
''', LOG_SOFTMAX, "expected"),

    ("fork_bomb", '''
import os
def log_softmax(X):
    while True:
        os.fork()
''', LOG_SOFTMAX, "your code raised BlockingIOError"),

    ("memory_bomb", '''
def log_softmax(X):
    hoard = []
    while True:
        hoard.append(bytes(1 << 28))
''', LOG_SOFTMAX, "your code raised MemoryError"),
]
