"""Plain PHP: the page-graph edges of include / include_once / require / require_once.

A PHP page that includes a header with a tracker in it reaches that tracker. The path
expression is read from the tree-sitter parse (phi_lint.lang.php): string literals, `__DIR__`,
`__FILE__`, `dirname(__FILE__)`, `dirname(__DIR__, n)`, `$_SERVER['DOCUMENT_ROOT']` and the
constants the same file defines (`define('INC', __DIR__ . '/inc/')`, `const INC = …`), joined
with `.`. A path computed at run time gives no edge. The document-root directories tried and
the directories whose missing files are not worth a note are data (rules/frameworks/php.toml).
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.lang.php import php_code
from phi_lint.lang.treesitter import line, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge

if TYPE_CHECKING:
    from phi_lint.lang import Source
    from phi_lint.pagegraph.repo import RepoIndex

FRAMEWORK = "php"
MAX_LABEL = 120  # characters of the include expression kept as the edge's label
_VARIABLE_START = lazy_pattern(r"\$[A-Za-z_]")  # `$srcdir/acl.inc`
# a cheap test before the parse: the file names an include keyword as a word of code
_MAY_INCLUDE = lazy_pattern(r"(?<![\w$>:\\])(?:include|require)(?:_once)?\b", re.IGNORECASE)


def resolve_include(repo: RepoIndex, rel: str, anchor: str, path: str) -> str | None:
    """The repository file an evaluated include path names (phi_lint.lang.php.PhpCode.path)."""
    if not path or "://" in path:
        return None
    if anchor == "repo":
        return repo.first([posixpath.normpath(path).lstrip("/")])
    stripped = path.lstrip("/")
    if anchor == "docroot":
        roots = ("", *frameworks_data.names(FRAMEWORK, "document-roots"))
        found = repo.first([root + stripped for root in roots])
        if found:
            return found
        matches = repo.by_suffix(stripped)
        return matches[0] if len(matches) == 1 else None
    if path.startswith("/"):
        return None  # an absolute filesystem path
    found = repo.first([posixpath.join(posixpath.dirname(rel), path), path])
    if found:
        return found
    matches = repo.by_suffix(posixpath.normpath(path).lstrip("./"))
    return matches[0] if len(matches) == 1 else None


def _worth_a_note(path: str) -> bool:
    """A missing include outside dependency directories (vendor/autoload.php is not committed),
    and not one whose path starts with a variable: `'$srcdir/acl.inc'` in single quotes is
    literal to PHP, but its author meant the variable, and no file of the repository is missing."""
    if "://" in path or _VARIABLE_START.match(path):
        return False
    segments = path.split("/")
    return not any(directory in segments for directory in frameworks_data.names(FRAMEWORK, "dependency-dirs"))


def _unindexed_file(repo: RepoIndex, rel: str, anchor: str, path: str) -> bool:
    """The include names a file that is there but not scanned (`include("stylesheet.css")` of a
    style, a file in an excluded folder): in the repository, so not worth a missing note."""
    if anchor not in ("repo", "relative"):
        return False  # the document root is a guess (resolve_include)
    here = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if anchor == "relative" else ""
    candidates = [c for c in (here, posixpath.normpath(path).lstrip("/")) if c and not c.startswith("..")]
    return any(repo.on_disk(c) for c in candidates)


def include_edges(source: Source, repo: RepoIndex) -> list[Edge]:
    """The include / require edges of one PHP file."""
    if not _MAY_INCLUDE.search(source.text):
        return []
    code = php_code(source)
    if code is None:
        return []
    edges = []
    for _kind, expression, node in code.includes():
        value = code.path(expression)
        if value is None:
            continue
        anchor, path = value
        target = resolve_include(repo, source.rel, anchor, path)
        if target:
            edges.append(Edge(source.rel, target, "include", line(node), text(expression).strip()[:MAX_LABEL]))
        elif path and _worth_a_note(path) and not _unindexed_file(repo, source.rel, anchor, path):
            repo.note_missing(source.rel, path, line(node))
    return edges


@register
class Php(Framework):
    id = FRAMEWORK
    name = "PHP"
    reads = {"source_edges": (Reads(readers=("php",)),)}

    def source_edges(self, source, repo):
        dialect = dialect_for(posixpath.basename(source.rel))
        if dialect is None or "php" not in dialect.includes:
            return []
        return include_edges(source, repo)
