"""Is the lab notebook generated from solutions/, in step with it, one part per module, and free of answers?"""

import nbformat
import pytest

from course_tools.contract import EXERCISE_MODULES, EXERCISES
from course_tools.release.assignment import stale_release
from course_tools.release.modules import read_parts
from course_tools.release.notebooks import (ASSIGNMENT, NOTEBOOK, RELEASE_DIR, SOURCE_DIR, build_notebook,
                                            points_by_name, stale_notebooks)

pytestmark = pytest.mark.slow  # nbgrader's generate_assignment runs in a subprocess


@pytest.fixture(scope="module")
def sources(root):
    return root / SOURCE_DIR / ASSIGNMENT


@pytest.fixture(scope="module")
def source_notebook(sources):
    return nbformat.read(sources / NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def grading_toml(root):
    return root / "graders" / "grading.toml"


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def _by_id(notebook):
    return {_nbgrader(c)["grade_id"]: c for c in notebook.cells if _nbgrader(c)}


def test_source_notebooks_match_solutions(root, sources, grading_toml):
    """Are solutions/notebooks/ exactly what `course release` generates from solutions/course_lib/?"""
    stale = stale_notebooks(root / "solutions" / "course_lib", grading_toml, EXERCISES, sources)
    assert not stale, f"run `course release`: {stale} drifted from solutions/course_lib/"


def test_released_notebooks_match_a_fresh_release(root):
    """Is exercises/ exactly what nbgrader's generate_assignment makes from the source notebook, and only it?"""
    assert [p.name for p in (root / RELEASE_DIR / ASSIGNMENT).glob("*.ipynb")] == [NOTEBOOK]
    stale = stale_release(root)
    assert not stale, f"run `course release`: exercises/{ASSIGNMENT}/{stale} drifted from the source notebooks"


def test_one_part_per_module_in_course_order(source_notebook):
    """Does the notebook hold the set-up, then each module's part (its solution cells in contract order), then the
    check, so that every later part finds the earlier answers in the same kernel?"""
    ids = [_nbgrader(c).get("grade_id") for c in source_notebook.cells if _nbgrader(c)]
    solutions = [i for i in ids if i in {n for names in EXERCISES.values() for n in names}]
    assert solutions == [n for names in EXERCISES.values() for n in names]  # oracle: contract.py's order
    assert ids[0] == "setup" and ids[-1] == "check"
    assert not [c for c in source_notebook.cells if "json.load(open(" in c.source]  # no lab reads another file


@pytest.mark.parametrize("module", EXERCISE_MODULES)
def test_solution_cells_are_the_reference_definitions(root, source_notebook, module):
    """Are a part's solution cells solutions/course_lib/<module>.py's definitions, and each of its absolute imports
    made by its imports cell or an earlier part's (one source)?"""
    reference = read_parts(root / "solutions" / "course_lib", module)
    cells = _by_id(source_notebook)
    assert [cells[d.name].source for d in reference.definitions] == [d.source.rstrip("\n") for d in reference.definitions]
    up_to_here = EXERCISE_MODULES[:EXERCISE_MODULES.index(module) + 1]
    made = {line for m in up_to_here if f"imports-{m}" in cells for line in cells[f"imports-{m}"].source.splitlines()[1:]}
    assert set(reference.imports) <= made


def test_every_contract_name_has_a_locked_test_cell_worth_its_checks(source_notebook, grading_toml):
    """Does each contract name get a locked autograded cell with grading.toml's points and quick checks?"""
    tests = {i: c for i, c in _by_id(source_notebook).items() if _nbgrader(c).get("grade")}
    points = points_by_name(grading_toml)
    assert sorted(tests) == sorted(f"test-{n}" for names in EXERCISES.values() for n in names)
    for name in (n for names in EXERCISES.values() for n in names):
        cell = tests[f"test-{name}"]
        assert _nbgrader(cell)["locked"] and _nbgrader(cell)["points"] == points[name]
        assert name in cell.source and ("assert" in cell.source)


def test_notebook_is_worth_the_hidden_graders_total(source_notebook):
    """Do the lab's test cells add up to the graders' 100 points?"""
    assert sum(_nbgrader(c).get("points", 0) for c in source_notebook.cells) == pytest.approx(100)


def test_released_notebooks_keep_no_solution(root):
    """Are solutions stubbed in the released notebook, with the visible checks, the set-up and the check kept?"""
    notebook = nbformat.read(root / RELEASE_DIR / ASSIGNMENT / NOTEBOOK, as_version=4)
    for cell in notebook.cells:
        assert "HIDDEN TESTS" not in cell.source and "BEGIN SOLUTION" not in cell.source
        if _nbgrader(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source, _nbgrader(cell)["grade_id"]
    cells = _by_id(notebook)
    assert 'COURSE_HELPERS = ""' in cells["setup"].source and "check_lab(globals())" in cells["check"].source


def test_a_module_without_a_contract_definition_is_refused(tmp_path, grading_toml):
    """Is a reference that lacks a contract name an error rather than a notebook with no test for it?"""
    (tmp_path / "optim.py").write_text('"""Exercise: nothing."""\n\nimport torch\n\n\ndef other():\n    return 1\n')
    with pytest.raises(ValueError, match="does not define"):
        build_notebook(tmp_path, {"optim": ("sgd",)}, points_by_name(grading_toml))
