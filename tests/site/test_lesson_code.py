"""The code in the Markdown lessons runs: every ```python block of a page, in order, in one namespace.

Students copy these snippets, so each page's blocks must run as written, on the CPU, with no
worker processes. Oracle: Python itself (no exception); the values the pages quote in comments are not compared.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from site_pages import DOCS

FENCE = re.compile(r"^(?P<indent>[ ]*)```python\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)


def python_blocks(page) -> list[str]:
    """The page's ```python blocks (tabbed ones included), dedented, in order."""
    return [textwrap.dedent(m.group("body")) for m in FENCE.finditer(page.read_text(encoding="utf-8"))]


LESSONS = sorted((DOCS / "lessons").glob("*.md"))


@pytest.mark.parametrize("page", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_code_runs(page):
    """Do all of a lesson's Python snippets run, one after another, as a student would paste them?"""
    blocks = python_blocks(page)
    assert blocks, f"{page.name} has no Python code"
    namespace: dict = {}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"{page.name}, block {i + 1}", "exec"), namespace)
        except Exception as error:  # noqa: BLE001 - name the block, so the page is easy to fix
            pytest.fail(f"{page.name}, Python block {i + 1} raised {error!r}:\n{block}")


def test_softmax_lesson_snippets_agree_with_torch():
    """Are the softmax page's from-scratch and torch.nn softmaxes the same function, stable on huge logits?"""
    import torch

    blocks = python_blocks(DOCS / "lessons" / "softmax.md")
    scratch, library = {}, {}
    exec(next(b for b in blocks if "O.max(dim=-1" in b), {"torch": torch}, scratch)
    exec(next(b for b in blocks if "torch.softmax(O" in b), {"torch": torch}, library)
    logits = torch.tensor([[0.1, 10.0, 0.1], [1000.0, 10.0, 1000.0], [-3.0, 0.0, 2.0]])
    assert torch.allclose(scratch["softmax"](logits), library["softmax"](logits))
    assert torch.allclose(scratch["softmax"](logits)[1], torch.tensor([0.5, 0.0, 0.5]))
