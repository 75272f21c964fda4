"""Identity questions for the instructor: manifests that name someone else, one archive handed in by several students.

Grades never change because of them: the LMS says who handed in what. `course report` prints them.
"""

from __future__ import annotations

from .record import Record


def _who(record: Record, lms_id: str) -> str:
    return f"{record.students[lms_id].name or 'anonymous'} ({record.lms} id {lms_id})"


def claim_lines(record: Record) -> list[str]:
    """One line per question: a manifest student id claimed from several LMS identities, an archive from several."""
    lines = []
    by_claim: dict[str, list[str]] = {}
    by_digest: dict[str, list[str]] = {}
    for lms_id, student in record.students.items():
        if student.claimed_student_id:
            by_claim.setdefault(student.claimed_student_id, []).append(lms_id)
        if student.digest:
            by_digest.setdefault(student.digest, []).append(lms_id)
    for claim, ids in by_claim.items():
        if len(ids) > 1:
            lines.append(f"the manifest names {claim!r} in the hand-ins of {', '.join(_who(record, i) for i in ids)}: "
                         "all but one name someone else")
    for digest, ids in by_digest.items():
        if len(ids) > 1:
            lines.append(f"one archive (sha256 {digest[:12]}) was handed in by {', '.join(_who(record, i) for i in ids)}")
    return lines


def report_section(record: Record | None) -> list[str]:
    """The lines of `course report`'s identity section (none for a batch not graded from an LMS)."""
    if record is None:
        return []
    lines = claim_lines(record) + record.roster_claims
    late = [i for i, s in record.students.items() if s.late]
    blank = [i for i, s in record.students.items() if not s.gradable]
    head = [f"\n{record.lms.capitalize()} download: {len(record.students)} students, {len(late)} late (as "
            f"{record.lms.capitalize()} says), {len(blank)} not gradable"]
    head += [f"  not gradable: {_who(record, i)}: {record.students[i].reason}" for i in blank]
    head.append("identity (grades unchanged; the LMS says who handed in what):")
    return head + ([f"  {line}" for line in lines] or ["  no manifest names someone else; no archive was handed in twice"])


def roster_lines(record: Record, roster: dict[str, set[str]]) -> list[str]:
    """Manifests whose student id is another student's id in the LMS's own file (Canvas's SIS User ID or SIS Login ID,
    Moodle's email address): `roster` maps each LMS id to the ids the LMS knows that student by."""
    owners = {alias.casefold(): lms_id for lms_id, aliases in roster.items() for alias in aliases if alias}
    lines = []
    for lms_id, student in record.students.items():
        claim = student.claimed_student_id.casefold()
        owner = owners.get(claim)
        if claim and owner is not None and owner != lms_id and claim not in {a.casefold() for a in roster.get(lms_id, ())}:
            lines.append(f"the manifest of {_who(record, lms_id)} names {student.claimed_student_id!r}, who is "
                         f"{_who(record, owner) if owner in record.students else f'{record.lms} id {owner}'}")
    return lines
