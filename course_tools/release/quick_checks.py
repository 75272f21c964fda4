"""The visible part of each notebook test cell: quick checks a student can run before grading.

A name whose reference docstring has examples (`>>>`) is checked against a copy of them with
doctest (a copy, so that editing the docstring changes nothing); the others get a short smoke test
below. The full checks are the hidden graders (graders).
"""

from __future__ import annotations

import ast
import textwrap

DOCTEST = """\
import doctest
_runner = doctest.DocTestRunner()
_runner.run(doctest.DocTestParser().get_doctest('''
{examples}''', dict(globals()), "the examples of {name}", None, 0))
assert not _runner.failures, "{name} does not give the results shown in its docstring (see above)"
"""

_TINY_DATA = '''\
_net = torch.nn.Linear(4, 3)
_X, _y = torch.randn(10, 4), torch.randint(0, 3, (10,))
_loss = torch.nn.CrossEntropyLoss(reduction="none")
'''

SMOKE = {
    "train_epoch": _TINY_DATA + '''\
_result = train_epoch(_net, [(_X[:6], _y[:6]), (_X[6:], _y[6:])], _loss, torch.optim.SGD(_net.parameters(), lr=0.1))
assert isinstance(_result, tuple) and len(_result) == 2, f"train_epoch should return (loss, accuracy), got {_result!r}"
assert 0 <= _result[1] <= 1, f"the training accuracy should be a fraction, got {_result[1]!r}"
''',
    "train": _TINY_DATA + '''\
_history = train(_net, [(_X, _y)], [(_X, _y)], _loss, 2, torch.optim.SGD(_net.parameters(), lr=0.1), progress=False)
assert [record["epoch"] for record in _history] == [1, 2], f"expected one record per epoch, got {_history!r}"
''',
    "build_model": '''\
_out = build_model()(torch.zeros(2, 1, 28, 28))
assert _out.shape == (2, 10), f"build_model() should map (2, 1, 28, 28) to logits (2, 10), got {tuple(_out.shape)}"
''',
    "build_loss": '''\
_out = build_loss()(torch.zeros(2, 10), torch.tensor([0, 1]))
assert _out.shape == (2,), f"build_loss() should give one loss per example, shape (2,), got {tuple(_out.shape)}"
''',
    "build_optimizer": '''\
assert isinstance(build_optimizer(torch.nn.Linear(2, 2), lr=0.5), torch.optim.SGD), "build_optimizer should return torch.optim.SGD"
''',
}


def visible_check(name: str, source: str) -> str:
    """The visible test code for contract name `name`, whose definition is `source`."""
    docstring = ast.get_docstring(ast.parse(textwrap.dedent(source)).body[0]) or ""
    if ">>>" in docstring:
        examples = docstring[docstring.index(">>>"):].rstrip() + "\n"
        if "'''" in examples or "\\" in examples:
            raise ValueError(f"the examples of {name} hold ''' or a backslash; keep them plain")
        return DOCTEST.format(name=name, examples=examples)
    if name in SMOKE:
        return SMOKE[name]
    raise ValueError(f"{name} has no docstring examples and no smoke test in course_tools/release/quick_checks.py")
