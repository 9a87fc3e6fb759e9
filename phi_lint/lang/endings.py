"""File endings → the language a file's code is read as: the one table of it.

The tree-sitter layer (phi_lint.lang.treesitter: which grammar parses a file), the Java/Kotlin
view (phi_lint.lang.java) and the JS/TS layer (phi_lint.lang.javascript, which then picks the js,
ts or tsx grammar by its own rules; discovery takes its JS endings from there too) look a file's
language up here, each keeping only the languages or endings it reads, so no two of them can
disagree on what a `.kt` or a `.mts` file is.
The languages are the names the grammar table (treesitter.GRAMMARS) knows them by; "python" and
"javascript" have readers of their own. Order matters where a caller tries endings in turn (a
JS import without an ending tries `.js` first).
"""

from __future__ import annotations

LANGUAGES: dict[str, str] = {
    ".rb": "ruby", ".rake": "ruby",
    ".php": "php",
    ".java": "java",
    ".kt": "kotlin", ".kts": "kotlin",  # .kts: a Kotlin script (a Gradle build), not application code
    ".cs": "c_sharp",
    ".go": "go",
    ".ex": "elixir", ".exs": "elixir",
    ".py": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "javascript", ".mts": "javascript", ".cts": "javascript", ".tsx": "javascript",
}


def endings_of(*languages: str) -> tuple[str, ...]:
    """The endings of the given languages, in table order."""
    return tuple(ending for ending, language in LANGUAGES.items() if language in languages)


def language_of(rel: str, endings: tuple[str, ...] | None = None) -> str | None:
    """The language of a file by its ending (looked for among `endings` only when given), or None."""
    lower = rel.lower()
    for ending in LANGUAGES if endings is None else endings:
        if lower.endswith(ending):
            return LANGUAGES[ending]
    return None


def name_suffix(rel: str) -> str:
    """The lower-case name of a file from its first dot (`.html.erb` of `app/Show.HTML.erb`, ""
    with no dot): every ending test of the name (this table's, the dialect table's) gives the
    same answer on it as on the whole path, so what depends on the ending can be kept by it."""
    name = rel[rel.rfind("/") + 1:].lower()
    dot = name.find(".")
    return name[dot:] if dot >= 0 else ""
