"""JS/TS and JSX: the conditions around a piece of code, read from its ancestors in the tree.

`cond && <Pixel/>`, `cond ? <Pixel/> : null` (and its `:` branch), `if (cond) …` (and its `else`),
`user || <Pixel/>`, and code after an early `if (user) return …;` in the same block. Only the
ancestors of each sighting are looked at, so the cost is the depth of the tree there."""

from __future__ import annotations

from typing import Any

from phi_lint.parsers.offsets import ByteToChar
from phi_lint.signedin.branches import Branch
from phi_lint.signedin.conditions import Meaning, Syntax
from phi_lint.signedin.templates import shown
from phi_lint.textio import LineIndex

MAX_DEPTH = 400  # ancestors looked at; deeper conditions are not read
MAX_EARLIER = 50  # statements before a sighting looked at for an early return


def _text(node) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _returns(node) -> bool:
    """Whether a statement always leaves the function (`return …;`, `{ …; return; }`, throw)."""
    if node is None:
        return False
    if node.type in ("return_statement", "throw_statement"):
        return True
    if node.type == "statement_block" and node.named_child_count:
        return _returns(node.named_children[-1])
    return False


def _conditions(node, child, syntax: Syntax) -> list[tuple[Any, Meaning, str]]:
    """(region node, meaning, label) of what `node` requires for its part `child` to run."""
    kind = node.type
    found: list[tuple[Any, Meaning | None, str]] = []
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if child == right and operator is not None and left is not None:
            meaning = syntax.meaning(_text(left))
            if operator.type == "&&":
                found.append((child, meaning, f"inside `{_text(left)} && …`"))
            elif operator.type == "||" and meaning is not None:
                found.append((child, meaning.negated(), f"inside `{_text(left)} || …`"))
    elif kind == "ternary_expression":
        condition = node.child_by_field_name("condition")
        meaning = syntax.meaning(_text(condition)) if condition is not None else None
        if child == node.child_by_field_name("consequence"):
            found.append((child, meaning, f"inside `{_text(condition)} ? … : …`"))
        elif child == node.child_by_field_name("alternative") and meaning is not None:
            found.append((child, meaning.negated(), f"in the `:` branch of `{_text(condition)} ? … : …`"))
    elif kind == "if_statement":
        condition = node.child_by_field_name("condition")
        meaning = syntax.meaning(_text(condition)) if condition is not None else None
        if child == node.child_by_field_name("consequence"):
            found.append((child, meaning, f"inside `if {_text(condition)}`"))
        elif child == node.child_by_field_name("alternative") and meaning is not None:
            found.append((child, meaning.negated(), f"in the `else` of `if {_text(condition)}`"))
    elif kind in ("statement_block", "program"):
        found.extend(_early_returns(node, child, syntax))
    return [(region, meaning, label) for region, meaning, label in found if meaning is not None]


def _early_returns(block, child, syntax: Syntax) -> list[tuple[Any, Meaning | None, str]]:
    """`if (user) return null;` before `child` in the same block: what follows runs only when the
    condition is false."""
    found: list[tuple[Any, Meaning | None, str]] = []
    earlier = child.prev_named_sibling
    for _ in range(MAX_EARLIER):
        if earlier is None:
            break
        if earlier.type == "if_statement" and earlier.child_by_field_name("alternative") is None:
            condition = earlier.child_by_field_name("condition")
            if condition is not None and _returns(earlier.child_by_field_name("consequence")):
                meaning = syntax.meaning(_text(condition))
                if meaning is not None:
                    found.append((child, meaning.negated(), f"after `if {_text(condition)} return …`"))
        earlier = earlier.prev_named_sibling
    return found


def read_jsx(text: str, syntax: Syntax, lines: LineIndex, tree, points: list[tuple[int, int]]) -> list[Branch]:
    """The branches that enclose each (start, end) character range of `text`, whose tree is `tree`."""
    to_char = ByteToChar(text)
    found: list[Branch] = []
    for start, end in points:
        byte_start = len(text[:start].encode("utf-8", "surrogatepass"))
        byte_end = byte_start + len(text[start:end].encode("utf-8", "surrogatepass"))
        child = tree.root_node.descendant_for_byte_range(byte_start, max(byte_start, byte_end - 1))
        for _ in range(MAX_DEPTH):
            if child is None or child.parent is None:
                break
            node = child.parent
            for region, meaning, label in _conditions(node, child, syntax):
                region_start = to_char(region.start_byte)
                found.append(Branch(region_start, to_char(region.end_byte), meaning, shown(label),
                                    lines.position(to_char(node.start_byte))[0]))
            child = node
    return found
