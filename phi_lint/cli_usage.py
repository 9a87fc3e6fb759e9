"""How the command line shows itself: the help pages, and usage errors in one style.

Help: options are listed with the metavar they take (`--select RULES`, `-j N`), never the
parameter types the option parser uses inside (`<list[str]>`, `<int range>`); defaults are
said in the help text itself. The top-level help shows the options of `check`, since
`phi-lint PATH` is `phi-lint check PATH`, then the commands.

Usage errors (an unknown option, a bad value, a missing argument), whether the option parser
or phi-lint finds them, come out as every phi-lint error does, `phi-lint: error: …`, followed
by one hint line, with exit status 2. An unknown option gets a "did you mean" from the
command's real options, nothing when no option is close.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import typer
from typer.core import TyperCommand, TyperGroup

from phi_lint.errors import UsageProblem
from phi_lint.suggest import close_match

USAGE_EXIT = 2
__all__ = ["USAGE_EXIT", "PlainCommand", "RootGroup", "UsageProblem", "describe_usage_error", "report_usage_error",
           "usage_errors"]




# -- help ------------------------------------------------------------------------------------


def _option_name(param) -> str:
    names = ", ".join(sorted(param.opts, key=lambda opt: opt.startswith("--")))  # -h before --help
    if getattr(param, "secondary_opts", None):
        names += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        names += f" {param.metavar or param.name.upper()}"
    return names


def help_records(command, ctx) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(arguments, options) of a command as (name, help) rows, in declaration order."""
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        text = " ".join((getattr(param, "help", None) or "").split())
        if param.param_type_name == "argument":
            name = param.metavar or param.name.upper()
            if param.nargs == -1:
                name = f"[{name}]..."
            elif not param.required:
                name = f"[{name}]"
            arguments.append((name, text))
        else:
            options.append((_option_name(param), text))
    return arguments, options


def write_records(formatter, arguments, options) -> None:
    if arguments:
        with formatter.section("Arguments"):
            formatter.write_dl(arguments)
    if options:
        with formatter.section("Options"):
            formatter.write_dl(options)


class PlainCommand(TyperCommand):
    """A command whose help names metavars, not the option parser's types."""

    def format_options(self, ctx, formatter) -> None:
        write_records(formatter, *help_records(self, ctx))


class RootGroup(TyperGroup):
    """`phi-lint --help`: the default command's usage and options, then the commands."""

    default_command = "check"

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATH]...")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="       ")

    def format_options(self, ctx, formatter) -> None:
        check = self.get_command(ctx, self.default_command)
        if check is not None:
            with typer.Context(check, info_name=self.default_command, parent=ctx) as check_ctx:
                write_records(formatter, *help_records(check, check_ctx))
        self.format_commands(ctx, formatter)


# -- usage errors ------------------------------------------------------------------------------


def _parser_exceptions() -> ModuleType:
    """The option parser's exception module: Typer vendors Click from 0.2x, older Typers use Click."""
    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # pragma: no cover - a Typer that depends on Click
        return importlib.import_module("click.exceptions")


def usage_errors() -> tuple[type[BaseException], ...]:
    exceptions = _parser_exceptions()
    return (exceptions.UsageError,)


def _help_hint(ctx) -> str:
    path = getattr(ctx, "command_path", None) or "phi-lint"
    if path == f"phi-lint {RootGroup.default_command}":
        path = "phi-lint"  # the top-level help lists check's options, and `phi-lint PATH` is check
    return f"`{path} --help` lists the options"


def _option_match(name: str, options: list[str]) -> str | None:
    """The real option a mistyped one means, compared without dashes (`--selct` → `--select`):
    the dashes every option shares would make `--fix` look like `--config`."""
    bare = {option.lstrip("-"): option for option in options}
    match = close_match(name.lstrip("-"), bare)
    return bare[match] if match else None


def _all_options(ctx) -> list[str]:
    names: list[str] = []
    command = getattr(ctx, "command", None)
    if command is None:
        return names
    for param in command.get_params(ctx):
        if param.param_type_name == "option":
            names.extend(param.opts)
            names.extend(getattr(param, "secondary_opts", ()) or ())
    return names


def _sentence(text: str) -> str:
    """An error message as phi-lint writes them: lower-case start, no closing full stop."""
    text = " ".join(text.split()).rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def describe_usage_error(exc) -> tuple[str, str]:
    """(message, hint) of an option parser's usage error."""
    exceptions = _parser_exceptions()
    ctx = getattr(exc, "ctx", None)
    hint = _help_hint(ctx)
    if isinstance(exc, exceptions.NoSuchOption):
        name = exc.option_name
        match = _option_match(name, _all_options(ctx))
        message = f"unknown option `{name}`"
        return message, (f"did you mean `{match}`? " if match else "") + hint
    if isinstance(exc, exceptions.BadParameter) and not isinstance(exc, exceptions.MissingParameter):
        param = getattr(exc, "param", None)
        names = "/".join(param.opts) if param is not None and getattr(param, "opts", None) else None
        where = names or getattr(exc, "param_hint", None) or "a parameter"
        return f"invalid value for {where}: {_sentence(exc.message)}", hint
    return _sentence(exc.format_message()), hint


def report_usage_error(message: str, hint: str = "") -> None:
    from phi_lint.reporters.common import printable

    sys.stderr.write(f"phi-lint: error: {printable(message)}\n")
    if hint:
        sys.stderr.write(f"hint: {printable(hint)}\n")
