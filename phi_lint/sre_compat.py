"""The standard library's regular-expression parser and its opcodes, wherever this Python keeps them.

Three analyses read parsed patterns (regex_shapes, the tag-manager trigger witnesses, vendor hosts).
Python 3.11 moved `sre_parse` / `sre_constants` to `re._parser` / `re._constants` and made the old
names warn; this one module picks the right pair, by version rather than by a failed import, so that
a type checker (which has stubs for the 3.10 names only) follows the same branch.
"""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - exercised on Python 3.10 only
    import sre_constants
    import sre_parse

__all__ = ["Node", "parse", "sre_constants"]

# (opcode, argument). The argument's shape depends on the opcode (an int for LITERAL, a list of
# sub-patterns for BRANCH, ...); typeshed's union for it leaves some out, so it is Any here.
Node = tuple[Any, Any]


def parse(pattern: str | bytes, flags: int = 0) -> tuple[list[Node], int]:
    """A pattern's top-level nodes and its effective flags (the given ones plus inline `(?i)` etc.).

    Raises re.error (and, on hostile input, RecursionError or OverflowError) like re.compile."""
    parsed = sre_parse.parse(pattern, flags)  # type: ignore[arg-type]  # typeshed's stub takes str only; bytes parse too
    return list(parsed.data), parsed.state.flags
