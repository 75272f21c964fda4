"""similarity.html: every pair's score in a table, and the most similar pairs side by side, shared code marked.

A standalone page (inline style, no script, nothing fetched): it opens offline, from the report's folder.
Student code reaches it only escaped (similarity._marked); names and ids through Jinja2's autoescape.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..atomic import write_text_atomically
from .similarity import SHOWN, SimilarPair

ROWS = 500  # pairs listed in the table (similarity.csv holds every pair)

_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code similarity: {{ title }}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}.pair{display:flex;gap:1rem}
.pair>div{flex:1 1 0;min-width:0}pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;font-size:.85rem;line-height:1.5}
mark{background:#ffd27a}</style></head>
<body><h1>Code similarity: {{ title }}</h1>
<p>{{ count }} submissions, {{ pairs|length }} pairs. Score: the mean share of each submission's code fingerprints
found in the other (copydetect's winnowing; names, comments, docstrings, layout and the order of functions do not
count; code shared with the given code is nobody's). A high score is a reason to look, not a verdict: read the
code. Shown: the code as compared, shared parts marked.</p>
<table><tr><th>#</th><th>submission a</th><th>submission b</th><th>score</th><th>students</th></tr>
{% for p in pairs[:rows] %}<tr><td>{{ loop.index }}</td><td>{% if p.code_a %}<a href="#pair-{{ loop.index }}">{{ p.a }}</a>{% else %}{{ p.a }}{% endif %}</td>
<td>{{ p.b }}</td><td>{{ "%.3f"|format(p.score) }}</td><td>{{ p.student_a }} / {{ p.student_b }}</td></tr>
{% endfor %}</table>
{% for p in pairs[:shown] %}<h2 id="pair-{{ loop.index }}">{{ loop.index }}. {{ p.a }} and {{ p.b }}: {{ "%.3f"|format(p.score) }}</h2>
<div class="pair"><div><h3>{{ p.a }} ({{ "%.0f"|format(100 * p.share_a) }} % shared)</h3><pre>{{ p.code_a|safe }}</pre></div>
<div><h3>{{ p.b }} ({{ "%.0f"|format(100 * p.share_b) }} % shared)</h3><pre>{{ p.code_b|safe }}</pre></div></div>
{% endfor %}</body></html>
""")


def write_page(path: Path, pairs: list[SimilarPair], count: int, title: str) -> None:
    """Write the page for `pairs` (most similar first) of `count` submissions."""
    write_text_atomically(Path(path), _PAGE.render(pairs=pairs, count=count, title=title, rows=ROWS, shown=SHOWN))
