"""The template dialects phi-lint reads, from rules/dialects.toml: which file endings are
markup, the parse family (flavour) of each, its comment syntaxes and its page-graph readers.

One table, so that discovery, the markup parser, the page graph and the health and sign-in
inference agree on what a file is and on what is commented out in it (they used to keep three
comment tables of their own, which drifted apart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_shipped

DIALECTS_FILE = "dialects.toml"


class DialectTableError(UserError, ValueError):
    """A broken rules/dialects.toml (an edited install): names the entry, exit status 2, never a
    traceback from inside a worker."""


@dataclass(frozen=True)
class CommentForm:
    """One comment form of a syntax: regexes of its opener and closer, and texts they match."""

    syntax: str
    open: str
    close: str
    samples: tuple[tuple[str, str], ...] = ()
    literal: bool = False  # literal text (`{% raw %}`), not a comment: only the page graph blanks it
    # an indentation block (Haml `-#`, Slim `/`, Pug `//-`): the opener starts a line and the
    # comment runs to the end of that line and over every following line indented deeper
    indent: bool = False
    # comments that nest (ColdFusion `<!--- a <!--- b ---> c --->`): an opener of the form inside
    # the comment needs its own closer before the comment ends
    nested: bool = False


@dataclass(frozen=True)
class Dialect:
    """A template dialect: the file endings it owns and how its files are read."""

    name: str
    flavour: str  # the parse family: html, blade, erb, ejs, handlebars, liquid, jsp, …
    endings: tuple[str, ...]
    comments: tuple[str, ...]  # names of comment syntaxes (DialectTable.comment_forms keys)
    includes: tuple[str, ...]  # names of page-graph readers run on its files
    about: str = ""
    # endings the dialect owns only inside a project of its kind: a file is read as this dialect
    # when a folder from its own up to the scan's root holds one of `project_files` (`.tmpl` is a
    # Go template next to a go.mod, and stays plain text elsewhere)
    project_endings: tuple[str, ...] = ()
    project_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class DialectTable:
    dialects: tuple[Dialect, ...]
    comment_forms: dict[str, tuple[CommentForm, ...]]
    include_tags: dict[str, dict[str, str]]  # reader → {tag or directive: edge kind}
    by_ending: dict[str, Dialect]

    def for_name(self, name: str) -> Dialect | None:
        """The dialect of a file name (any case), by its longest known ending."""
        lower = name.lower()
        dot = lower.find(".")
        while dot >= 0:
            found = self.by_ending.get(lower[dot:])
            if found is not None:
                return found
            dot = lower.find(".", dot + 1)
        return None

    def project_dialect(self, name: str) -> Dialect | None:
        """The dialect a file name belongs to only inside a project of its kind (its longest
        known ending is one of the dialect's project endings), or None."""
        lower = name.lower()
        dot = lower.find(".")
        while dot >= 0:
            found = self.by_ending.get(lower[dot:])
            if found is not None:
                return found if lower[dot:] in found.project_endings else None
            dot = lower.find(".", dot + 1)
        return None

    def forms(self, syntaxes, literal: bool = False) -> list[CommentForm]:
        """The comment forms of the named syntaxes (literal blocks too when asked), each once."""
        out: list[CommentForm] = []
        for syntax in dict.fromkeys(syntaxes):
            for form in self.comment_forms.get(syntax, ()):
                if (literal or not form.literal) and form not in out:
                    out.append(form)
        return out

    @property
    def endings(self) -> tuple[str, ...]:
        return tuple(ending for dialect in self.dialects for ending in dialect.endings)


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DialectTableError(f"{DIALECTS_FILE}: {where} must be a list of strings")
    return tuple(value)


def parse_table(data: dict) -> DialectTable:
    """The table from the TOML data; DialectTableError (a ValueError) names the entry that is wrong."""
    try:
        return _parse_table(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise DialectTableError(f"{DIALECTS_FILE}: malformed entry ({type(exc).__name__}: {exc})") from None


def _regex(pattern, where: str) -> str:
    if not isinstance(pattern, str):
        raise DialectTableError(f"{DIALECTS_FILE}: {where} must be a string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise DialectTableError(f"{DIALECTS_FILE}: {where} is not a valid regular expression ({exc})") from None
    return pattern


def _parse_table(data: dict) -> DialectTable:
    comment_forms: dict[str, tuple[CommentForm, ...]] = {}
    for syntax, section in (data.get("comments") or {}).items():
        forms = []
        for form in section.get("forms", []):
            pairs = [_strings(pair, f"comments.{syntax} samples") for pair in form.get("samples", [])]
            if any(len(pair) != 2 for pair in pairs):
                raise DialectTableError(f"{DIALECTS_FILE}: comments.{syntax} samples are [opener, closer] pairs")
            samples = tuple((first, second) for first, second in pairs)
            indent = form.get("block") == "indent"
            if "block" in form and not indent:
                raise DialectTableError(f"{DIALECTS_FILE}: comments.{syntax} block must be \"indent\"")
            opener = _regex(form["open"], f"comments.{syntax} open")
            closer = "" if indent else _regex(form["close"], f"comments.{syntax} close")
            nested = form.get("nested", False)
            if not isinstance(nested, bool) or (nested and indent):
                raise DialectTableError(f"{DIALECTS_FILE}: comments.{syntax} nested must be true or false (and not with block)")
            forms.append(CommentForm(syntax, opener, closer, samples, bool(form.get("literal", False)), indent, nested))
        comment_forms[syntax] = tuple(forms)
    include_tags = {
        reader: {str(k): str(v) for k, v in (section.get("tags") or {}).items()}
        for reader, section in (data.get("includes") or {}).items()
    }
    dialects = []
    by_ending: dict[str, Dialect] = {}
    for entry in data.get("dialect", []):
        name = entry["name"]
        dialect = Dialect(
            name=name,
            flavour=entry["flavour"],
            endings=tuple(e.lower() for e in _strings(entry["endings"], f"dialect {name} endings")),
            comments=_strings(entry.get("comments", []), f"dialect {name} comments"),
            includes=_strings(entry.get("includes", []), f"dialect {name} includes"),
            about=entry.get("about", ""),
            project_endings=tuple(e.lower() for e in _strings(entry.get("project-endings", []), f"dialect {name} project-endings")),
            project_files=tuple(_strings(entry.get("project-files", []), f"dialect {name} project-files")),
        )
        if bool(dialect.project_endings) != bool(dialect.project_files) or not set(dialect.project_endings) <= set(dialect.endings):
            raise DialectTableError(f"{DIALECTS_FILE}: dialect {name} project-endings need project-files, and must be among its endings")
        for syntax in dialect.comments:
            if syntax not in comment_forms:
                raise DialectTableError(f"{DIALECTS_FILE}: dialect {name} names unknown comment syntax {syntax!r}")
        for reader in dialect.includes:
            if reader not in include_tags:
                raise DialectTableError(f"{DIALECTS_FILE}: dialect {name} names unknown include reader {reader!r}")
        for ending in dialect.endings:
            if not ending.startswith(".") or ending in by_ending:
                raise DialectTableError(f"{DIALECTS_FILE}: ending {ending!r} of dialect {name} is not a new '.ending'")
            by_ending[ending] = dialect
        dialects.append(dialect)
    return DialectTable(tuple(dialects), comment_forms, include_tags, by_ending)


@lru_cache(maxsize=1)
def table() -> DialectTable:
    """The shipped table, read once per process."""
    return parse_table(load_shipped(rules_dir() / DIALECTS_FILE, DialectTableError))


def dialect_for(name: str) -> Dialect | None:
    """The dialect of a file name, or None when it is not markup phi-lint reads."""
    return table().for_name(name)


@lru_cache(maxsize=1)
def project_endings() -> tuple[str, ...]:
    """Every ending some dialect owns only inside its projects (a cheap first test per file)."""
    return tuple(sorted({ending for dialect in table().dialects for ending in dialect.project_endings}))


def project_dialect(name: str) -> Dialect | None:
    """The dialect that claims a file name only inside a project of its kind (discovery decides
    by the project files above it), or None."""
    return table().project_dialect(name)
