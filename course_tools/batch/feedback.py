"""The feedback page for one graded submission, as Markdown and as HTML, from its results.json.

Grader outputs quote the student's own exception messages, so every piece of results text is
treated as untrusted: fenced in Markdown, escaped (Jinja2 autoescape) in HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from ..i18n import _, active_language
from ..atomic import write_text_atomically
from ..grading_results import BatchRecord, GradingResults
from .exercises import exercise_of

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")  # what changes inline text (never at a line start here)


def _md_text(text: str) -> str:
    """Escape Markdown syntax in inline text."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _md_block(text: str) -> str:
    """A fenced block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def summarise(results: GradingResults) -> dict:
    """What both renderings show: score, penalty, final, per-exercise totals, failed and passed checks."""
    batch = results.batch or BatchRecord()
    exercises: dict[str, list[float]] = {}
    for test in results.tests:
        earned = exercises.setdefault(exercise_of(test.name), [0.0, 0.0])
        earned[0] += test.score
        earned[1] += test.max_score
    tests = [{**t.to_json(), "title": _(t.name), "not_run": t.not_run} for t in results.tests]  # the name stays the key
    return {
        "student": results.student_id or "unknown", "assignment": batch.assignment,
        "score": results.score, "max_score": results.max_score, "penalty": batch.late_penalty,
        "final": results.final_score, "late": batch.late,
        "output": results.output, "exercises": exercises,
        "failed": [t for t in tests if t["status"] != "passed" and not t["not_run"]],
        "passed": [t for t in tests if t["status"] == "passed"],
        "not_run": [t for t in tests if t["not_run"]],
        "adjusted": [{"title": _(o.target), "graded": o.graded_total, "points": o.points_total,
                      "excused": o.excused} for o in batch.overrides],  # the instructor's reason stays theirs
    }


def _utc_minutes(iso: str) -> str:
    """'2027-01-31T23:59:00+00:00' as '2027-01-31 23:59 UTC' (the batch keeps times in UTC)."""
    return iso[:16].replace("T", " ") + " UTC"


def labels(s: dict) -> dict:
    """The page's own words in the active language (check titles are translated where shown)."""
    title = _("Feedback for {student}").format(student=s["student"])
    late = _("({earned} earned, minus a late penalty of {penalty}: submitted {hours} h after the due date)").format(
        earned=f"{s['score']:g}", penalty=f"{s['penalty']:g}", hours=f"{s['late'].get('seconds_late', 0) / 3600:.1f}")
    due = s["late"].get("due") if isinstance(s["late"], dict) else None
    return {"lang": active_language(), "title": title + (f": {s['assignment']}" if s["assignment"] else ""),
            "due": _("Your due date: {due}").format(due=_utc_minutes(due)) if due else "",
            "score": _("Score: {final}/{total}").format(final=f"{s['final']:g}", total=f"{s['max_score']:g}"), "late": late if s["penalty"] else "",
            "exercise": _("exercise"), "points": _("points"), "fix": _("What to fix"), "failed": _("failed"),
            "passed": _("Passed"), "not_run": _("Not run in this grading"),
            "adjusted": _("Adjusted by your instructor"), "excused": _("excused")}


def adjusted_line(item: dict, words: dict) -> str:
    """'<target>: 2 -> 4 points' (', excused' when it was): one override, as the student sees it."""
    excused = f" ({words['excused']})" if item["excused"] else ""
    return f"{item['title']}: {item['graded']:g} → {item['points']:g} {words['points']}{excused}"


def render_markdown(results: GradingResults) -> str:
    """The feedback page in Markdown."""
    s = summarise(results)
    words = labels(s)
    lines = [f"# {_md_text(words['title'])}", "", f"**{_md_text(words['score'])}**"]
    if words["late"]:
        lines[-1] += " " + _md_text(words["late"])
    if words["due"]:
        lines += ["", _md_text(words["due"])]
    lines += ["", _md_block(s["output"]), ""]
    if s["adjusted"]:
        lines += [f"## {words['adjusted']}", ""] + [f"- {_md_text(adjusted_line(a, words))}" for a in s["adjusted"]]
        lines.append("")
    if s["exercises"]:
        lines += [f"| {words['exercise']} | {words['points']} |", "| --- | --- |"]
        lines += [f"| {_md_text(name)} | {got:g}/{most:g} |" for name, (got, most) in s["exercises"].items()]
        lines.append("")
    if s["failed"]:
        lines += [f"## {words['fix']}", ""]
        for test in s["failed"]:
            lines += [f"### {_md_text(test['title'])} ({test['score']:g}/{test['max_score']:g})", "",
                      _md_block(test.get("output") or words["failed"]), ""]
    if s["passed"]:
        lines += [f"## {words['passed']}", ""]
        lines += [f"- {_md_text(t['title'])} ({t['score']:g}/{t['max_score']:g})" for t in s["passed"]]
    if s["not_run"]:
        lines += ["", f"## {words['not_run']}", ""] + [f"- {_md_text(t['title'])}" for t in s["not_run"]]
    return "\n".join(lines).rstrip() + "\n"


_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""<!doctype html>
<html lang="{{ w.lang }}"><head><meta charset="utf-8"><title>{{ w.title }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
pre{background:#f4f4f4;padding:.75rem;white-space:pre-wrap}.fail{color:#a00}.pass{color:#060}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .75rem}</style></head>
<body><h1>{{ w.title }}</h1>
<p><strong>{{ w.score }}</strong>{% if w.late %} {{ w.late }}{% endif %}</p>
{% if w.due %}<p>{{ w.due }}</p>{% endif %}
<pre>{{ s.output }}</pre>
{% if s.adjusted %}<h2>{{ w.adjusted }}</h2><ul>
{% for a in s.adjusted %}<li>{{ line(a, w) }}</li>
{% endfor %}</ul>{% endif %}
{% if s.exercises %}<table><tr><th>{{ w.exercise }}</th><th>{{ w.points }}</th></tr>
{% for name, pair in s.exercises.items() %}<tr><td>{{ name }}</td><td>{{ "%g"|format(pair[0]) }}/{{ "%g"|format(pair[1]) }}</td></tr>
{% endfor %}</table>{% endif %}
{% if s.failed %}<h2>{{ w.fix }}</h2>
{% for t in s.failed %}<h3 class="fail">{{ t.title }} ({{ "%g"|format(t.score) }}/{{ "%g"|format(t.max_score) }})</h3>
<pre>{{ t.output or w.failed }}</pre>
{% endfor %}{% endif %}
{% if s.passed %}<h2>{{ w.passed }}</h2><ul>
{% for t in s.passed %}<li class="pass">{{ t.title }} ({{ "%g"|format(t.score) }}/{{ "%g"|format(t.max_score) }})</li>
{% endfor %}</ul>{% endif %}
{% if s.not_run %}<h2>{{ w.not_run }}</h2><ul>
{% for t in s.not_run %}<li>{{ t.title }}</li>
{% endfor %}</ul>{% endif %}
</body></html>
""")


def render_html(results: GradingResults) -> str:
    """The feedback page as a standalone HTML document (every results string escaped)."""
    s = summarise(results)
    return _HTML.render(s=s, w=labels(s), line=adjusted_line)


def write_feedback(folder: Path, results: GradingResults) -> None:
    """Write folder/feedback.md and folder/feedback.html atomically."""
    write_text_atomically(Path(folder) / "feedback.md", render_markdown(results))
    write_text_atomically(Path(folder) / "feedback.html", render_html(results))
