"""TOML reading: the standard library's tomllib on 3.11+, tomli before."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as _toml

TOMLDecodeError = _toml.TOMLDecodeError


def load_toml(path) -> dict:
    with open(path, "rb") as handle:
        return _toml.load(handle)
