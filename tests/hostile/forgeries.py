"""Hostile submissions that skip a behaviour and forge the log a grader could have watched instead.

Each is the reference with code appended to one module: it redefines a function so that it skips
the work (train mode, eval mode, no gradient tracking, zeroing gradients) and rewrites what an
instrumented object inside the worker would have recorded about it (a mode flag, torch's grad
flag, `zero_grad` calls, the harness's own recorder). Graders that read such logs gave these
points; graders that judge values on the trusted side give none. Each case: (id, module the code
is appended to, appended source, checks it must lose, phrase the visible lost checks must show). The
sources go through str.format like the cases', so they hold no braces.
"""

TRAIN_MODE = "train_epoch: puts the net in train mode"
EVAL_MODE = "evaluate_accuracy: eval mode and no gradient tracking"

# train_epoch without net.train(); the reference's own loop does the rest
SKIP_TRAIN_MODE = '''
_reference_train_epoch = train_epoch


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, nn.Module):
        net.train = lambda mode=True: net
    return _reference_train_epoch(net, train_iter, loss, updater)
'''

FORGERIES = [
    ("forge_train_mode_flag", "training", SKIP_TRAIN_MODE + '''

_skipping_train_epoch = train_epoch


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, nn.Module):
        net.__dict__["training"] = True  # the flag a recorder reads, on the outer module only: its layers stay in eval mode
    result = _skipping_train_epoch(net, train_iter, loss, updater)
    for event in getattr(net, "events", []):  # any recorded [name, training, ...] rewritten to "train mode"
        if isinstance(event, list) and len(event) > 1 and event[0] == "forward":
            event[1] = True
    return result
''', (TRAIN_MODE,), "net.train()"),

    ("monkeypatch_module_train", "metrics", '''

def _train_without_switching(self, mode=True):
    self.training = mode  # recorded on the module it was called on; its layers never switch
    return self


nn.Module.train = _train_without_switching
''', (TRAIN_MODE, EVAL_MODE), "BatchNorm"),

    ("forge_no_grad_flag", "metrics", '''

def evaluate_accuracy(net, data_iter):
    if isinstance(net, nn.Module):
        net.eval()
    real = torch.is_grad_enabled
    torch.is_grad_enabled = lambda: False  # what a recorder asks; autograd itself keeps tracking
    try:
        correct, total = 0.0, 0
        for X, y in data_iter:
            correct += accuracy(net(X), y)
            total += y.numel()
        return correct / total
    finally:
        torch.is_grad_enabled = real
''', (EVAL_MODE, "evaluate_accuracy: works with plain callables"), "gradient tracking on"),

    ("forge_zero_grad_records", "training", '''

_reference_train_epoch = train_epoch


def train_epoch(net, train_iter, loss, updater):
    if isinstance(updater, torch.optim.Optimizer):
        log = getattr(updater, "events", None)
        # zero_grad recorded where a recorder expects it, never done: gradients accumulate
        updater.zero_grad = lambda set_to_none=True: log.append(["zero_grad"]) if isinstance(log, list) else None
    return _reference_train_epoch(net, train_iter, loss, updater)
''', ("train_epoch: zeroes gradients before each step", "train_epoch: loss and accuracy averaged per example", TRAIN_MODE,
      "train: history records and callback", "train: runs the given number of epochs"), "expected"),

    ("patch_harness_recorder", "training", SKIP_TRAIN_MODE + '''

import sys

_harness = sys.modules.get("grader_worker.harness")
for _name in dir(_harness):  # every recording net of the grader's harness now logs "train mode", whatever its mode
    _cls = getattr(_harness, _name)
    if isinstance(_cls, type) and issubclass(_cls, nn.Module) and hasattr(_cls, "forward"):
        def _forward(self, *args, _real=_cls.forward, **kwargs):
            out = _real(self, *args, **kwargs)
            for event in getattr(self, "events", [])[-1:]:
                if isinstance(event, list) and len(event) > 1 and event[0] == "forward":
                    event[1] = True
            return out
        _cls.forward = _forward
''', (TRAIN_MODE,), "net.train()"),
]
