"""Framework knowledge as data: guard names, decorators, mixins, middleware, sign-in names.

The names each web framework uses for "this page needs a signed-in user" live in
`rules/frameworks/<framework>.toml` (format in rules/README.md), not in the inference code, so
that adding a guard is editing a data file and a team can name its own guards in config:
`[frameworks.flask] auth-decorators = ["patient_required"]` (CodeQL's models-as-data).

The inference modules read the knowledge in force through `names`, `name_set`, `table` and
`derived`; a scan puts the shipped data plus the user's additions in force with `use` (in the
main process and in every worker), so one module-level lookup serves both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from phi_lint.errors import UserError
from phi_lint.lazyre import lazy_pattern
from phi_lint.regexdata import alternation
from phi_lint.resources import rules_dir
from phi_lint.suggest import did_you_mean
from phi_lint.tomlread import TOMLDecodeError, load_toml

_META_KEYS = ("id", "name", "description")
_KEY_SHAPE = lazy_pattern(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PATTERN_SUFFIX = "-patterns"  # keys whose strings are Python regexes, compiled when loaded


class FrameworkDataError(UserError):
    """A malformed framework file: names the file and the key (exit status 2)."""


@dataclass(frozen=True)
class Framework:
    """One framework's knowledge: named lists of strings and named tables (string → string or
    list of strings), as the file holds them, in file order."""

    id: str
    name: str
    description: str = ""
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tables: dict[str, dict[str, str | tuple[str, ...]]] = field(default_factory=dict)

    def keys(self) -> list[str]:
        return sorted([*self.lists, *self.tables])


@dataclass(frozen=True)
class Frameworks:
    """Every framework's knowledge in force for a run (shipped files plus the user's additions)."""

    by_id: dict[str, Framework]
    additions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (framework, key, names) from config

    def framework(self, framework_id: str) -> Framework:
        return self.by_id[framework_id]


def _fail(path: Path, key: str, problem: str) -> FrameworkDataError:
    return FrameworkDataError(f"{path}: `{key}`: {problem}")


def _string_list(value, path: Path, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, key, "must be a non-empty list of non-empty strings")
    if key.endswith(PATTERN_SUFFIX):  # each compiles, and they combine into the one regex `pattern` makes
        alternation(value, where=f"{path}: `{key}`", error=FrameworkDataError)
    return tuple(dict.fromkeys(value))


def _table(value: dict, path: Path, key: str) -> dict[str, str | tuple[str, ...]]:
    if not value:
        raise _fail(path, key, "is an empty table")
    out: dict[str, str | tuple[str, ...]] = {}
    for name, item in value.items():
        if isinstance(item, str) and item:
            out[name] = item
        elif isinstance(item, list):
            out[name] = _string_list(item, path, f"{key}.{name}")
        else:
            raise _fail(path, f"{key}.{name}", "must be a string or a list of strings")
    return out


def load_framework(path: Path) -> Framework:
    """One framework file, checked: an id equal to the file name, a name, and at least one list
    or table; every other key kebab-case."""
    try:
        data = load_toml(path)
    except TOMLDecodeError as exc:
        raise FrameworkDataError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise FrameworkDataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for key in ("id", "name"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(path, key, "is required and must be a string")
    if data["id"] != path.stem:
        raise _fail(path, "id", f"{data['id']!r} must equal the file name {path.stem!r}")
    if not isinstance(data.get("description", ""), str):
        raise _fail(path, "description", "must be a string")
    lists: dict[str, tuple[str, ...]] = {}
    tables: dict[str, dict[str, str | tuple[str, ...]]] = {}
    for key, value in data.items():
        if key in _META_KEYS:
            continue
        if not _KEY_SHAPE.fullmatch(key):
            raise _fail(path, key, "keys are kebab-case (auth-decorators)")
        if isinstance(value, dict):
            tables[key] = _table(value, path, key)
        else:
            lists[key] = _string_list(value, path, key)
    if not lists and not tables:
        raise FrameworkDataError(f"{path}: holds no names (a framework file needs at least one list or table)")
    return Framework(data["id"], data["name"], data.get("description", ""), lists, tables)


def frameworks_dir() -> Path:
    return rules_dir() / "frameworks"


def load_shipped(directory: Path | None = None) -> dict[str, Framework]:
    """Every `<framework>.toml` of the directory, by id, in name order."""
    directory = directory or frameworks_dir()
    return {f.id: f for f in (load_framework(p) for p in sorted(directory.glob("*.toml")))}


def check_additions(value, shipped: dict[str, Framework], origin: Callable[[str], str]) -> dict[str, dict[str, list[str]]]:
    """The config's [frameworks] table checked against the shipped frameworks: a known framework,
    one of its list keys (not a regex one), a list of names. `origin(key)` names the file and key."""
    if not isinstance(value, dict):
        raise UserError(f"{origin('frameworks')} must be a table of [frameworks.<framework>] tables")
    out: dict[str, dict[str, list[str]]] = {}
    for framework_id, keys in value.items():
        where = f"frameworks.{framework_id}"
        framework = shipped.get(framework_id)
        if framework is None:
            raise UserError(f"{origin(where)}: `{framework_id}` is not a framework phi-lint knows"
                            f"{did_you_mean(framework_id, shipped)}; known: {', '.join(sorted(shipped))}")
        if not isinstance(keys, dict):
            raise UserError(f"{origin(where)} must be a table of key = [names]")
        for key, names in keys.items():
            if key not in framework.lists:
                known = [k for k in framework.lists if not k.endswith(PATTERN_SUFFIX)]
                raise UserError(f"{origin(f'{where}.{key}')} is not a list phi-lint reads for {framework.name}"
                                f"{did_you_mean(key, known)}; known: {', '.join(sorted(known))}")
            if key.endswith(PATTERN_SUFFIX):
                raise UserError(f"{origin(f'{where}.{key}')} holds regular expressions and cannot be extended "
                                "from configuration; list exact names in the matching names key")
            if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
                # an empty list would be accepted and change nothing: say so instead
                raise UserError(f"{origin(f'{where}.{key}')} must be a non-empty list of non-empty strings")
            out.setdefault(framework_id, {})[key] = [n.strip() for n in names]
    return out


def with_additions(shipped: dict[str, Framework], additions: dict[str, dict[str, list[str]]]) -> Frameworks:
    """The shipped frameworks with the user's names appended to their lists."""
    by_id = dict(shipped)
    flat: list[tuple[str, str, tuple[str, ...]]] = []
    for framework_id in sorted(additions):
        framework = by_id[framework_id]
        lists = dict(framework.lists)
        for key in sorted(additions[framework_id]):
            names = tuple(additions[framework_id][key])
            lists[key] = tuple(dict.fromkeys(lists[key] + names))
            flat.append((framework_id, key, names))
        by_id[framework_id] = Framework(framework.id, framework.name, framework.description, lists, framework.tables)
    return Frameworks(by_id, tuple(flat))


# -- the knowledge in force ------------------------------------------------------------------

_SHIPPED: dict[str, Framework] | None = None
_CURRENT: Frameworks | None = None


def shipped() -> dict[str, Framework]:
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = load_shipped()
    return _SHIPPED


def load_frameworks(additions: dict[str, dict[str, list[str]]] | None = None) -> Frameworks:
    return with_additions(shipped(), additions or {})


def current() -> Frameworks:
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = load_frameworks()
    return _CURRENT


def use(frameworks: Frameworks | None) -> Frameworks | None:
    """Put `frameworks` in force (None: the shipped data alone); returns what was in force."""
    global _CURRENT
    previous, _CURRENT = _CURRENT, frameworks
    return previous


def names(framework_id: str, key: str) -> tuple[str, ...]:
    """The names of one list, shipped first, then the user's."""
    return current().by_id[framework_id].lists[key]


def name_set(framework_id: str, key: str) -> frozenset[str]:
    return _sets(current())[(framework_id, key)]


def names_of(key: str, *framework_ids: str) -> frozenset[str]:
    """The union of one key over several frameworks (Django's and Flask's auth-decorators)."""
    sets = _sets(current())
    return frozenset().union(*(sets[(f, key)] for f in framework_ids))


def pattern(framework_id: str, key: str, flags: int = 0) -> re.Pattern[str]:
    """The regexes of one `-patterns` list in force as one regex (phi_lint.regexdata.alternation).
    Callers keep it in a `derived` value; the list was checked when its file was loaded (config
    cannot extend a regex list), so the error here only names an install edited since."""
    return alternation(names(framework_id, key), flags, where=f"rules/frameworks/{framework_id}.toml: `{key}`",
                       error=FrameworkDataError)


def table(framework_id: str, key: str) -> dict[str, str | tuple[str, ...]]:
    return current().by_id[framework_id].tables[key]


_SET_MEMO: dict[int, tuple[Frameworks, dict[tuple[str, str], frozenset[str]]]] = {}


def _sets(frameworks: Frameworks) -> dict[tuple[str, str], frozenset[str]]:
    held = _SET_MEMO.get(id(frameworks))
    if held is None or held[0] is not frameworks:
        sets = {(f.id, key): frozenset(values) for f in frameworks.by_id.values() for key, values in f.lists.items()}
        _SET_MEMO.clear()  # one run's knowledge at a time
        held = _SET_MEMO[id(frameworks)] = (frameworks, sets)
    return held[1]


T = TypeVar("T")


def derived(build: Callable[[], T]) -> Callable[[], T]:
    """A value built from the knowledge in force (a regex of guard names, normalised keys),
    built once per knowledge and rebuilt when a run puts other knowledge in force."""
    held: list = [None, None]

    def get() -> T:
        frameworks = current()
        if held[0] is not frameworks:
            held[1] = build()
            held[0] = frameworks
        return held[1]

    get.__doc__ = build.__doc__
    return get
