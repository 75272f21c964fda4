"""Score statistics and the failure rate of each check over graded results (DIR/*/results.json).

Prints the count, mean, median, standard deviation, minimum and maximum of the final scores (after overrides
and late penalties: the gradebook's and grades.csv's totals), the late submissions and where each one's time came
from (a receipts CSV, nbgrader, or the student's own claim), the instructor's overrides, then every
check by how often it failed, most failed first: the common mistakes, and what to re-teach, and the pairs
of submissions whose code is most alike. Writes score_histogram.png, failure_rates.png, similarity.csv
and similarity.html (into DIR, or --out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the --out folder of `course grade`")
    parser.add_argument("--out", type=Path, default=None, help="folder for the PNG charts (default: DIR)")
    parser.add_argument("--top", type=int, default=0, help="print only the N most failed checks (default: all)")


def main(folder: Path, *, out: Path | None = None, top: int = 0) -> int:
    """`course report`: print the score statistics and failure rates of `folder` and draw the charts; 2 if none."""
    from ..batch.charts import (  # matplotlib only when reporting
        failure_rate_chart,
        score_histogram,
    )
    from ..batch.stats import failure_rates, load_results, score_stats, split_graded
    from ..lms.claims import report_section
    from ..lms.record import read_record

    results, skipped = split_graded(load_results(folder))
    if not results:
        print(f"course report: no results.json with a grade below {folder} ({len(skipped)} not gradable or grader "
              f"errors; run `course grade ... --out {folder}` first)", file=sys.stderr)
        return 2
    scores = [r.final_score for r in results.values()]  # what the gradebook holds: after overrides and penalties
    stats = score_stats(scores)
    late = [r.batch.late_penalty for r in results.values() if r.batch and r.batch.late_penalty]
    print(f"{stats.count} graded submissions ({len(skipped)} skipped: not gradable or a grader error)")
    print(f"final score (after overrides and late penalties, as in the gradebook): mean {stats.mean:.1f}, "
          f"median {stats.median:.1f}, "
          f"stdev {stats.stdev:.1f}, min {stats.minimum:g}, max {stats.maximum:g}")
    if late:
        print(f"late: {len(late)} submissions, mean penalty {sum(late) / len(late):.1f} points")
    for line in late_times(results) + overrides_applied(results):
        print(line)
    rows = failure_rates(list(results.values()))
    print("\nfailure rate per check (most failed first):")
    for row in rows[: top or None]:
        print(f"{100 * row.rate:5.1f}%  {row.failed:>4}/{row.total:<4} {row.max_score:>3g} pts  {row.title}")
    out = out or folder
    out.mkdir(parents=True, exist_ok=True)
    score_histogram(scores, out / "score_histogram.png", total=max(r.max_score for r in results.values()),
                    title="Final scores")
    failure_rate_chart(rows, out / "failure_rates.png")
    print(f"\ncharts: {out / 'score_histogram.png'}, {out / 'failure_rates.png'}")
    students = {name: r.student_id or "" for name, r in {**skipped, **results}.items()}
    for line in similarity(folder, out, students):
        print(line)
    for line in report_section(read_record(folder)):  # graded from an LMS download: who handed in what
        print(line)
    return 0


def similarity(folder: Path, out: Path, students: dict[str, str], shown: int = 5) -> list[str]:
    """Compare the code the grade kept (batch/similarity.py), write similarity.csv and .html into `out`, and say
    which pairs are most alike; `students`: {submission name: student id}, from the results already read."""
    from ..batch.similarity import CSV_NAME, HTML_NAME, compare, write_csv
    from ..batch.similarity_page import write_page

    pairs = compare(folder, students, progress=True)
    if not pairs:
        return ["\nsimilarity: fewer than two submissions with kept code (graded before `course grade` kept it? "
                "grade them again with --force)"]
    write_csv(out / CSV_NAME, pairs)
    count = len({name for p in pairs for name in (p.a, p.b)})
    write_page(out / HTML_NAME, pairs, count, folder.resolve().name)
    lines = [f"\ncode similarity of {count} submissions, most similar first (all pairs: {out / CSV_NAME}, "
             f"side by side: {out / HTML_NAME}):"]
    return lines + [f"  {p.score:.3f}  {p.a}  {p.b}" for p in pairs[:shown]]


def overrides_applied(results: dict) -> list[str]:
    """One line per override the batch applied (course.toml's [overrides] file): whose, on what, the points before
    and after, and the instructor's reason."""
    lines = []
    for name, result in sorted(results.items()):
        for o in result.batch.overrides if result.batch else []:
            change = f"{o.graded_total:g} -> {o.points_total:g}" + (" (excused)" if o.excused else "")
            lines.append(f"  {result.student_id} ({name}): {o.target}: {change}" + (f": {o.reason}" if o.reason else ""))
    return ["overrides:", *lines] if lines else []


def late_times(results: dict) -> list[str]:
    """One line per submission handed in after its due date: its time, who gave it, and its penalty. A time the
    student claimed (their submission.json) is marked so: it is penalised only when course.toml trusts claims."""
    from ..batch.clock import CLAIMED

    lines = []
    for name, result in sorted(results.items()):
        late = result.batch.late if result.batch else {}
        if late.get("seconds_late"):
            source = "claimed by the student" if late.get("source") == CLAIMED else f"recorded ({late.get('source')})"
            lines.append(f"  {name}: {late['seconds_late'] / 3600:.1f} h after its due date {late.get('due')}, time "
                         f"{source}, penalty {result.batch.late_penalty:g}")
    return ["late hand-ins:", *lines] if lines else []
