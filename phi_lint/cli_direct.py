"""A plain command line read straight from a command's own typer declarations.

typer builds a pydantic validator for every parameter before it calls the command: 0.14 CPU s
of a 1.5 s pre-commit run, for options that are plain strings, paths, integers and flags. A
line made only of options the command declares, given in their plain forms (`--name VALUE`,
`--name=VALUE`, `-x VALUE`, flags, positional paths), is read here from the same declarations
(the `Option(...)` defaults of the function's signature, phi_lint.cli_params: nothing is declared twice), with
the same callbacks. Anything else (help, version, `--`, clustered short flags, an unknown
option, a value that does not convert, a declaration this reader does not model) returns None,
and typer reads the line as before, with its own messages.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SCALARS = (str, int, Path)


class _Unmodelled(Exception):
    """The line or a declaration needs typer's parser."""


def parse(command: Callable, args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments typer would call `command` with for `args`, or None."""
    try:
        params = _params(command)
        return _read(params, args)
    except Exception:  # noqa: BLE001 - unmodelled, or a value a callback refuses: typer says why
        return None


class _Param:
    def __init__(self, name: str, info, hint):
        from phi_lint.cli_params import Declared

        self.name, self.info = name, info
        if not isinstance(info, Declared):
            raise _Unmodelled(name)
        self.positional = info.positional
        self.eager = bool(getattr(info, "is_eager", False))  # --version: typer's, when given
        if getattr(info, "envvar", None) or getattr(info, "exists", False) \
                or getattr(info, "resolve_path", False) or getattr(info, "parser", None) or getattr(info, "click_type", None):
            raise _Unmodelled(name)
        self.many, self.kind = _shape(hint)
        self.flag = self.kind is bool
        self.on: list[str] = []
        self.off: list[str] = []
        for decl in () if self.positional else info.param_decls:
            on, _, off = decl.partition("/")
            self.on.append(on.strip())
            if off:
                self.off.append(off.strip())
        if self.off and not self.flag:
            raise _Unmodelled(name)
        callback = info.callback
        if callback is not None and len(inspect.signature(callback).parameters) != 1:
            raise _Unmodelled(name)  # a callback that wants the context or parameter
        self.callback = callback

    def convert(self, value: str):
        return Path(value) if self.kind is Path else self.kind(value)


def _shape(hint) -> tuple[bool, type]:
    """(a list?, the element type) of an annotation: str, int, Path, bool, Optional and List of them."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin is typing.Union and len(args) == 1:
        return _shape(args[0])
    if origin is list and len(args) == 1 and args[0] in _SCALARS:
        return True, args[0]
    if hint is bool or hint in _SCALARS:
        return False, hint
    raise _Unmodelled(str(hint))


def _params(command: Callable) -> list[_Param]:
    hints = typing.get_type_hints(command)
    return [_Param(name, p.default, hints[name]) for name, p in inspect.signature(command).parameters.items()]


def _read(params: list[_Param], args: list[str]) -> dict[str, Any]:
    by_decl: dict[str, tuple[_Param, bool]] = {}
    for param in params:
        for decl in param.on:
            by_decl[decl] = (param, True)
        for decl in param.off:
            by_decl[decl] = (param, False)
    positional = next((p for p in params if p.positional), None)
    given: dict[str, Any] = {}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token == "-" or not token.startswith("-"):
            if positional is None or not positional.many:
                raise _Unmodelled(token)
            given.setdefault(positional.name, []).append(positional.convert(token))
            continue
        name, equals, inline = token.partition("=")
        if not name.startswith("--") and (equals or len(name) != 2):
            raise _Unmodelled(token)  # -xVALUE, clustered flags
        if name not in by_decl:
            raise _Unmodelled(token)
        param, state = by_decl[name]
        if param.eager:
            raise _Unmodelled(token)
        if param.flag:
            if equals:
                raise _Unmodelled(token)
            given[param.name] = state
            continue
        if not equals:
            if not rest or (rest[0].startswith("-") and rest[0] != "-"):
                raise _Unmodelled(token)
            inline = rest.pop(0)
        value = param.convert(inline)
        if param.many:
            given.setdefault(param.name, []).append(value)
        else:
            given[param.name] = value
    values = {}
    for param in params:
        value = given.get(param.name, param.info.default)
        if param.many and value is not None and not isinstance(value, list):
            raise _Unmodelled(param.name)
        if param.callback is not None:
            value = param.callback(value)
        values[param.name] = value
    return values
