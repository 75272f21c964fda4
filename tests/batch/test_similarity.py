"""Does the similarity report rank every disguised copy above every pair of independent authors, and write its CSV
and page safely?

Independent authors: the ten learners of tests/corpus/learners/ (written from different editions of the book) and
the reference solution. A disguised copy (tests/corpus/disguise.py) renames, reorders and restyles each module of
an author's code as text. The given code is what `course grade` keeps for the real course: the stubs and the
lessons' code cells."""

from __future__ import annotations

import csv
import itertools
import shutil
from pathlib import Path

import pytest

from corpus.disguise import disguise
from course_tools.batch.given_code import CODE_DIR, keep_given
from course_tools.batch.similarity import CSV_NAME, SimilarPair, canonical, compare, write_csv
from course_tools.batch.similarity_page import write_page
from course_tools.contract import EXERCISE_MODULES

ROOT = Path(__file__).resolve().parents[2]
AUTHORS = {p.name: p / "course_lib" for p in sorted((ROOT / "tests" / "corpus" / "learners").iterdir())
           if (p / "course_lib").is_dir()} | {"reference": ROOT / "solutions" / "course_lib"}


def keep(out: Path, name: str, modules: dict[str, str]) -> None:
    """A graded submission's kept code, as `course grade` writes it."""
    for module, text in modules.items():
        (out / name / CODE_DIR).mkdir(parents=True, exist_ok=True)
        (out / name / CODE_DIR / f"{module}.py").write_text(text)


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """compare() over the eleven authors and a disguised copy of each, with the real course's given code."""
    out = tmp_path_factory.mktemp("similarity")
    for seed, (name, folder) in enumerate(AUTHORS.items()):
        modules = {m: (folder / f"{m}.py").read_text() for m in EXERCISE_MODULES}
        keep(out, name, modules)
        keep(out, f"{name}-copy", {m: disguise(text, seed) for m, text in modules.items()})
    keep_given(out, ROOT)
    return out, compare(out)


def author(name: str) -> str:
    return name.removesuffix("-copy")


def test_the_disguise_changes_every_module(ranked):
    """Oracle check: is each disguised module really different text (names, order, comments, layout)?"""
    out, _ = ranked
    for name in AUTHORS:
        for module in EXERCISE_MODULES:
            original = (out / name / CODE_DIR / f"{module}.py").read_text()
            assert (out / f"{name}-copy" / CODE_DIR / f"{module}.py").read_text() != original


def test_every_disguised_copy_ranks_above_every_pair_of_independent_authors(ranked):
    """Is the lowest score of an author and their own disguised copy above the highest score of two different
    authors (originals or copies)?"""
    _, pairs = ranked
    assert len(pairs) == len(list(itertools.combinations(range(2 * len(AUTHORS)), 2)))
    copies = [p for p in pairs if author(p.a) == author(p.b)]
    independent = [p for p in pairs if author(p.a) != author(p.b)]
    lowest_copy, highest_pair = min(copies, key=lambda p: p.score), max(independent, key=lambda p: p.score)
    assert len(copies) == len(AUTHORS)
    assert lowest_copy.score > highest_pair.score, (lowest_copy, highest_pair)
    print(f"lowest copy {lowest_copy.a} {lowest_copy.score}; highest independent pair {highest_pair.a} / "
          f"{highest_pair.b} {highest_pair.score}")


def test_csv_lists_every_pair_most_similar_first(ranked, tmp_path):
    """Does similarity.csv start with the two submission names and list every pair by descending score?"""
    _, pairs = ranked
    write_csv(tmp_path / CSV_NAME, pairs)
    with open(tmp_path / CSV_NAME, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:3] == ["submission_a", "submission_b", "similarity"] and len(rows) == len(pairs) + 1
    scores = [float(row[2]) for row in rows[1:]]
    assert scores == sorted(scores, reverse=True)


def test_csv_cells_never_start_a_formula(tmp_path):
    """Are submission names and student ids (untrusted) written so that no spreadsheet evaluates them?"""
    write_csv(tmp_path / CSV_NAME, [SimilarPair("=HYPERLINK(1)", "b", "@SUM(1)", "-1", 0.5, 0.5, 0.5)])
    with open(tmp_path / CSV_NAME, newline="") as file:
        [row] = list(csv.reader(file))[1:]
    assert row[:5] == ["'=HYPERLINK(1)", "b", "0.5000", "'@SUM(1)", "'-1"]


def test_the_page_escapes_student_code_and_shows_pairs_side_by_side(tmp_path):
    """Does a module holding HTML reach the page only escaped, with the shared code marked?"""
    hostile = 'def softmax(X):\n    """</pre><script>alert(1)</script>"""\n    m = X.max(-1, keepdim=True)[0]\n' \
              '    e = (X - m).exp()\n    return e / e.sum(-1, keepdim=True)  # <img src=x onerror=alert(2)>\n'
    for name in ("a", "b"):
        keep(tmp_path / "out", name, {"softmax": hostile + "\nx = '<script>alert(3)</script>'\n"})
    pairs = compare(tmp_path / "out")
    write_page(tmp_path / "page.html", pairs, 2, "test")
    page = (tmp_path / "page.html").read_text()
    assert pairs[0].score == 1.0 and "<mark>" in page and 'class="pair"' in page
    assert "<script" not in page and "&lt;script&gt;" in page and "onerror" not in page.replace("&lt;img", "")


def test_canonical_drops_docstrings_comments_and_order():
    """Are two modules that differ only in docstrings, comments, layout and definition order the same text?"""
    first = 'import torch\n\ndef b(x):\n    """doc"""\n    return x  # note\n\ndef a(y):\n    return (y)\n'
    second = "import torch\ndef a(y): return y\n\n\n\ndef b(x):\n    return x\n"
    assert canonical(first) == canonical(second) and "doc" not in canonical(first)
    assert canonical("def broken(:\n") == "def broken(:\n"  # not Python: compared as it is


def test_given_code_holds_the_stubs_and_the_lessons(tmp_path):
    """Does the kept given code hold each stub's docstring and the lessons' code, and refuse a missing extra?"""
    keep_given(tmp_path, ROOT)
    given = tmp_path / "given-code"
    assert "def softmax(X" in (given / "stubs.py").read_text()
    assert "import torch" in (given / "lessons.py").read_text()
    extra = tmp_path / "book"
    shutil.copytree(ROOT / "tests" / "corpus" / "book" / "second_edition", extra)
    keep_given(tmp_path, ROOT, (extra,))
    assert "def " in (given / "given-0.py").read_text()
    with pytest.raises(ValueError, match="nowhere does not exist"):
        keep_given(tmp_path, ROOT, (tmp_path / "nowhere",))
