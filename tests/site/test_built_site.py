"""The built site's files, read without a browser: strict build, offline assets, links, data, points.

Oracles: mkdocs' own output, the HTML as written to disk, the data files' IDX headers, and
graders/grading.toml and public_tests/checks.toml read here with tomllib (not through the hook).
"""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from site_pages import REPO

THIRD_PARTY = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+["']|url\(\s*["']?(?:https?:)?//""", re.I)
SCRIPT_OR_STYLE = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*>", re.I)


def _html_files(site: Path) -> list[Path]:
    """Every page but 404.html, whose links are root-absolute by design (it is served at any depth)."""
    return sorted(p for p in site.rglob("*.html") if "mathjax" not in p.parts and p.name != "404.html")


def test_strict_build_passes_without_warnings(built_site):
    """Does `mkdocs build --strict` succeed, with no WARNING line, and report the notebook timings?"""
    assert not re.search(r"^WARNING\s+-", built_site.output, re.M), "mkdocs warned"  # its own warnings only
    assert re.search(r"notebooks: 3 rendered in [\d.]+ s", built_site.output), built_site.output[-2000:]
    assert (built_site.site / "assets" / "katex" / "katex.min.css").is_file()
    print(f"build took {built_site.seconds:.1f} s")


def test_no_page_loads_anything_from_another_host(built_site):
    """Does no script, stylesheet, image or frame tag, and no CSS url(), point off the site?"""
    offenders = []
    for page in _html_files(built_site.site):
        text = page.read_text(encoding="utf-8")
        for tag in SCRIPT_OR_STYLE.findall(text):
            if re.search(r"""rel\s*=\s*["']canonical["']""", tag, re.I):
                continue  # names the published address (site_url) and loads nothing
            if re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", tag, re.I):
                offenders.append(f"{page.relative_to(built_site.site)}: {tag[:120]}")
    for css in (built_site.site / "assets").rglob("*.css"):
        if THIRD_PARTY.search(css.read_text(encoding="utf-8", errors="replace")):
            offenders.append(str(css.relative_to(built_site.site)))
    assert offenders == []


def test_internal_links_resolve(built_site):
    """Does every relative link and asset on every page point at a file of the built site?"""
    site = built_site.site
    broken = []
    for page in _html_files(site):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"""(?:href|src)="([^"]+)\"""", text):
            target = html.unescape(urldefrag(target)[0])
            if not target or urlsplit(target).scheme or target.startswith(("//", "mailto:")):
                continue
            path = (page.parent / unquote(urlsplit(target).path)).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    assert broken == []


def test_notebook_pages_name_the_data_they_ran_on(built_site):
    """Does each notebook page say it was executed, with the image counts of the data actually used?"""
    from course_lib.data import RAW_FILES, raw_folder, resolve_data_root
    from course_lib.idx import read_idx_header

    raw = raw_folder(resolve_data_root())
    n_train = read_idx_header(raw / RAW_FILES[True][0], ndim=3)[0]
    n_test = read_idx_header(raw / RAW_FILES[False][0], ndim=3)[0]
    for name in ("fashion-mnist", "softmax-regression-scratch", "softmax-regression-concise"):  # NOTEBOOKS, below
        text = (built_site.site / "lessons" / name / "index.html").read_text(encoding="utf-8")
        assert "Executed when this site was built" in text
        assert f"{n_train:,} training and {n_test:,} test images" in text
        assert f"{n_train:,} training + {n_test:,} test images" in text  # printed by the notebook itself
        assert (built_site.site / "lessons" / name / f"{name}.ipynb").is_file()  # the download button's target


def _table_rows(text: str, header: str) -> dict[str, int]:
    """The {check: points} rows of the page's table whose first column is `header`."""
    tables = [t for t in re.findall(r"<table>.*?</table>", text, re.S) if f"<th>{header}</th>" in t]
    assert len(tables) == 1, f"expected one table headed {header!r}, found {len(tables)}"
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>\s*<td[^>]*>(\d+)</td>", tables[0])
    return {html.unescape(name).strip(): int(points) for name, points in rows}


def _checks(path: str) -> dict[str, int]:
    config = tomllib.loads((REPO / path).read_text(encoding="utf-8"))
    return {name: spec["points"] for name, spec in config["checks"].items()}


@pytest.mark.parametrize("page, functions", [
    ("softmax", {"softmax", "log_softmax"}),
    ("cross-entropy", {"cross_entropy", "cross_entropy_from_logits"}),
    ("accuracy", {"accuracy", "evaluate_accuracy"}),
    ("model", {"SoftmaxRegression"}),
    ("sgd", {"sgd"}),
    ("training", {"train_epoch", "train"}),
    ("concise", {"build_model", "build_loss", "build_optimizer"}),
])
def test_exercise_pages_quote_the_graders_points(built_site, page, functions):
    """Does each exercise page list exactly its hidden and public checks, with the graders' points?"""
    text = (built_site.site / "exercises" / page / "index.html").read_text(encoding="utf-8")
    for header, path in (("hidden check", "graders/grading.toml"), ("public check", "public_tests/checks.toml")):
        expected = {name: points for name, points in _checks(path).items() if name.split(":")[0] in functions}
        assert expected and _table_rows(text, header) == expected
        assert f"<strong>{sum(expected.values())}</strong>" in text


def test_exercise_index_totals_100_points(built_site):
    """Does the exercises index list every check, adding up to the graders' 100 points?"""
    text = (built_site.site / "exercises" / "index.html").read_text(encoding="utf-8")
    assert _table_rows(text, "hidden check") == _checks("graders/grading.toml")
    assert "<strong>100</strong>" in text



def test_chinese_points_tables_show_the_titles_that_course_grade_shows(built_site):
    """Does /zh/'s exercises page list every hidden check by its title in the graders' zh catalogue (what
    `course grade --lang zh` prints), with the graders' points? Oracle: the catalogue, read with Babel here."""
    from babel.messages.pofile import read_po

    with open(REPO / "graders" / "locale" / "zh" / "LC_MESSAGES" / "checks.po", "rb") as po:
        chinese = {m.id: m.string for m in read_po(po) if m.id and m.string}
    text = (built_site.site / "zh" / "exercises" / "index.html").read_text(encoding="utf-8")
    expected = {chinese[name]: points for name, points in _checks("graders/grading.toml").items()}
    assert _table_rows(text, "隐藏检查") == expected


@pytest.mark.parametrize("language, caption", [("", "input layer (pixels)"), ("zh/", "输入层（像素）")])
def test_the_network_figure_speaks_the_pages_language(built_site, language, caption):
    """Does the classification lesson's network figure, as each language's page links it, carry that language's
    captions (the i18n plugin's `.zh.svg` twin on /zh/)?"""
    page = built_site.site / language / "lessons" / "classification" / "index.html"
    src = re.search(r'src="([^"]*single-layer-network\.svg)"', page.read_text(encoding="utf-8"))[1]
    assert caption in (page.parent / src).resolve().read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["", "zh/"])
def test_every_notebook_contents_entry_links_a_heading_on_its_page(built_site, language):
    """Does each entry of a notebook page's table of contents link an id on that page, in both languages? (mkdocs-jupyter's
    own slugs drop a heading's code spans; site_hooks/notebooks.py aligns them.) Oracle: the page's HTML ids."""
    for name in NOTEBOOKS:
        page = (built_site.site / language / "lessons" / name / "index.html").read_text(encoding="utf-8")
        contents = page[page.index("md-nav--secondary"):]
        links = re.findall(r'href="#([^"]+)"', contents[:contents.index("</nav>")])
        ids = set(re.findall(r'\sid="([^"]+)"', page))
        assert links and [link for link in links if link not in ids] == [], f"{language}lessons/{name}"

NOTEBOOKS = ("fashion-mnist", "softmax-regression-scratch", "softmax-regression-concise")


def _embedded_helpers(notebook: dict) -> bytes:
    """The zip that the download's set-up cell carries (empty bytes if none)."""
    import base64

    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        match = re.search(r'^COURSE_HELPERS = "([A-Za-z0-9+/=]*)"', source, re.M)
        if cell["cell_type"] == "code" and match:
            return base64.b64decode(match.group(1))
    return b""


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_downloaded_notebooks_carry_the_course_helpers(built_site, name):
    """Does each download's first code cell embed exactly course_lib's helper files (oracle: the files on disk)?"""
    import io
    import json
    import zipfile

    notebook = json.loads((built_site.site / "lessons" / name / f"{name}.ipynb").read_text(encoding="utf-8"))
    first_code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    assert "COURSE_HELPERS = \"" in "".join(first_code["source"])  # the set-up cell comes before any other code
    archive = zipfile.ZipFile(io.BytesIO(_embedded_helpers(notebook)))
    names = sorted(archive.namelist())
    assert "course_lib/data.py" in names and "course_lib/diagnostics.py" in names
    for member in names:
        assert archive.read(member) == (REPO / member).read_bytes(), member
    source = (REPO / "docs" / "lessons" / f"{name}.ipynb").read_text(encoding="utf-8")
    assert 'COURSE_HELPERS = \\"\\"' in source  # the repository's own copy stays small



@pytest.mark.parametrize("folder", ["exercises", "zh/exercises"])
def test_the_lab_download_sits_beside_the_exercises_page_carrying_the_student_package(built_site, folder):
    """Is the lab notebook that the exercises page links (in each language) beside it, the released lab with the
    student package in its set-up cell: course_lib, the public checks and the `course` tools, no instructor tool?

    Oracles: the link in the page's HTML, the released notebook, and the files on disk."""
    import io
    import json
    import zipfile

    from course_tools.release.notebooks import ASSIGNMENT, NOTEBOOK, RELEASE_DIR

    assert f'href="{NOTEBOOK}"' in (built_site.site / folder / "index.html").read_text(encoding="utf-8")
    download = json.loads((built_site.site / folder / NOTEBOOK).read_text(encoding="utf-8"))
    released = json.loads((REPO / RELEASE_DIR / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    assert len(download["cells"]) == len(released["cells"])
    names = zipfile.ZipFile(io.BytesIO(_embedded_helpers(download))).namelist()
    assert {"course_lib/softmax.py", "public_tests/checks.toml", "course_tools/lab_check.py",
            "course_tools/commands/check.py"} <= set(names)
    assert not [n for n in names if n.startswith(("course_tools/batch/", "course_tools/release/", "solutions", "graders"))]

SETUP_OUTSIDE_THE_REPO = r"""
import sys
# Hide this checkout: the editable install's finder and the repository on sys.path.
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "") + repr(f)]
sys.path[:] = [p for p in sys.path if p not in ("", REPO)]
sys.path.insert(0, "")
import importlib.util
assert importlib.util.find_spec("course_lib") is None, "course_lib is still visible"
exec(CELL)
import course_lib.data, course_lib.diagnostics, course_lib.plotting
print(course_lib.data.__file__)
"""


def test_downloaded_setup_cell_installs_the_helpers_outside_the_repository(built_site, tmp_path):
    """Run in an empty folder where course_lib cannot be imported, does the set-up cell make it importable there?"""
    import json
    import subprocess
    import sys

    notebook = json.loads((built_site.site / "lessons" / NOTEBOOKS[1] / f"{NOTEBOOKS[1]}.ipynb").read_text(encoding="utf-8"))
    cell = "".join(next(c for c in notebook["cells"] if c["cell_type"] == "code")["source"])
    script = f"REPO = {str(REPO)!r}\nCELL = {cell!r}\n" + SETUP_OUTSIDE_THE_REPO
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith(str(tmp_path / "course_lib" / "data.py"))  # imported from the new copy
    assert "wrote course_lib/__init__.py" in result.stdout  # the cell says what it did


def test_questions_page_has_eight_worked_answers(built_site):
    """Does the questions page hold at least eight collapsible answers, each with a worked text?"""
    text = (built_site.site / "lessons" / "questions" / "index.html").read_text(encoding="utf-8")
    answers = re.findall(r'<details class="answer">(.*?)</details>', text, re.S)
    assert len(answers) >= 8
    assert all(len(re.sub(r"<[^>]+>", "", a)) > 300 for a in answers)  # worked answers, not one-liners


def test_every_lesson_names_its_prerequisites_and_the_book(built_site):
    """Does every lesson say what it assumes, link the English and Chinese book, and end with a summary?"""
    for page in sorted((built_site.site / "lessons").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        assert "Before you start" in text, page
        assert "https://d2l.ai/chapter_linear-classification/" in text and "https://zh.d2l.ai/chapter_linear-networks/" in text, page
        assert re.search(r'<h2 id="summary"|>Summary<', text), page
