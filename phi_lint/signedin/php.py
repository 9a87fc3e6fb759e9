"""Branches of PHP `if` statements around a page's HTML: `<?php if ( ! is_user_logged_in() ) : ?>
<script>…</script> <?php endif; ?>` (WordPress) and the brace form. The statements come from the
file's tree-sitter parse, so a condition in a string or a comment is not read; each branch runs from
the end of its condition (or its `else` / `elseif` keyword) to the start of the next one, which
covers both syntaxes (in the `endif` form the HTML sits beside the colon block, not inside it)."""

from __future__ import annotations

from phi_lint.lang.php import nodes
from phi_lint.lang.treesitter import parse, text
from phi_lint.parsers.offsets import ByteToChar
from phi_lint.signedin.branches import Branch
from phi_lint.signedin.conditions import Syntax
from phi_lint.signedin.templates import shown
from phi_lint.textio import LineIndex

CLAUSES = ("else_if_clause", "else_clause")


def read_php(text_: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    """The branches of every `if` whose condition says who is signed in."""
    if "if" not in text_:
        return []
    tree = parse(text_, "php")
    if tree is None:
        return []
    to_char = ByteToChar(text_)
    found: list[Branch] = []
    for statement in nodes(tree.root_node, ("if_statement",)):
        condition = statement.child_by_field_name("condition")
        if condition is None:
            continue
        meaning = syntax.meaning(text(condition))
        exact = [meaning] if meaning is not None and meaning.exact else []
        clauses = [child for child in statement.children if child.type in CLAUSES]
        label = shown(f"if {text(condition)}")
        line = statement.start_point[0] + 1
        start = condition.end_byte
        for clause in clauses:
            if meaning is not None:
                found.append(Branch(to_char(start), to_char(clause.start_byte), meaning, f"inside `{label}`", line))
            clause_condition = clause.child_by_field_name("condition")
            if clause.type == "else_if_clause" and clause_condition is not None:
                meaning = syntax.meaning(text(clause_condition))
                if meaning is not None and meaning.exact:
                    exact.append(meaning)
                label, line = shown(f"elseif {text(clause_condition)}"), clause.start_point[0] + 1
                start = clause_condition.end_byte
            else:
                opposite = next((m.negated() for m in exact if m.negated() is not None), None)
                meaning = opposite
                label = f"else of `{shown('if ' + text(condition))}`"
                start = clause.start_byte
        if meaning is not None:
            found.append(Branch(to_char(start), to_char(statement.end_byte), meaning, f"inside `{label}`", line))
    del lines
    return found
