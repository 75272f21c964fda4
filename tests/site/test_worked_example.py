"""Does the cross-entropy lesson's worked example show the numbers its code prints, in both languages?"""

import contextlib
import io
import math
import re

import pytest

from site_pages import DOCS

CODE = re.compile(r"<!-- worked example: code -->\s*```python\n(.*?)```", re.S)
OUTPUT = re.compile(r"<!-- worked example: output -->\s*```text\n(.*?)```", re.S)
DECIMAL = re.compile(r"-?\d+\.\d{4}\b")


@pytest.mark.parametrize("page", ["cross-entropy.md", "cross-entropy.zh.md"])
def test_the_worked_example_prints_what_the_page_shows(page):
    """Does the page's code, run here, print exactly the page's output block, and is every 4-decimal number in
    the steps above it either printed there or one of the sums it explains? Oracle: the code's own run, and
    exp(1), exp(2), exp(-1), their sum and its log, computed here."""
    text = (DOCS / "lessons" / page).read_text(encoding="utf-8")
    code, shown = CODE.search(text)[1], OUTPUT.search(text)[1]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, page, "exec"), {})
    assert printed.getvalue() == shown
    total = math.exp(1) + math.exp(2) + math.exp(-1)
    explained = {f"{v:.4f}" for v in (math.exp(1), math.exp(2), math.exp(-1), total, math.log(total))}
    steps = text[text.index("{#a-worked-example-by-hand}" if page.endswith(".zh.md") else "### A worked example"):
                 text.index("<!-- worked example: code -->")]
    missing = set(DECIMAL.findall(steps)) - set(DECIMAL.findall(shown)) - explained
    assert not missing, f"numbers in the steps that the code does not print: {sorted(missing)}"
