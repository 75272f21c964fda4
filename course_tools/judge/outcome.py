"""One check's outcome as the judge recorded it, before the feedback of related checks is linked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .causes import Cause
    from .crash import Crash, Stopped


@dataclass
class Outcome:
    """passed; `output`, the feedback shown (linking may shorten it); `cause`, a diagnosed mistake
    (causes.Cause); `crash`, what the student's own code raised (crash.Crash) or how it stopped."""
    passed: bool
    output: str = ""
    cause: Cause | None = None
    crash: Crash | Stopped | None = None
