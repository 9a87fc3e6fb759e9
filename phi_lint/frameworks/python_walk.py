"""One walk over a Python module's syntax tree that answers every question the views' readers
(phi_lint.frameworks.python_views) ask of it, so a module's tree is walked once.

The readers used to walk the tree again and again: the imports and the assignments and calls of
the module (two breadth-first walks), then for each function its string assignments, render
calls, nested functions and login checks (a walk each, and a nested function's body once more
for every function around it). One walk now lists every node in the order
`phi_lint.lang.python.walk_function` yields a function body's nodes (pre-order, children right to
left), so a function body is one contiguous span of that list, and keeps per kind of node the
positions the readers ask about: a body's calls or assignments are a slice found by bisection,
whether it holds a login check a bisection too. What the readers asked in breadth-first order
(imports: the last one of a name wins; assignments and calls: the order facts are appended in)
is given in that order (by depth, then left to right).
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import TypeVar

Node = TypeVar("Node", bound=ast.AST)

# fields that never hold a node, or only leaves no reader asks about (Load/Store, operators,
# import aliases): not walked
_LEAF_FIELDS = frozenset(("ctx", "op", "ops", "id", "attr", "name", "names", "kind", "type_comment", "level",
                          "module", "arg", "is_async", "conversion", "simple"))
_FIELDS: dict[type, tuple[str, ...]] = {}  # node type → the fields walked


class ModuleWalk:
    """The nodes of one module, in walk_function order, with the positions each reader needs."""

    def __init__(self, tree: ast.Module, user_checks: Iterable[str]):
        self.spans: dict[int, tuple[int, int]] = {}  # id(function) → its body's (start, end) positions
        self.assigns: tuple[list[int], list[ast.AST]] = ([], [])  # Assign, AnnAssign
        self.calls: tuple[list[int], list[ast.Call]] = ([], [])
        self.returns: tuple[list[int], list[ast.AST]] = ([], [])
        self.names: tuple[list[int], list[str]] = ([], [])  # every Name's id (auth decorators are known later)
        self.functions: list[int] = []  # positions of function definitions
        self.checks: list[int] = []  # `x.is_authenticated`, `g.user`: the signed-in user is asked about
        self.raises: list[int] = []
        self.imports: list[tuple[int, int, ast.AST]] = []  # (depth, -position, Import / ImportFrom)
        self.statements: list[tuple[int, int, ast.AST]] = []  # (depth, -position, Assign / Call)
        self.size = 0
        self._walk(tree, frozenset(user_checks))
        self.imports.sort(key=_breadth_first)
        self.statements.sort(key=_breadth_first)
        self._acts: list[int] | None = None

    def _walk(self, tree: ast.Module, user_checks: frozenset[str]) -> None:
        spans, functions, checks, raises = self.spans, self.functions, self.checks, self.raises
        names_at, names = self.names
        assign_at, assign_nodes = self.assigns
        call_at, call_nodes = self.calls
        return_at, return_nodes = self.returns
        imports, statements = self.imports, self.statements
        starts: dict[int, int] = {}
        stack: list = [tree]
        depths = [0]
        position = 0
        Name, Attribute, Call, Assign, AnnAssign = ast.Name, ast.Attribute, ast.Call, ast.Assign, ast.AnnAssign
        Return, Raise, Import, ImportFrom = ast.Return, ast.Raise, ast.Import, ast.ImportFrom
        FunctionDef, AsyncFunctionDef, AST = ast.FunctionDef, ast.AsyncFunctionDef, ast.AST
        while stack:
            node = stack.pop()
            depth = depths.pop()
            kind = type(node)
            if kind is tuple:  # a marker: a function body starts or ends here
                mark, function = node
                if mark:
                    starts[id(function)] = position
                else:
                    spans[id(function)] = (starts.pop(id(function)), position)
                continue
            function = False
            if kind is Name:
                names_at.append(position)
                names.append(node.id)
            elif kind is Attribute:
                if node.attr in user_checks or (node.attr == "user" and type(node.value) is Name
                                                and node.value.id == "g"):
                    checks.append(position)
            elif kind is Call:
                call_at.append(position)
                call_nodes.append(node)
                statements.append((depth, -position, node))
            elif kind is Assign:
                assign_at.append(position)
                assign_nodes.append(node)
                statements.append((depth, -position, node))
            elif kind is AnnAssign:
                assign_at.append(position)
                assign_nodes.append(node)
            elif kind is Return:
                return_at.append(position)
                return_nodes.append(node)
            elif kind is Raise:
                raises.append(position)
            elif kind is Import or kind is ImportFrom:
                imports.append((depth, -position, node))
            elif kind is FunctionDef or kind is AsyncFunctionDef:
                functions.append(position)
                function = True
            position += 1
            child_depth = depth + 1
            fields = _FIELDS.get(kind)
            if fields is None:
                fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
            for field in fields:
                value = getattr(node, field, None)
                if type(value) is list:
                    if function and field == "body":
                        # popped last: the start marker before the body, the end marker after it
                        stack.append((False, node))
                        depths.append(0)
                        stack.extend(value)
                        depths.extend([child_depth] * len(value))
                        stack.append((True, node))
                        depths.append(0)
                        continue
                    for item in value:
                        if isinstance(item, AST):
                            stack.append(item)
                            depths.append(child_depth)
                elif isinstance(value, AST):
                    stack.append(value)
                    depths.append(child_depth)
        self.size = position

    # -- a function body ----------------------------------------------------------------------
    def span(self, function) -> tuple[int, int]:
        """The positions of the function's body (one walked through this module)."""
        return self.spans[id(function)]

    def body_assigns(self, function) -> list[ast.AST]:
        """Its Assign and AnnAssign nodes, in walk_function order."""
        return _slice(self.assigns, self.span(function))

    def body_calls(self, function) -> list[ast.Call]:
        return _slice(self.calls, self.span(function))

    def body_returns(self, function) -> list[ast.AST]:
        return _slice(self.returns, self.span(function))

    def has_nested_function(self, function) -> bool:
        return _any(self.functions, self.span(function))

    def enforces_login(self, function, auth_names: list[int], turns_away: Callable[[ast.Call], bool]) -> bool:
        """The body asks about the signed-in user and sends someone away (a turn-away call or
        `raise`); `auth_names`: the positions of auth decorators' names, which do both."""
        span = self.span(function)
        if _any(auth_names, span):
            return True
        if not _any(self.checks, span):
            return False
        if self._acts is None:  # asked of a few functions: the calls sorted out once
            call_at, call_nodes = self.calls
            sent_away = [at for at, node in zip(call_at, call_nodes) if turns_away(node)]
            self._acts = sorted(sent_away + self.raises)
        return _any(self._acts, span)


def _breadth_first(entry: tuple[int, int, ast.AST]) -> tuple[int, int]:
    """ast.walk's order: by depth; at one depth left to right (the walk went right to left)."""
    return entry[0], entry[1]


def _slice(kept: tuple[list[int], list[Node]], span: tuple[int, int]) -> list[Node]:
    positions, nodes = kept
    return nodes[bisect_left(positions, span[0]):bisect_left(positions, span[1])]


def _any(positions: list[int], span: tuple[int, int]) -> bool:
    at = bisect_left(positions, span[0])
    return at < len(positions) and positions[at] < span[1]
