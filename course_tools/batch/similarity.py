"""How alike the submissions of a graded batch are: copydetect's winnowing (as in MOSS), on canonical code.

copydetect (PyPI, in the instructor extra) already blanks identifiers and drops comments and layout; a
cheater's reordering and reformatting still breaks its k-grams at every joint, so each module is first
made canonical: docstrings dropped, top-level functions and classes sorted by name, `ast.unparse`d. The
code every student was given (given_code.py: the stubs, the lessons' code, and what course.toml adds) is
boilerplate: shared with it, code counts for nobody. A pair's score is the mean of the two fractions of
each submission's fingerprints found in the other. Equal noise and guarantee thresholds make the
fingerprints independent of Python's per-process hash seed, so a report reads the same every time.
Chosen over Dolos (npm) for living in the instructor's Python install; tests/batch/test_similarity.py
measures that every disguised copy ranks above every pair of independent authors.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text_atomically
from ..contract import EXERCISE_MODULES
from .csv_export import spreadsheet_safe
from .given_code import CODE_DIR, GIVEN_DIR

K = 10  # tokens per fingerprint: copydetect's noise and guarantee thresholds, equal on purpose
CSV_NAME, HTML_NAME = "similarity.csv", "similarity.html"
SHOWN = 30  # pairs shown side by side in the HTML page (the CSV lists all)
COLUMNS = ("submission_a", "submission_b", "similarity", "student_a", "student_b", "share_of_a", "share_of_b")
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class SimilarPair:
    """Two submissions and how alike they are: `score` the mean of `share_a` (the fraction of a's fingerprints
    found in b) and `share_b`; `code_a`/`code_b` their canonical code as HTML, the shared parts marked."""

    a: str
    b: str
    student_a: str
    student_b: str
    score: float
    share_a: float
    share_b: float
    code_a: str = ""
    code_b: str = ""


def _drop_docstrings(node) -> None:
    for child in ast.walk(node):
        body = getattr(child, "body", None)
        if isinstance(child, (ast.Module, *DEFS)) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            child.body = body[1:] or [ast.Pass()]


def canonical(source: str) -> str:
    """`source` without docstrings, comments or layout, its top-level definitions sorted by name (imports first);
    the text as it is when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source
    _drop_docstrings(tree)
    definitions = sorted((n for n in tree.body if isinstance(n, DEFS)), key=lambda n: n.name)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    rest = [n for n in tree.body if not isinstance(n, (*DEFS, ast.Import, ast.ImportFrom))]
    tree.body = imports + definitions + rest
    return ast.unparse(tree) + "\n"


def submission_code(folder: Path) -> str:
    """One submission's kept modules (folder/CODE_DIR), each canonical, in contract order."""
    return "".join(canonical((folder / CODE_DIR / f"{m}.py").read_text(encoding="utf-8", errors="replace"))
                   for m in EXERCISE_MODULES if (folder / CODE_DIR / f"{m}.py").is_file())


def compare(out: Path, students: dict[str, str] | None = None, progress: bool = False) -> list[SimilarPair]:
    """Every pair of the submissions below `out` whose code `course grade` kept, most similar first (then by
    name), the first SHOWN with their marked code; `students` ({submission name: student id}, as the caller read
    the results) fills the pairs' student columns. Fewer than two such submissions: []. Quadratic in the
    submissions (13 s for 198 on the 2-core machine); `progress` shows a bar on stderr."""
    import numpy as np
    from copydetect import CodeFingerprint, compare_files  # the instructor extra
    from tqdm import tqdm

    folders = sorted(p for p in Path(out).iterdir() if (p / CODE_DIR).is_dir())
    if len(folders) < 2:
        return []
    given = [CodeFingerprint(path.name, K, 1, fp=io.StringIO(canonical(path.read_text(encoding="utf-8",
                                                                                         errors="replace")))).hashes
             for path in sorted((Path(out) / GIVEN_DIR).glob("*.py"))]
    boilerplate = np.unique(np.array([h for hashes in given for h in hashes]))
    prints = {f.name: CodeFingerprint(f"{f.name}.py", K, 1, boilerplate, fp=io.StringIO(submission_code(f)))
              for f in folders}
    students = {f.name: (students or {}).get(f.name, "") for f in folders}
    pairs = []
    for i, first in enumerate(tqdm(folders, desc="comparing code", unit="submission", disable=not progress)):
        for second in folders[i + 1:]:
            _, shares, _ = compare_files(prints[first.name], prints[second.name])
            a, b = (max(0.0, float(share)) for share in shares)
            pairs.append(SimilarPair(first.name, second.name, students[first.name], students[second.name],
                                     round((a + b) / 2, 4), round(a, 4), round(b, 4)))
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return [_with_code(p, prints[p.a], prints[p.b], compare_files) for p in pairs[:SHOWN]] + pairs[SHOWN:]


def _with_code(pair: SimilarPair, first, second, compare_files) -> SimilarPair:
    """`pair` with both submissions' code as HTML, the shared parts marked."""
    from copydetect.utils import highlight_overlap
    from markupsafe import escape

    _, _, slices = compare_files(first, second)
    code = [_marked(f.raw_code, s, highlight_overlap, escape) for f, s in zip((first, second), slices)]
    return dataclasses.replace(pair, code_a=code[0], code_b=code[1])


def _marked(code: str, slices, highlight_overlap, escape) -> str:
    """`code` as HTML (escaped: it is the student's), the parts shared with the other submission in <mark>."""
    if slices is None or slices.ndim != 2 or slices.shape[1] == 0:
        return str(escape(code))
    return highlight_overlap(code, slices, "<mark>", "</mark>", escape_html=True)[0]


def write_csv(path: Path, pairs: list[SimilarPair]) -> None:
    """similarity.csv: COLUMNS, one row per pair, most similar first (names and ids spreadsheet-safe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((spreadsheet_safe(p.a), spreadsheet_safe(p.b), f"{p.score:.4f}", spreadsheet_safe(p.student_a),
                      spreadsheet_safe(p.student_b), f"{p.share_a:.4f}", f"{p.share_b:.4f}") for p in pairs)
    write_text_atomically(Path(path), buffer.getvalue())
