"""TOML reading: the standard library's tomllib on 3.11+, tomli before."""

from __future__ import annotations

import errno
import math
import os
import sys
from contextlib import contextmanager

from phi_lint.safeio import read_regular

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError


MAX_TOML_SIZE = 4 * 1024 * 1024  # configuration and vendor files; a larger one is not one of ours


def load_toml(path) -> dict:
    """A TOML file's table; OSError when it is not a regular file of at most MAX_TOML_SIZE bytes
    (a FIFO named phi-lint.toml must not hang the run, a link is not followed). A file phi-lint
    ships comes from the memo of parsed shipped files when one is in use (`shipped_memo`)."""
    memo = _MEMO[0] if _MEMO else None
    name = memo.name_of(path) if memo is not None else None
    if memo is not None and name is not None:
        known = memo.get(name)
        if known is not None:
            return known
    read = read_regular(str(path), MAX_TOML_SIZE)
    if read.data is None:
        raise OSError(errno.EINVAL, (read.problem or "cannot read").removeprefix("skipped: "))
    try:
        text = read.data.decode("utf-8")
    except UnicodeDecodeError as exc:  # a user's vendor file: said as a TOML error, not a crash
        line = read.data.count(b"\n", 0, exc.start) + 1
        raise _toml.TOMLDecodeError(f"line {line} is not UTF-8") from None
    table = _toml.loads(text)
    if memo is not None and name is not None:
        memo.put(name, table)
    return table


class _ShippedMemo:
    """The tables of phi-lint's own data files (rules/), parsed in an earlier run and kept as
    JSON: parsing 140 TOML files cost a pre-commit run a tenth of a second, json.loads a
    hundredth. Valid for one version of phi-lint's code and data (`store.code`, a digest of
    their names, sizes and modification times); a table JSON cannot hold exactly (dates,
    infinities) is parsed each time."""

    def __init__(self, store, rules: str):
        import json

        self.store, self.rules = store, rules.rstrip(os.sep) + os.sep
        self.tables: dict[str, str] = {}
        self.added = False
        try:
            document = json.loads(store.read() or b"null")
        except (ValueError, RecursionError):
            document = None
        if (type(document) is dict and document.get("phi-lint-shipped") == 1 and document.get("code") == store.code
                and type(document.get("tables")) is dict):
            self.tables = {k: v for k, v in document["tables"].items() if type(k) is str and type(v) is str}

    def name_of(self, path) -> str | None:
        full = os.path.abspath(str(path))
        return full[len(self.rules):] if full.startswith(self.rules) else None

    def get(self, name: str) -> dict | None:
        import json

        text = self.tables.get(name)
        if text is None:
            return None
        try:
            table = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return table if type(table) is dict else None

    def put(self, name: str, table: dict) -> None:
        import json

        if _plain(table):
            self.tables[name] = json.dumps(table, separators=(",", ":"), allow_nan=False)
            self.added = True

    def save(self) -> None:
        import json

        if self.added:
            document = {"phi-lint-shipped": 1, "code": self.store.code, "tables": self.tables}
            self.store.write(json.dumps(document, separators=(",", ":")).encode("utf-8", "surrogateescape"))


def _plain(value, depth: int = 0) -> bool:
    """Whether JSON gives value back exactly: str, int, finite float, bool, lists and tables."""
    kind = type(value)
    if kind in (str, int, bool):
        return True
    if kind is float:
        return math.isfinite(value)
    if depth > 32:
        return False
    if kind is list:
        return all(_plain(item, depth + 1) for item in value)
    if kind is dict:
        return all(type(key) is str and _plain(item, depth + 1) for key, item in value.items())
    return False


_MEMO: list[_ShippedMemo] = []


@contextmanager
def shipped_memo(store):
    """Within this block, phi-lint's own data files are read through a memo kept in `store`
    (a cache.ProjectFile); None reads them as usual."""
    if store is None or _MEMO:
        yield
        return
    from phi_lint.resources import rules_dir

    memo = _ShippedMemo(store, os.path.abspath(rules_dir()))
    _MEMO.append(memo)
    try:
        yield
    finally:
        _MEMO.clear()
        memo.save()


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
