"""TOML reading: the standard library's tomllib on 3.11+, tomli before."""

from __future__ import annotations

import errno
import sys

from phi_lint.safeio import read_regular

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError


MAX_TOML_SIZE = 4 * 1024 * 1024  # configuration and vendor files; a larger one is not one of ours


def load_toml(path) -> dict:
    """A TOML file's table; OSError when it is not a regular file of at most MAX_TOML_SIZE bytes
    (a FIFO named phi-lint.toml must not hang the run, a link is not followed)."""
    read = read_regular(str(path), MAX_TOML_SIZE)
    if read.data is None:
        raise OSError(errno.EINVAL, (read.problem or "cannot read").removeprefix("skipped: "))
    return _toml.loads(read.data.decode("utf-8"))


def parse_toml(text: str) -> dict:
    """A TOML document's table (TOMLDecodeError when it is not TOML): for text already read."""
    return _toml.loads(text)


def load_shipped(path, error: type[Exception]) -> dict:
    """A data file phi-lint ships (rules/…) as a table; `error` (the file's own UserError class)
    naming the path when it cannot be read or is not TOML: an edited install says what is wrong,
    never a traceback."""
    try:
        return load_toml(path)
    except (OSError, TOMLDecodeError) as exc:
        raise error(f"{path}: cannot be read ({exc})") from None
