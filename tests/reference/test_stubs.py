"""Are the student stubs generated from solutions/, in step with them, and do they all raise?"""

import importlib
import inspect

import pytest
import torch

from course_tools.contract import EXERCISES, EXERCISE_MODULES
from course_tools.release.stubs import SolutionRegionError, make_stub, solution_regions, stale_stubs
from course_tools.site import lesson_of_source, site_url

CALLS = {
    "softmax": lambda m: m(torch.zeros(2, 3)),
    "log_softmax": lambda m: m(torch.zeros(2, 3)),
    "cross_entropy": lambda m: m(torch.full((2, 3), 1 / 3), torch.tensor([0, 1])),
    "cross_entropy_from_logits": lambda m: m(torch.zeros(2, 3), torch.tensor([0, 1])),
    "accuracy": lambda m: m(torch.zeros(2, 3), torch.tensor([0, 1])),
    "evaluate_accuracy": lambda m: m(lambda X: X, [(torch.eye(2), torch.tensor([0, 1]))]),
    "SoftmaxRegression": lambda m: m(4, 2),
    "sgd": lambda m: m([torch.zeros(2, requires_grad=True)], 0.1, 2),
    "train_epoch": lambda m: m(lambda X: X, [], None, None),
    "train": lambda m: m(lambda X: X, [], [], None, 1, None, progress=False),
    "build_model": lambda m: m(),
    "build_loss": lambda m: m(),
    "build_optimizer": lambda m: m(torch.nn.Linear(2, 2)),
}


def test_stubs_match_solutions(root):
    """Is course_lib/ exactly what `course release` generates from solutions/?"""
    stale = stale_stubs(root / "solutions" / "course_lib", root / "course_lib", EXERCISE_MODULES)
    assert not stale, f"run `course release`: {stale} drifted from solutions/"


@pytest.mark.parametrize("module,name", [(m, n) for m, names in EXERCISES.items() for n in names])
def test_every_stub_raises_a_helpful_error(root, module, name):
    """Does each contract name raise NotImplementedError naming the exercise and its lesson's address
    on the course site (oracle: mkdocs.yml's site_url, not a repository path)?"""
    stub = getattr(importlib.import_module(f"course_lib.{module}"), name)
    with pytest.raises(NotImplementedError) as info:
        CALLS[name](stub)
    base = site_url(root)
    assert base.startswith("https://") and f"lesson: {base}exercises/" in str(info.value), str(info.value)
    assert "docs/" not in str(info.value)


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_stubs_name_their_lesson_by_its_address(root, module):
    """Is each stub's __lesson__ the address of the page its solution names (exercises/x.md -> <site>exercises/x/)?"""
    page = lesson_of_source((root / "solutions" / "course_lib" / f"{module}.py").read_text())
    stub = lesson_of_source((root / "course_lib" / f"{module}.py").read_text())
    assert page.endswith(".md") and (root / "docs" / page).is_file()
    assert stub == site_url(root) + page.removesuffix(".md") + "/"


def test_without_a_site_url_the_stub_keeps_the_repository_path():
    """Does a course without site_url keep naming docs/<page>, the only place the lesson then is?"""
    source = '__lesson__ = "exercises/a.md"\n\ndef f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n'
    stub = make_stub(source, "mod")
    assert '__lesson__ = "exercises/a.md"' in stub and "(lesson: docs/exercises/a.md)" in stub
    assert "(lesson: https://x.org/c/exercises/a/)" in make_stub(source, "mod", "https://x.org/c/")


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_stubs_keep_signatures_and_docstrings(ref, module):
    """Do the stubs keep every contract name's signature and docstring from the reference?"""
    stub, reference = importlib.import_module(f"course_lib.{module}"), getattr(ref, module)
    for name in EXERCISES[module]:
        assert inspect.signature(getattr(stub, name)) == inspect.signature(getattr(reference, name))
        assert getattr(stub, name).__doc__ == getattr(reference, name).__doc__


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_no_solution_line_reaches_a_stub(root, module):
    """Does no line of a solution region appear in the released stub?"""
    solution = (root / "solutions" / "course_lib" / f"{module}.py").read_text()
    stub = (root / "course_lib" / f"{module}.py").read_text()
    assert "BEGIN SOLUTION" not in stub
    stub_lines = {line.strip() for line in stub.splitlines()}
    for region in solution_regions(solution):
        for line in region.splitlines():
            if line.strip() and not line.strip().startswith("#"):
                assert line.strip() not in stub_lines, line


def test_region_replaced_with_indented_raise():
    """Is a region replaced by a raise at the marker's indentation, naming Class.method?"""
    source = 'class A:\n    def f(self):\n        """Doc."""\n        ### BEGIN SOLUTION\n        return 1\n        ### END SOLUTION\n'
    stub = make_stub(source, "mod")
    assert "        raise NotImplementedError('mod.A.f is not implemented yet" in stub and "return 1" not in stub


@pytest.mark.parametrize("source", [
    "def f():\n    ### BEGIN SOLUTION\n    return 1\n",
    "def f():\n    return 1\n    ### END SOLUTION\n",
    "### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n",
])
def test_unbalanced_or_misplaced_markers_are_refused(source):
    """Are unclosed, unopened or module-level regions an error rather than a silent leak?"""
    with pytest.raises(SolutionRegionError):
        make_stub(source, "mod")
