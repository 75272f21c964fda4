"""Are the lab notebooks generated from solutions/, in step with it, and graded by the course's graders?"""

import json
import shutil

import nbformat
import pytest

from course_tools.contract import EXERCISE_MODULES, EXERCISES
from course_tools.release import notebook_grading
from course_tools.release.assignment import stale_release
from course_tools.release.modules import read_parts, split_module
from course_tools.release.notebook_grading import earned_points, notebook_module, submitted_folder
from course_tools.release.notebooks import (ASSIGNMENT, RELEASE_DIR, SOURCE_DIR, build_notebook, notebook_name,
                                            points_by_name, stale_notebooks)

pytestmark = pytest.mark.slow  # every test here starts processes: the course command, a judge, a worker


@pytest.fixture(scope="module")
def sources(root):
    return root / SOURCE_DIR / ASSIGNMENT


@pytest.fixture(scope="module")
def grading_toml(root):
    return root / "graders" / "grading.toml"


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def test_source_notebooks_match_solutions(root, sources, grading_toml):
    """Are solutions/notebooks/ exactly what `course release` generates from solutions/course_lib/?"""
    stale = stale_notebooks(root / "solutions" / "course_lib", grading_toml, EXERCISES, sources)
    assert not stale, f"run `course release`: {stale} drifted from solutions/course_lib/"


def test_released_notebooks_match_a_fresh_release(root):
    """Are exercises/ exactly what nbgrader's generate_assignment makes from the source notebooks?"""
    assert sorted(p.name for p in (root / RELEASE_DIR / ASSIGNMENT).glob("*.ipynb")) == \
        [notebook_name(m, EXERCISE_MODULES) for m in EXERCISE_MODULES]
    stale = stale_release(root)
    assert not stale, f"run `course release`: exercises/{ASSIGNMENT}/{stale} drifted from the source notebooks"


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_solution_cells_are_the_reference_definitions(root, sources, module):
    """Does each notebook's code rebuild solutions/course_lib/<module>.py's definitions, in order (one source)?"""
    rebuilt = split_module(notebook_module(sources / notebook_name(module, EXERCISE_MODULES), root / "solutions" / "course_lib"), module)
    reference = read_parts(root / "solutions" / "course_lib", module)
    assert rebuilt.definitions == reference.definitions and rebuilt.preamble == reference.preamble


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_every_contract_name_has_a_locked_test_cell_worth_its_checks(sources, grading_toml, module):
    """Does each contract name get a locked autograded cell with grading.toml's points and a hidden grader call?"""
    notebook = nbformat.read(sources / notebook_name(module, EXERCISE_MODULES), as_version=4)
    tests = {_nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c).get("grade")}
    points = points_by_name(grading_toml)
    assert sorted(tests) == sorted(f"test-{name}" for name in EXERCISES[module])
    for name in EXERCISES[module]:
        cell = tests[f"test-{name}"]
        assert _nbgrader(cell)["locked"] and _nbgrader(cell)["points"] == points[name]
        assert f'earned_points("{name}")' in cell.source.split("### BEGIN HIDDEN TESTS")[1]


def test_notebooks_are_worth_the_hidden_graders_total(sources):
    """Do the lab's test cells add up to the graders' 100 points?"""
    total = sum(_nbgrader(c).get("points", 0) for path in sources.glob("*.ipynb")
                for c in nbformat.read(path, as_version=4).cells)
    assert total == pytest.approx(100)


def test_released_notebooks_keep_no_solution_and_no_hidden_test(root):
    """Are solutions stubbed and hidden tests gone in every released notebook, with visible checks kept?"""
    for path in (root / RELEASE_DIR / ASSIGNMENT).glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            assert "HIDDEN TESTS" not in cell.source and "earned_points" not in cell.source, path.name
            if _nbgrader(cell).get("solution"):
                assert "raise NotImplementedError()" in cell.source, (path.name, _nbgrader(cell)["grade_id"])
            if _nbgrader(cell).get("grade"):
                assert "assert" in cell.source, (path.name, _nbgrader(cell)["grade_id"])


def test_a_module_without_a_contract_definition_is_refused(tmp_path, grading_toml):
    """Is a reference that lacks a contract name an error rather than a notebook with no test for it?"""
    (tmp_path / "optim.py").write_text('"""Exercise: nothing."""\n\nimport torch\n\n\ndef other():\n    return 1\n')
    with pytest.raises(ValueError, match="does not define"):
        build_notebook(tmp_path, "optim", ("sgd",), EXERCISE_MODULES, points_by_name(grading_toml))


def test_submitted_folder_is_found_from_the_autograded_copy(tmp_path, root, monkeypatch):
    """Under autograde, is the student's submitted folder (all notebooks) found from the kernel's autograded folder?"""
    shutil.copy(root / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    kernel_cwd = tmp_path / "autograded" / "alice" / ASSIGNMENT
    kernel_cwd.mkdir(parents=True)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert submitted_folder(kernel_cwd) == (tmp_path / "submitted" / "alice" / ASSIGNMENT, "alice")
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert submitted_folder(kernel_cwd) == (kernel_cwd, "alice")


def _answered(source_path, target, replace=None):
    """The source notebook with its hidden blocks removed, optionally with one solution line changed."""
    notebook = json.loads(source_path.read_text())
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if replace and replace[0] in text:
            text = text.replace(*replace)
        cell["source"] = text
    target.write_text(json.dumps(notebook))


@pytest.mark.slow
def test_hidden_cells_give_partial_credit_from_the_graders(root, sources, data_root, tmp_path, monkeypatch, capsys):
    """Does a softmax without the max shift earn the grading.toml points of the checks it passes, and say why it fails?

    Oracle: an unshifted softmax overflows, so the stable-logits check (3 points) and the shift check at
    ±1000 (2 points) fail; the others pass.
    """
    monkeypatch.setenv("FASHION_MNIST_ROOT", str(data_root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "submitted" / "carol" / ASSIGNMENT
    folder.mkdir(parents=True)
    _answered(sources / "01-softmax.ipynb", folder / "01-softmax.ipynb",
              ("X_max = X.amax(dim=-1, keepdim=True).detach()", "X_max = 0"))
    assert earned_points("softmax", folder) == points_by_name(root / "graders" / "grading.toml")["softmax"] - 3 - 2
    out = capsys.readouterr().out
    assert "FAIL   0/3   softmax: stable for extreme logits" in out and "FAIL   0/2   softmax: invariant to shifts" in out
    calls = []
    monkeypatch.setattr(notebook_grading, "grade", lambda *a, **k: calls.append(a))
    assert earned_points("log_softmax", folder) == 3 and not calls  # the same submission is graded once


def test_given_cell_brings_in_the_students_earlier_work(sources, tmp_path, monkeypatch):
    """Does 02-losses' given cell define log_softmax from the solution cells of 01-softmax in the same folder?

    Oracle: the earlier notebook's log_softmax is a marked stand-in, so the defined function must be that one.
    """
    _answered(sources / "01-softmax.ipynb", tmp_path / "01-softmax.ipynb",
              ("    shifted = X - X.amax(dim=-1, keepdim=True).detach()\n", "    return 'from notebook 1'\n"))
    given = next(c for c in nbformat.read(sources / "02-losses.ipynb", as_version=4).cells if _nbgrader(c).get("grade_id") == "imports")
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(given.source, namespace)  # as at a notebook's top level: one namespace for globals and locals
    assert namespace["log_softmax"](None) == "from notebook 1" and callable(namespace["softmax"])
