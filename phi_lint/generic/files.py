"""Which files are read as plain text: the endings and the content rule of rules/generic-files.toml.

Discovery decides by name (`generic_by_name`): a listed template ending, or an ending listed
neither way. The worker decides the second case by content (`looks_like_page`): the file must be
text and its first bytes must hold markup, so that source code, data and notes of unknown types
are not read as pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_shipped

GENERIC_FILE = "generic-files.toml"
GENERIC = "generic"  # the file kind (phi_lint.discovery)


class GenericTableError(UserError, ValueError):
    """A broken rules/generic-files.toml (an edited install): exit status 2, no traceback."""


@dataclass(frozen=True)
class GenericTable:
    template_endings: frozenset[str]
    never_endings: frozenset[str]
    markup_signs: tuple[str, ...]
    sniff_bytes: int


def _strings(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise GenericTableError(f"{GENERIC_FILE}: `{key}` must be a list of non-empty strings")
    return tuple(item.lower() for item in value)


@lru_cache(maxsize=1)
def table() -> GenericTable:
    data = load_shipped(rules_dir() / GENERIC_FILE, GenericTableError)
    size = data.get("sniff-bytes", 65536)
    if not isinstance(size, int) or size <= 0:
        raise GenericTableError(f"{GENERIC_FILE}: `sniff-bytes` must be a positive integer")
    return GenericTable(
        frozenset(_strings(data, "template-endings")),
        frozenset(_strings(data, "never-endings")),
        _strings(data, "markup-signs"),
        size,
    )


def _endings(lower: str):
    """Every ending of a lower-case file name, longest first: `a.go.html` → `.go.html`, `.html`."""
    dot = lower.find(".", 1)  # a leading dot starts a dot-file's name, not an ending
    while dot >= 0:
        yield lower[dot:]
        dot = lower.find(".", dot + 1)


def listed_ending(lower: str) -> str | None:
    """The template ending of rules/generic-files.toml the name ends with, if any."""
    endings = table().template_endings
    return next((ending for ending in _endings(lower) if ending in endings), None)


def generic_by_name(lower: str) -> bool:
    """Whether a file (lower-case name, of no other kind) may be read as plain text: a listed
    template ending, or an ending listed neither way. Never a dot-file, a name without an
    ending, or a listed never-ending."""
    if listed_ending(lower) is not None:
        return True
    endings = list(_endings(lower))
    if not endings:
        return False
    never = table().never_endings
    return not any(ending in never for ending in endings)


def ending_of(name: str) -> str:
    """The ending a plain-text file is grouped under in the summary: its listed template ending,
    else its last one."""
    lower = name.rsplit("/", 1)[-1].lower()
    listed = listed_ending(lower)
    if listed is not None:
        return listed
    dot = lower.rfind(".")
    return lower[dot:] if dot > 0 else lower


def looks_like_page(text: str) -> bool:
    """Whether the start of a file of an unlisted ending holds markup (one of the signs)."""
    rules = table()
    head = text[: rules.sniff_bytes].lower()
    return any(sign in head for sign in rules.markup_signs)
