"""Vue templates: `v-if` / `v-else-if` / `v-else` on an element make the whole element (a `<div>`
around a pixel, a `<template>`, the tracker component itself) a branch.

Elements are found with one tag pattern, linear on any input: an open tag pushes, a close tag pops
to its own element (a few unclosed ones may lie between), a self-closing or void tag is an element
of its own. `<script>` and `<style>` bodies are skipped. The `v-if` chain is kept per parent, so
a `v-else` belongs to the sibling before it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from phi_lint.lazyre import lazy_pattern
from phi_lint.signedin.branches import Branch
from phi_lint.signedin.conditions import Meaning, Syntax
from phi_lint.signedin.templates import shown
from phi_lint.textio import LineIndex

_TAG = lazy_pattern(r"<(/?)([A-Za-z][\w:.-]*)((?:[\s/](?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?)>")
_DIRECTIVE = lazy_pattern(r"(?:^|\s)(v-if|v-else-if|v-else)(?:\s*=\s*(\"[^\"]*\"|'[^']*'))?(?=\s|/|$)")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_RAW = frozenset({"script", "style"})
CLOSER_REACH = 32


@dataclass
class _Element:
    name: str
    start: int
    meaning: Meaning | None
    condition: str
    line: int
    chain: list[Meaning | None] = field(default_factory=list)  # the v-if chain among its children
    in_chain: bool = False
    chain_opener: str = ""  # the v-if that began the chain, as a note quotes it


def _meaning_of(attributes: str, parent: _Element, syntax: Syntax) -> tuple[Meaning | None, str]:
    """What an element's directive requires, and how a note names it; the parent's chain moves on."""
    directive = _DIRECTIVE.search(attributes)
    if directive is None:
        parent.chain, parent.in_chain = [], False
        return None, ""
    kind, value = directive.group(1), (directive.group(2) or "")[1:-1]
    if kind == "v-if":
        meaning = syntax.meaning(value)
        parent.chain, parent.in_chain = [meaning], True
        parent.chain_opener = f'v-if="{value}"'
        return meaning, f'inside `v-if="{value}"`'
    if not parent.in_chain:
        return None, ""  # a v-else without a v-if before it: Vue rejects it; nothing known
    own = syntax.meaning(value) if kind == "v-else-if" else None
    opposite = next((m.negated() for m in parent.chain if m is not None and m.negated() is not None), None)
    parent.chain.append(own)
    if kind == "v-else":
        parent.in_chain = False
    if own is not None:
        return own, f'inside `{kind}="{value}"`'
    return opposite, f"in the `{kind}` of `{parent.chain_opener}`"


def read_vue(text: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    found: list[Branch] = []
    root = _Element("", 0, None, "", 0)
    stack: list[_Element] = [root]
    pos = 0
    while True:
        match = _TAG.search(text, pos)
        if match is None:
            break
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        pos = match.end()
        if closing:
            _close(stack, name, match.end(), found)
            continue
        meaning, why = _meaning_of(attributes, stack[-1], syntax)
        line = lines.position(match.start())[0]
        condition = why or ""
        element = _Element(name, match.start(), meaning, condition, line)
        if attributes.rstrip().endswith("/") or name in _VOID:
            if meaning is not None:
                found.append(Branch(match.start(), match.end(), meaning, shown(condition), line))
            continue
        if name in _RAW:
            body_end = re.compile(f"</{name}", re.IGNORECASE).search(text, pos)
            if body_end is None:
                break
            pos = body_end.start()
        stack.append(element)
    return found


def _close(stack: list[_Element], name: str, end: int, found: list[Branch]) -> None:
    for depth in range(len(stack) - 1, max(0, len(stack) - 1 - CLOSER_REACH), -1):
        if stack[depth].name == name:
            element = stack[depth]
            del stack[depth:]
            if element.meaning is not None:
                found.append(Branch(element.start, end, element.meaning, shown(element.condition), element.line))
            return
