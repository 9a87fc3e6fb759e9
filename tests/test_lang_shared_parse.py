"""Each JS/TS file is parsed once per scan: the sightings, data-sent, page-graph (imports,
routes) and route-guard stages share its tree (phi_lint.lang)."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.lang import Source

# a router file every per-file stage reads: a tracker with data sent to it (sightings, data
# sent), routes with a guard (page graph, inference), a regex literal before a dynamic import
# (the keyword scan of imports cannot be trusted, so the imports are read from the tree)
ROUTER = """import { createBrowserRouter } from 'react-router-dom';
import Records from './Records';
const clean = (s) => s.replace(/\\/*$/, "");
export const router = createBrowserRouter([
  { path: '/records', element: <RequireAuth><Records /></RequireAuth> },
]);
fbq('init', '123456789012345', { em: user.email });
export const later = () => import('./Later');
"""
MIDDLEWARE = """import { NextResponse } from 'next/server';
export function middleware(request) {
  if (!request.cookies.get('session')) return NextResponse.redirect(new URL('/login', request.url));
  fbq('track', 'PageView');
}
export const config = { matcher: ['/portal/:path*'] };
"""
FILES = {
    "package.json": "{}",
    "src/router.tsx": ROUTER,
    "src/Records.tsx": "export default function Records() { return null }\n",
    "src/Later.ts": "export const x = 1;\n",
    "middleware.ts": MIDDLEWARE,
    "app/portal/page.tsx": "export default function Portal() { return null }\n",
    "index.html": '<script type="module" src="/src/router.tsx"></script>\n',
}


@pytest.fixture
def parses(monkeypatch):
    """Counts of parses by the code parsed (every tree-sitter parse of the scan)."""
    import tree_sitter

    counts: Counter = Counter()
    real = tree_sitter.Parser

    class CountingParser:
        def __init__(self, language):
            self._parser = real(language)

        def parse(self, data, *args, **kwargs):
            counts[bytes(data)] += 1
            return self._parser.parse(data, *args, **kwargs)

    monkeypatch.setattr(tree_sitter, "Parser", CountingParser)
    return counts


def test_every_stage_shares_one_parse_of_each_file(tmp_path, parses):
    write_tree(tmp_path, FILES)
    result = scan_tree(tmp_path, use_cache=False, jobs=1)
    lines = finding_lines(result, tmp_path)
    # the stages did run on these files: sightings, data sent, routes, imports after the regex
    assert "PHI004 src/router.tsx:7 meta-pixel" in lines and "PHI100 middleware.ts:4 meta-pixel" in lines
    assert result.contexts["app/portal/page.tsx"].authenticated  # the middleware's matcher was read
    assert ("src/router.tsx", "src/Later.ts") in {(e.source, e.target) for e in result.graph.edges}
    for rel in ("src/router.tsx", "middleware.ts"):
        assert parses[FILES[rel].encode()] == 1, rel


def test_a_source_parses_its_script_on_demand_and_once(parses):
    source = Source("a.ts", "const a = 1;\n")
    assert source.script is not None and not source.script.parsed
    assert parses == Counter()
    assert source.script.tree is source.script.tree
    assert source.script_at(0, len(source.text), "ts") is source.script
    assert parses[b"const a = 1;\n"] == 1
    assert Source("page.html", "<p>").script is None
