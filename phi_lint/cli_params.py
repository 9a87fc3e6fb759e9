"""The options of a command declared without importing typer, and turned into typer's when the
application is built.

A pre-commit run reads its plain command line straight from `check`'s declarations
(phi_lint.cli_direct) and never needs typer's parser; importing typer alone cost that run a
twenty-fifth of its CPU time. `Option` and `Argument` take what `typer.Option` and
`typer.Argument` take and keep it; `for_typer` gives typer the command with its declarations
made typer's (same help, same parsing), for every line the direct reader leaves to typer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Declared:
    """One parameter's declaration as typer.Option / typer.Argument would take it."""

    def __init__(self, positional: bool, default: Any, param_decls: tuple[str, ...], settings: dict[str, Any]):
        self.positional = positional
        self.default = default
        self.param_decls = param_decls
        self.settings = settings
        # what phi_lint.cli_direct asks of a declaration (typer's OptionInfo has the same names)
        self.callback = settings.get("callback")
        self.is_eager = bool(settings.get("is_eager", False))
        self.envvar = settings.get("envvar")
        self.exists = bool(settings.get("exists", False))
        self.resolve_path = bool(settings.get("resolve_path", False))
        self.parser = settings.get("parser")
        self.click_type = settings.get("click_type")

    def for_typer(self):
        import typer

        if self.positional:
            return typer.Argument(self.default, *self.param_decls, **self.settings)
        return typer.Option(self.default, *self.param_decls, **self.settings)


def Option(default: Any, *param_decls: str, **settings: Any) -> Any:  # noqa: N802 - typer.Option's name
    return Declared(False, default, param_decls, settings)


def Argument(default: Any, *param_decls: str, **settings: Any) -> Any:  # noqa: N802 - typer.Argument's name
    return Declared(True, default, param_decls, settings)


class Exit(Exception):
    """Leave the command with this exit status (typer.Exit, without typer)."""

    def __init__(self, code: int = 0):
        super().__init__(code)
        self.exit_code = code


def for_typer(command: Callable) -> Callable:
    """The command as typer registers it: its declarations typer's, an Exit typer's."""
    import functools
    import inspect

    import typer

    signature = inspect.signature(command)
    parameters = [p.replace(default=p.default.for_typer()) if isinstance(p.default, Declared) else p
                  for p in signature.parameters.values()]

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except Exit as exc:
            raise typer.Exit(exc.exit_code) from None

    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return run
