"""A wall-clock budget for the work on one file.

Every analysis is meant to be linear in the size of its input, and the known slow shapes are
rewritten; this is the net under them. A file whose analysis runs past the budget is stopped
(a SIGALRM timer raises `BudgetExceeded` between two Python instructions) and reported as a
notice; the rest of the scan goes on. `BudgetExceeded` is not an `Exception`, so the per-stage
`except Exception` guards inside the analysis do not swallow it.

Only where a timer signal can be used: the main thread of a POSIX process (the scan's own
process with one job, and every worker of the pool). Elsewhere the budget is not enforced. Work
inside one C call (a single regular-expression match) is not interrupted until it returns.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

FILE_BUDGET_SECONDS = 30.0


class BudgetExceeded(BaseException):
    """The budget of the file being analysed ran out."""


def _raise(signum, frame):
    raise BudgetExceeded()


def seconds() -> float:
    """The budget per file: FILE_BUDGET_SECONDS, or $PHI_LINT_FILE_BUDGET (seconds, > 0)."""
    value = os.environ.get("PHI_LINT_FILE_BUDGET")
    try:
        chosen = float(value) if value else FILE_BUDGET_SECONDS
    except ValueError:
        chosen = FILE_BUDGET_SECONDS
    return chosen if chosen > 0 else FILE_BUDGET_SECONDS


class FileBudget:
    """`with budget:` arms the timer for one file's work and disarms it on the way out."""

    def __init__(self, limit: float | None = None):
        self.limit = limit if limit is not None else seconds()
        self.enabled = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )
        self._previous: Callable[[int, FrameType | None], Any] | int | signal.Handlers | None = None  # signal.signal's answer

    def __enter__(self):
        if self.enabled:
            self._previous = signal.signal(signal.SIGALRM, _raise)
            signal.setitimer(signal.ITIMER_REAL, self.limit)
        return self

    def __exit__(self, *exc):
        if self.enabled:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous or signal.SIG_DFL)
        return False

    def message(self) -> str:
        return (
            f"analysis stopped after {self.limit:g} s (the per-file time budget); "
            "what this file holds may be reported only in part"
        )
