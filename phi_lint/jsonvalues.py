"""Reading values out of parsed JSON (exports, compiled containers, tsconfig) whose shape is not trusted.

`member(obj, "rules", list, [])` is `obj["rules"]` when that is a list, else the default: the one
spelling of "a field of the expected type or a stand-in", typed so that the checker knows the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, overload

T = TypeVar("T")


@overload
def member(obj: Mapping[Any, Any], key: object, kind: type[T]) -> T | None: ...


@overload
def member(obj: Mapping[Any, Any], key: object, kind: type[T], default: T) -> T: ...


def member(obj: Mapping[Any, Any], key: object, kind: type[T], default: T | None = None) -> T | None:
    value = obj.get(key)
    return value if isinstance(value, kind) else default
