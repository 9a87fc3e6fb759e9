"""No regex that reads scanned text may backtrack without bound (issue 11, "bounded work").

This test runs phi_lint.regex_shapes (nested repeats, ambiguous alternations, overlapping
adjacent repeats; see its docstring) over every pattern phi-lint compiles: module and class
attributes, patterns in module-level containers, literal patterns passed to `re.*` anywhere in
the source, and the regexes of the shipped rules (vendor catalogue, data-call shapes). It fails
on any flagged pattern that is not in ALLOWED with the reason it is bounded anyway. The
detector itself is tested on known-bad and known-good shapes first, so the audit can fail.

Patterns built at run time are not seen here; test_hostile_bounded_b.py times the hostile
inputs found so far, including the ones that come from how a pattern is used.
"""

from __future__ import annotations

import ast
import functools
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import phi_lint
from phi_lint.inference.signals import _BRANCHES
from phi_lint.lazyre import LazyPattern
from phi_lint.regex_shapes import backtracking_problems

_BRANCHES_PATTERN = _BRANCHES.pattern


# ------------------------------------------------------------------ the detector itself

_BAD = [
    r"(a+)+$",
    r"(\s*\w+)*x",
    r"(?:a|ab)*c",
    r"(?:a|a)*c",
    r"(?:a|aa)+c",
    r"(.*a){3,}",
    r"(?:\d+[a-z]*)*!",
    r"\s*\(?\s*x",
    r"!\s*(?:await\s+)?\(?\s*(?:\w+\??\.)*(?:session|user)\b",
    r"\brender\s*\(?\s*(?:[^)\n]*?,\s*)?view\s*:",
    r"\s*(?::\s*[\w<>?,.\[\] ]+?)?\s*(?:throws\s+[\w.,\s]+?)?\s*(\{|=(?!=))",
    r".*x?.*y",
    r"[^\"]*(?:log-?in|auth)[^\"]*\"",
    r"a{0,2000}a{0,2000}b",
    r"[^%]{0,300}?(?:user|\w+_in)",
    rb"(\s*\w+)*x",
    r"\s*(?=(\s*))\1x",
]
_GOOD = [
    r"(?:\w+\.)*\w+",
    r"(?:[^\"\\]|\\.)*\"",
    r"(?:\\.|[^'\\\n])*'",
    r"\bclass\s+(\w+)",
    r"@([A-Za-z_][\w.]*)\s*(\()?",
    r"(?:\s*,\s*[\w.]+)*",
    r"<g:render\b[^>]{0,2000}?\btemplate\s*=\s*([\"'])([^\"']+)\1",
    r"(?=(\s*))\1(?::)",
    r"x(?=(\s*))\1\{",
    r"[a-z]+(?:-[a-z]+)*",
    r"\d{1,3}(?:\.\d{1,3}){3}",
    r"(?:foo|bar)+",
    r"^(?:https?|ftp)://[^/\s]+",
    rb"[^\r\n]",
    r"(?i)(?:A|a)+b",
]


@pytest.mark.parametrize("pattern", _BAD)
def test_detector_flags_backtracking_shapes(pattern):
    assert backtracking_problems(pattern), pattern


@pytest.mark.parametrize("pattern", _GOOD)
def test_detector_passes_safe_shapes(pattern):
    assert backtracking_problems(pattern) == [], pattern


# ------------------------------------------------------------------ what phi-lint compiles


def _modules() -> list:
    names = [phi_lint.__name__] + [
        info.name for info in pkgutil.walk_packages(phi_lint.__path__, phi_lint.__name__ + ".")
    ]
    return [importlib.import_module(name) for name in names if not name.endswith("__main__")]


def _patterns_in(value, where: str, depth: int = 0):
    """(where, pattern) for the compiled patterns in a module-level value or its containers."""
    if isinstance(value, re.Pattern):
        yield where, value
    elif isinstance(value, LazyPattern):  # a module's pattern, compiled when first used
        yield where, value.compiled()
    elif depth < 4 and isinstance(value, (tuple, list, set, frozenset)):
        for index, item in enumerate(value):
            yield from _patterns_in(item, f"{where}[{index}]", depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in list(value.items()):
            yield from _patterns_in(key, f"{where} key", depth + 1)
            yield from _patterns_in(item, f"{where}[{key!r}]", depth + 1)


@functools.cache
def attribute_patterns() -> dict[str, re.Pattern]:
    """Compiled patterns reachable from phi-lint's modules and their classes, by where they live."""
    found: dict[str, re.Pattern] = {}
    for module in _modules():
        for name, value in list(vars(module).items()):
            owner = getattr(value, "__module__", None)
            if isinstance(value, type) and owner == module.__name__:
                for attr, member in list(vars(value).items()):
                    for where, pattern in _patterns_in(member, f"{module.__name__}.{name}.{attr}"):
                        found.setdefault(where, pattern)
            for where, pattern in _patterns_in(value, f"{module.__name__}.{name}"):
                found.setdefault(where, pattern)
    return found


_RE_FUNCTIONS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}


def _flags_value(node) -> int | None:
    """re.I | re.X … written in the source, or None when it is not that simple."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        value = getattr(re, node.attr, None)
        return int(value) if isinstance(value, re.RegexFlag) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags_value(node.left), _flags_value(node.right)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    return None


def _re_function(node) -> str | None:
    """The re function a call is (`re.search(...)` → "search"; phi_lint.lazyre's
    `lazy_pattern(...)` is a compile), None for any other call."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id == "lazy_pattern":
        return "compile"
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re" \
            and func.attr in _RE_FUNCTIONS:
        return func.attr
    return None


@functools.cache
def literal_patterns() -> dict[str, tuple[str | bytes, int]]:
    """Literal patterns passed to re.compile / re.search / … anywhere in phi-lint's source (the
    ones compiled inside functions are not module attributes)."""
    found: dict[str, tuple[str | bytes, int]] = {}
    package = Path(phi_lint.__file__).parent
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            function = _re_function(node)
            if not (function and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, (str, bytes))):
                continue
            flags_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            position = {"compile": 1, "sub": 3, "subn": 3, "split": 2}.get(function, 2)
            if flags_node is None and len(node.args) > position:
                flags_node = node.args[position]
            flags = _flags_value(flags_node)
            rel = path.relative_to(package.parent).as_posix()
            found[f"{rel}:{node.lineno}"] = (node.args[0].value, flags or 0)
    return found


@functools.cache
def rule_patterns() -> dict[str, re.Pattern]:
    """The regexes of the shipped rules: the vendor catalogue (URLs, call arguments, id formats)
    and the data-call shapes (rules/data-calls.toml)."""
    from phi_lint.catalogue import load_catalogue
    from phi_lint.datasent.calls import shapes

    found: dict[str, re.Pattern] = {}
    seen: set[int] = set()

    def walk(value, where: str, depth: int) -> None:
        if depth > 8 or id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
            return
        seen.add(id(value))
        if isinstance(value, re.Pattern):
            found.setdefault(where, value)
        elif isinstance(value, LazyPattern):  # a shipped signature, compiled when first used
            found.setdefault(where, value.compiled())
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}[{key!r}]", depth + 1)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]", depth + 1)
        else:
            names = list(getattr(value, "__dict__", {})) or list(getattr(value, "__slots__", ()))
            for name in names:
                walk(getattr(value, name, None), f"{where}.{name}", depth + 1)

    walk(load_catalogue(), "catalogue", 0)
    # re.compile caches: a data-call pattern equal to a vendor call's (e.g. '^init$') is the same
    # object, so each root gets its own "seen" (else the data-call entry would be hidden)
    seen.clear()
    walk(shapes(), "data-calls", 0)
    return found


# ------------------------------------------------------------------ the audit

# pattern -> why it cannot backtrack without bound although the detector flags its shape
ALLOWED = {
    r"^(title|description|summary)\s*:\s*[\"']?(.+?)[\"']?\s*$": (
        "health._FM_FIELD reads only front matter, which _FRONT_MATTER cuts at 4,000 characters: "
        "at worst about 0.2 s for a file"
    ),
    _BRANCHES_PATTERN: (
        "signals._BRANCHES: the flagged pair is the 300-character window and `(?<!\\w)\\w+_signed_in`, "
        "which starts only at the start of a word, so a long word is read once per window"
    ),
    r"^\(\?<[!=](?:\\.|[^)])*\)": (
        "templates_other._leading_literal strips a look-behind from phi-lint's own comment-opener "
        "patterns, never from scanned text"
    ),
}

# the tag-manager side of issue 11 rewrites these on its own branch (sec-redos-a): not checked here
OWNED_ELSEWHERE = {
    r"\{\{\s*([^{}]{1,200}?)\s*\}\}": "tagmanager.reads.REF",
    r"^\s*\{\{\s*([^{}]+?)\s*\}\}\s*$": "tagmanager.firing._REF",
}


def _problems(patterns) -> list[str]:
    out = []
    for where, (pattern, flags) in patterns:
        text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
        if text in ALLOWED or text in OWNED_ELSEWHERE:
            continue
        found = backtracking_problems(pattern, flags)
        if found:
            out.append(f"{where}: {text[:120]!r}: {'; '.join(found)}")
    return out


def test_compiled_patterns_do_not_backtrack():
    found = attribute_patterns()
    assert _problems((where, (p.pattern, p.flags)) for where, p in found.items()) == []


def test_literal_patterns_do_not_backtrack():
    assert _problems(literal_patterns().items()) == []


def test_rule_patterns_do_not_backtrack():
    found = rule_patterns()
    assert _problems((where, (p.pattern, p.flags)) for where, p in found.items()) == []


def test_the_audit_reads_what_it_should():
    """The collectors find what they are meant to (an audit of nothing would pass)."""
    attributes = attribute_patterns()
    assert "phi_lint.frameworks.jsguards._SESSION_CHECK" in attributes
    assert "phi_lint.inference.health._TITLE_PATTERNS[5][1]" in attributes  # inside a list of tuples
    assert any(where.startswith("phi_lint.lang.groovy._LINE_STRING_BODY[") for where in attributes)  # a dict
    assert len(attributes) > 250
    literals = literal_patterns()
    assert any(where.startswith("phi_lint/frameworks/express.py:") for where in literals)  # inside functions
    assert len(literals) > 300
    rules = rule_patterns()
    assert any(".urls[" in where for where in rules) and any(where.startswith("data-calls") for where in rules)
    assert len(rules) > 150


def test_allowed_patterns_still_exist():
    """An entry for a pattern that is gone (rewritten) must go too, so the list stays honest."""
    present = {p.pattern for p in attribute_patterns().values()}
    present |= {p.decode("latin-1") if isinstance(p, bytes) else p for p, _ in literal_patterns().values()}
    assert set(ALLOWED) - present == set()
