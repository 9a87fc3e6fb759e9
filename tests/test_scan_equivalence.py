"""Rewrites of per-file readers for speed (issue 17) give the answers of the code they replace.

Each old reader is kept here as the oracle, and random texts built from the syntax its input
is made of (keywords, quotes, brackets, separators) are fed to both."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phi_lint.pagegraph import jsmodules

# ------------------------------------------------------------------ JS/TS module references

_IDENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")


def _old_candidates(code: str) -> list[tuple[int, str, dict]]:
    """The keyword loop _scanned_references had: str.find each keyword, test the characters
    around it in Python, then try the anchored pattern there."""
    candidates = []
    for keyword, pattern in jsmodules._AT.items():
        at = code.find(keyword)
        while at != -1:
            before = code[at - 1] if at else " "
            after_at = at + len(keyword)
            after = code[after_at] if after_at < len(code) else " "
            if before not in _IDENT_CHARS and before != "." and after not in _IDENT_CHARS:
                match = pattern.match(code, at)
                if match:
                    candidates.append((at, keyword, match.groupdict(), match.end()))
            at = code.find(keyword, after_at)
    return candidates


def _new_candidates(code: str) -> list[tuple[int, str, dict]]:
    return [(at, keyword, match.groupdict(), match.end()) for at, keyword, match in jsmodules._reference_candidates(code)]


JS_PIECES = st.sampled_from([
    "import", "export", "require", "templateUrl", "from", "type", " ", "  ", "\n", "{", "}", "(", ")",
    "'", '"', "`", "x", "a1", ".", "$", "_", ";", ":", ",", "*", "/", "=", "./mod", "é", "\t",
    "import x from './m'", "export {a} from \"./m\"", "export function f(", "Array.from(x)", "require('./m')", "import('./m')", "templateUrl: `./t`",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(JS_PIECES, max_size=40))
def test_module_reference_search_finds_what_the_keyword_loop_found(pieces):
    code = "".join(pieces)
    assert _new_candidates(code) == _old_candidates(code)


def test_module_reference_search_on_real_shapes():
    code = (
        "import a from './a';\nexport function f(x) { return require('./b'); }\n"
        "export { c } from \"./c\";\nconst y = x.import('./no');\nmyrequire('./no');\n"
        "export * from './d'; import('./e'); templateUrl: './f.html'\n"
        "export { import } from './g'\n"
    )
    assert _new_candidates(code) == _old_candidates(code)
    specs = [spec for spec, _, _ in jsmodules._scanned_references(code, 0)]
    assert specs == ["./a", "./b", "./c", "./d", "./e", "./f.html", "./g", "./g"]
