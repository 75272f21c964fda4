"""A crash of the student's own code, as the feedback names it: type, trimmed message, their lines.

The worker reports every frame it saw inside `course_lib/` (see worker._student_frames); the
trusted side keeps only the frames of the student's exercise modules, so the feedback never names
a grader's, harness's or helper's file, and never shows a check's inputs or expected values. That
is why a crash may be named even by a hidden check: it says what *their* code did, on *their* line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import stub_message
from ..contract import EXERCISE_MODULES
from ..i18n import N_, _

MESSAGE_CHARS = 200  # a message is trimmed: a student's assert may print a whole tensor
FRAMES = 3  # the innermost frames of theirs: where it raised and who called it

ASSERT_HINT = N_("An `assert` in your code failed while it ran. The contract asks for no asserts (the book's "
               "train_ch3 ends with some): remove leftover asserts, or make sure they hold on any data.")


@dataclass(frozen=True)
class Frame:
    """One frame of the student's: course_lib/<file>, line number, function name, source line."""
    file: str
    line: int
    function: str
    code: str

    def describe(self) -> str:
        text = _("course_lib/{file}, line {line}, in {function}").format(
            file=self.file, line=self.line, function=self.function)
        return f"{text}: {self.code}" if self.code else text


@dataclass(frozen=True)
class Crash:
    """The student's code raised `type_name` with `message`; `frames`: their own, innermost last."""
    type_name: str
    message: str
    frames: tuple[Frame, ...] = ()

    def describe(self) -> str:
        """'your code raised T: message' then their frames, one per line (at most FRAMES)."""
        message = f": {stub_message.translated(self.message)}" if self.message else ""
        lines = [_("your code raised {error}").format(error=f"{self.type_name}{message}")]
        lines += [f"  {frame.describe()}" for frame in self.frames[-FRAMES:]]
        return "\n".join(lines)

    @property
    def hint(self) -> str | None:
        """A hint that the crash itself decides (a failed assert), or None to keep the check's."""
        return ASSERT_HINT if self.type_name == "AssertionError" else None


@dataclass(frozen=True)
class Stopped:
    """The student's code never answered: it hung, ran out of memory, exited or killed its process."""
    reason: str

    def describe(self) -> str:
        return _("running your code failed: {reason}").format(reason=self.reason)

    hint = N_("Look for an infinite loop, runaway memory, an exit() call or a crash.")


def trim(message: str) -> str:
    """The first line of a message, at most MESSAGE_CHARS characters."""
    lines = str(message).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > MESSAGE_CHARS or len(lines) > 1:
        first = first[:MESSAGE_CHARS].rstrip() + " …"
    return first


def own_frames(raw) -> tuple[Frame, ...]:
    """The frames of the student's exercise modules among what the worker sent: a list of
    [file name, line, function, source line]. Anything malformed is dropped (the worker is untrusted)."""
    exercise_files = {f"{module}.py" for module in EXERCISE_MODULES}
    frames = []
    for entry in raw if isinstance(raw, list) else []:
        if not (isinstance(entry, list) and len(entry) == 4):
            continue
        file, line, function, code = entry
        if file in exercise_files and isinstance(line, int) and isinstance(function, str):
            frames.append(Frame(file, line, function[:80], str(code or "").strip()[:160]))
    return tuple(frames)


def from_reply(type_name: str, message: str, raw_frames) -> Crash:
    """The Crash for a worker's error reply."""
    return Crash(str(type_name)[:80], trim(message), own_frames(raw_frames))
