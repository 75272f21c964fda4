"""Does each install hold what its users run, and no more? The student's base install, and the extras
`instructor`, `site` and `test` (pyproject.toml), resolved through this venv's metadata (install_sets.py)."""

from install_sets import closure

# Issue "Students first": none of these may reach a student's laptop (oracle: the list)
NOT_FOR_STUDENTS = {"dask", "distributed", "nbgrader", "mkdocs", "mkdocs-material", "mkdocs-jupyter",
                    "mkdocs-static-i18n", "playwright", "jieba", "hypothesis", "sqlalchemy", "alembic", "jupyter-server"}


def test_the_student_install_holds_none_of_the_instructors_the_sites_or_the_tests_packages():
    """Does `pip install .` bring torch, torchvision, pytest and Babel, and none of the others' tools?"""
    base = closure()
    assert {"torch", "torchvision", "pytest", "babel"} <= base
    assert not base & NOT_FOR_STUDENTS, sorted(base & NOT_FOR_STUDENTS)


def test_each_extra_brings_its_users_tools():
    """Do `instructor` and `site` bring their own tools only, and `test` (what `make test` installs) all of them?"""
    instructor, site = closure(["instructor"]), closure(["site"])
    assert {"nbgrader", "dask", "distributed"} <= instructor and not instructor & {"mkdocs", "playwright"}
    assert {"mkdocs", "mkdocs-material", "mkdocs-jupyter", "mkdocs-static-i18n", "jieba"} <= site
    assert not site & {"nbgrader", "dask", "distributed", "playwright"}  # `make serve` installs no grading engine
    assert NOT_FOR_STUDENTS <= closure(["test"])
