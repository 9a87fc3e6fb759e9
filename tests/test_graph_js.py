"""Page-graph edges of JavaScript code: module imports (jsmodules) and framework conventions
(phi_lint.frameworks: Next.js, Nuxt, SvelteKit, Remix, SPA routers and their entries)."""

from __future__ import annotations

from pathlib import Path

from helpers import finding_lines, scan_tree, write_tree

from phi_lint.frameworks import jsrouter
from phi_lint.models import Notification
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.build import GraphBuilder
from phi_lint.pagegraph.repo import RepoIndex


def _kind(rel: str) -> str | None:
    from phi_lint.discovery import classify

    return classify(rel.rsplit("/", 1)[-1])


def build(tmp_path: Path, files: dict[str, str]):
    """The page graph of a small tree, built the way the scan builds it."""
    write_tree(tmp_path, files)
    kinds = {rel: k for rel in files if (k := _kind(rel))}
    repo = RepoIndex(tmp_path, kinds)
    notes: list[Notification] = []
    builder = GraphBuilder(repo, notes)
    for rel in sorted(kinds):
        builder.add_file(rel, kinds[rel], files[rel])
    graph = builder.finish()
    return graph, repo, notes


def edges(graph, kind: str | None = None) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in graph.edges if kind is None or e.kind == kind}


def missing(notes) -> list[str]:
    return [n.message for n in notes if n.code == "missing-target"]


# --------------------------------------------------------------------------- jsmodules


def test_static_dynamic_require_and_reexport_imports_resolve_with_probing(tmp_path):
    graph, _, notes = build(
        tmp_path,
        {
            "src/app.ts": (
                "import { a } from './lib/a';\n"
                "import B from \"./components/B\";\n"
                "import './side-effect';\n"
                "export * from './reexported';\n"
                "export { c as d } from './lib/c.js';\n"
                "const lazy = () => import('./pages/Lazy');\n"
                "const legacy = require('../legacy/util');\n"
            ),
            "src/lib/a.ts": "export const a = 1;",
            "src/components/B.tsx": "export default function B() { return null }",
            "src/side-effect.js": "window.x = 1;",
            "src/reexported/index.ts": "export const r = 1;",
            "src/lib/c.ts": "export const c = 1;",  # './lib/c.js' → c.ts (TypeScript ESM)
            "src/pages/Lazy.jsx": "export default () => null;",
            "legacy/util.cjs": "module.exports = {};",
        },
    )
    assert edges(graph, "import") == {
        ("src/app.ts", "src/lib/a.ts"),
        ("src/app.ts", "src/components/B.tsx"),
        ("src/app.ts", "src/side-effect.js"),
        ("src/app.ts", "src/reexported/index.ts"),
        ("src/app.ts", "src/lib/c.ts"),
        ("src/app.ts", "src/pages/Lazy.jsx"),
        ("src/app.ts", "legacy/util.cjs"),
    }
    assert missing(notes) == []
    lines = {e.target: e.line for e in graph.edges}
    assert lines["src/lib/a.ts"] == 1 and lines["src/pages/Lazy.jsx"] == 6


def test_packages_types_assets_comments_and_strings_are_not_edges(tmp_path):
    graph, _, notes = build(
        tmp_path,
        {
            "src/app.tsx": (
                "import React from 'react';\n"
                "import mixpanel from 'mixpanel-browser';\n"
                "import type { Props } from './types';\n"
                "export type { Other } from './other';\n"
                "import './app.css';\n"
                "import logo from './logo.svg';\n"
                "import data from './data.json';\n"
                "// import Old from './Old';\n"
                "/* import('./Commented') */\n"
                "const s = \"import x from './InString'\";\n"
                "const t = `require('./InTemplate')`;\n"
                "const u = import.meta.env.BASE_URL;\n"
            ),
            "src/types.ts": "export type Props = {};",
            "src/other.ts": "export type Other = {};",
            "src/Old.tsx": "",
            "src/Commented.tsx": "",
            "src/InString.tsx": "",
            "src/InTemplate.tsx": "",
        },
    )
    assert edges(graph) == set()
    assert missing(notes) == []


def test_unresolved_relative_and_alias_imports_are_notes(tmp_path):
    graph, _, notes = build(
        tmp_path,
        {
            "tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }',
            "src/app.ts": "import a from './nope';\nimport b from '@/gone/thing';\nimport c from 'some-package';\n",
        },
    )
    assert edges(graph) == set()
    assert sorted(missing(notes)) == ["line 1: `./nope` is not in the repository (page graph)", "line 2: `@/gone/thing` is not in the repository (page graph)"]


def test_typescript_esm_js_imports_name_the_ts_file_or_its_declarations(tmp_path):
    # medusa's docs-generator: `../types/index.js` is `src/types/index.d.ts`, types only
    graph, _, notes = build(
        tmp_path,
        {
            "src/commands/run.ts": (
                'import { CommonCliOptions } from "../types/index.js"\n'
                'import { Shape } from "../types/shape.mjs"\n'
                'import run from "../lib/run.js"\n'
                'import gone from "../types/gone.js"\n'
            ),
            "src/types/index.d.ts": "export type CommonCliOptions = {}\n",
            "src/types/shape.d.mts": "export type Shape = {}\n",
            "src/lib/run.ts": "export default function run() {}\n",
        },
    )
    assert edges(graph) == {("src/commands/run.ts", "src/lib/run.ts")}
    assert missing(notes) == ["line 4: `../types/gone.js` is not in the repository (page graph)"]


def test_imports_through_a_link_or_above_the_root_are_not_looked_up_outside_the_tree(tmp_path):
    # whether a file "is there" is asked of the tree only: a link out of it, or a tsconfig path
    # that climbs above the root, says nothing of the repository, so the missing note stays
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.js").write_text("x\n")
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "ext").symlink_to(outside, target_is_directory=True)
    graph, _, notes = build(root, {
        "tsconfig.json": '{ "compilerOptions": { "paths": { "@up/*": ["../*"] } } }',
        "src/app.ts": "import a from './ext/secret';\nimport b from '@up/outside/secret';\n",
    })
    assert sorted(missing(notes)) == ["line 1: `./ext/secret` is not in the repository (page graph)",
                                      "line 2: `@up/outside/secret` is not in the repository (page graph)"]


def test_tsconfig_path_into_node_modules_is_a_package_not_a_missing_file(tmp_path):
    # medusa's admin-vite-plugin: "@babel/types": ["../../../node_modules/@babel/types"]
    graph, _, notes = build(
        tmp_path,
        {
            "tsconfig.json": '{ "compilerOptions": { "paths": { "@babel/types": ["../node_modules/@babel/types"], "@/*": ["./src/*"] } } }',
            "src/babel.ts": "import * as t from '@babel/types';\nimport x from '@/gone';\n",
        },
    )
    assert edges(graph) == set()
    assert missing(notes) == ["line 2: `@/gone` is not in the repository (page graph)"]


def test_tsconfig_paths_base_url_extends_and_references(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "web/package.json": "{}",
            "web/tsconfig.base.json": """{
                // comments and trailing commas are fine
                "compilerOptions": { "baseUrl": ".", "paths": { "@ui/*": ["src/ui/*",], }, },
            }""",
            "web/tsconfig.json": '{ "extends": "./tsconfig.base", "references": [{ "path": "./tsconfig.app.json" }] }',
            "web/tsconfig.app.json": '{ "compilerOptions": { "paths": { "#lib": ["./src/lib/index.ts"] } } }',
            "web/src/main.ts": "import { Button } from '@ui/Button';\nimport lib from '#lib';\nimport util from 'src/util';\n",
            "web/src/ui/Button.tsx": "",
            "web/src/lib/index.ts": "",
            "web/src/util.ts": "",
        },
    )
    assert edges(graph, "import") == {
        ("web/src/main.ts", "web/src/ui/Button.tsx"),
        ("web/src/main.ts", "web/src/lib/index.ts"),
        ("web/src/main.ts", "web/src/util.ts"),  # baseUrl "." makes `src/util` resolvable
    }


def test_jsconfig_paths(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "jsconfig.json": '{ "compilerOptions": { "baseUrl": "src", "paths": { "components/*": ["components/*"] } } }',
            "src/index.js": "import Nav from 'components/Nav';",
            "src/components/Nav.jsx": "",
        },
    )
    assert edges(graph, "import") == {("src/index.js", "src/components/Nav.jsx")}


def test_conventional_aliases_without_config(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "package.json": "{}",
            "src/main.ts": "import a from '@/stores/session';\nimport b from '~/utils/x';\nimport c from '$lib/api';",
            "src/stores/session.ts": "",
            "src/utils/x.ts": "",
            "src/lib/api.ts": "",
        },
    )
    assert edges(graph, "import") == {
        ("src/main.ts", "src/stores/session.ts"),
        ("src/main.ts", "src/utils/x.ts"),
        ("src/main.ts", "src/lib/api.ts"),
    }


def test_nuxt_tilde_alias_resolves_to_project_root(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "package.json": "{}",
            "app.vue": "<script setup>\nimport { useTracking } from '~/composables/tracking'\n</script>\n<template><NuxtPage/></template>",
            "composables/tracking.ts": "",
        },
    )
    assert edges(graph, "import") == {("app.vue", "composables/tracking.ts")}


def test_vite_resolve_alias(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "package.json": "{}",
            "vite.config.ts": (
                "import path from 'node:path';\nexport default defineConfig({ resolve: { alias: {\n"
                "  '@components': path.resolve(__dirname, './src/components'),\n} } });\n"
            ),
            "src/main.ts": "import Nav from '@components/Nav.vue';",
            "src/components/Nav.vue": "<template><nav/></template>",
        },
    )
    assert ("src/main.ts", "src/components/Nav.vue") in edges(graph, "import")


def test_component_script_blocks_only(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "src/App.vue": (
                "<script setup lang=\"ts\">\nimport Header from './Header.vue'\n// import Old from './Old.vue'\n</script>\n"
                "<template><p>To import your records from 'elsewhere', ask us.</p><Header/></template>\n"
            ),
            "src/Header.vue": "<template><h1/></template>",
            "src/Old.vue": "",
            "src/Page.svelte": "<script context=\"module\">\n  import { track } from './track.js';\n</script>\n<h1>Hi</h1>",
            "src/track.js": "",
            "src/pages/index.astro": "---\nimport Base from '../layouts/Base.astro';\n---\n<Base><script>import '../scripts/ga.ts';</script></Base>",
            "src/layouts/Base.astro": "<html><slot/></html>",
            "src/scripts/ga.ts": "",
            "index.html": '<script type="module">import "./src/boot.ts";</script><script>import("./src/classic.ts")</script>',
            "src/boot.ts": "",
            "src/classic.ts": "",
        },
    )
    assert edges(graph, "import") == {
        ("src/App.vue", "src/Header.vue"),
        ("src/Page.svelte", "src/track.js"),
        ("src/pages/index.astro", "src/scripts/ga.ts"),
        ("index.html", "src/boot.ts"),
    }
    assert edges(graph, "layout") == {("src/pages/index.astro", "src/layouts/Base.astro")}


def test_angular_template_url(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "src/app/portal/portal.component.ts": (
                "@Component({ selector: 'app-portal', templateUrl: './portal.component.html' })\n"
                "export class PortalComponent {}\n"
            ),
            "src/app/portal/portal.component.html": "<h1>Portal</h1>",
        },
    )
    assert edges(graph, "component") == {("src/app/portal/portal.component.ts", "src/app/portal/portal.component.html")}


def test_odd_input_never_crashes(tmp_path):
    deep = "import a from './a';\n" + "[" * 20000 + "]" * 20000 + "\n" + "const x = `" + "${" * 500
    graph, _, notes = build(
        tmp_path,
        {
            "src/deep.ts": deep,
            "src/a.ts": "",
            "src/broken.tsx": "import { from '\nexport {\n<<<>>> import(",
            "src/routes.tsx": "<Route path=" * 3000 + "\nconst routes = [" * 500,
            "tsconfig.json": "{ not json",
        },
    )
    assert ("src/deep.ts", "src/a.ts") in edges(graph)
    assert not [n for n in notes if "internal error" in n.message]


def test_module_references_reports_how_and_offsets():
    code = "import a from 'x';\nconst b = require(\"y\");\nexport * from 'z';\nimport('w');"
    assert [(s, how) for s, _, how in jsmodules.module_references(code)] == [
        ("x", "import"),
        ("y", "require"),
        ("z", "export"),
        ("w", "dynamic"),
    ]


def test_regex_literal_with_comment_opener_does_not_hide_later_imports(tmp_path):
    """`/\\/*$/` is a regex literal, not a `/*` comment: the dynamic import after it is an edge,
    so the tracker module reaches the authenticated page (a keyword scan dropped it)."""
    write_tree(
        tmp_path,
        {
            "package.json": "{}",
            "src/portal.js": (
                "// phi-lint: authenticated\n"
                "import { trim } from './util';\n"
                "export const page = trim('/records/');\n"
            ),
            "src/util.js": (
                "export function trim(s) {\n"
                "  return s.replace(/\\/*$/, \"\");\n"
                "}\n"
                "export const load = () => import('./tracker');\n"
                "const legacy = require('./legacy');\n"
            ),
            "src/tracker.js": "fbq('init', '123456789012345');\nfbq('track', 'PageView');\n",
            "src/legacy.js": "export default 1;\n",
        },
    )
    result = scan_tree(tmp_path)
    assert ("src/util.js", "src/tracker.js") in edges(result.graph, "import")
    assert ("src/util.js", "src/legacy.js") in edges(result.graph, "import")
    assert "PHI001 src/tracker.js:1 meta-pixel" in finding_lines(result, tmp_path)


def test_module_references_from_a_tree_match_the_keyword_scan():
    from phi_lint.lang.javascript import Script

    code = (
        "import type { T } from './types';\nimport type from './named-type';\nimport a, { b } from './a';\n"
        "import './side';\nexport * from './all';\nexport type { U } from './u';\nexport { c } from './c';\n"
        "const d = require('./d');\nconst e = import(`./e`);\nimport f = require('./f');\n"
        "// import('./commented');\nconst s = \"require('./in-string')\";\nx.require('./method');\n"
        "const t = import(`./t/${name}`);\n@Component({ templateUrl: './c.html' }) class K {}\n"
    )
    scanned = jsmodules.module_references(code)
    script = Script(code, "ts")
    read = jsmodules.tree_references(script)
    assert read == scanned
    assert [spec for spec, _, _ in read] == [
        "./named-type", "./a", "./side", "./all", "./c", "./d", "./e", "./f", "./c.html",
    ]
    assert jsmodules.module_references(code, script=script) == read  # the tree, once it exists


def test_blank_comments_keeps_strings_and_lines():
    code = "a = '//not a comment'; // gone\n/* gone\n too */ b"
    blanked = jsmodules.blank_comments(code)
    assert "'//not a comment'" in blanked and "gone" not in blanked
    assert blanked.count("\n") == code.count("\n") and len(blanked) == len(code)


# --------------------------------------------------------------------------- Next.js


def test_next_app_router_layouts_route_groups_and_templates(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "package.json": "{}",
            "app/layout.tsx": "export default function Root({ children }) { return children }",
            "app/page.tsx": "export default function Home() { return null }",
            "app/(portal)/layout.tsx": "",
            "app/(portal)/template.tsx": "",
            "app/(portal)/records/[id]/page.tsx": "",
            "app/(portal)/records/loading.tsx": "",
            "app/api/route.ts": "export async function GET() {}",
            "src/app/layout.tsx": "",
            "src/app/about/page.jsx": "",
            "components/page.tsx": "",  # not under app/: not a route
        },
    )
    assert edges(graph, "layout") == {
        ("app/page.tsx", "app/layout.tsx"),
        ("app/(portal)/records/[id]/page.tsx", "app/(portal)/layout.tsx"),
        ("app/(portal)/records/[id]/page.tsx", "app/(portal)/template.tsx"),
        ("app/(portal)/records/[id]/page.tsx", "app/layout.tsx"),
        ("app/(portal)/records/loading.tsx", "app/(portal)/layout.tsx"),
        ("app/(portal)/records/loading.tsx", "app/(portal)/template.tsx"),
        ("app/(portal)/records/loading.tsx", "app/layout.tsx"),
        ("src/app/about/page.jsx", "src/app/layout.tsx"),
    }


def test_next_pages_router_app_and_document_not_api(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "pages/_app.tsx": "export default function App({ Component, pageProps }) {}",
            "pages/_document.tsx": "",
            "pages/index.tsx": "",
            "pages/account/[id].tsx": "",
            "pages/api/me.ts": "export default function handler() {}",
            "other/pages/x.tsx": "",  # a pages/ folder without _app or _document
        },
    )
    assert edges(graph, "layout") == {
        ("pages/index.tsx", "pages/_app.tsx"),
        ("pages/index.tsx", "pages/_document.tsx"),
        ("pages/account/[id].tsx", "pages/_app.tsx"),
        ("pages/account/[id].tsx", "pages/_document.tsx"),
    }


def test_tracker_in_next_root_layout_reaches_pages_through_layouts(tmp_path):
    write_tree(
        tmp_path,
        {
            "package.json": "{}",
            "tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
            "app/layout.tsx": "import { Analytics } from '@/components/Analytics';\nexport default function R({ children }) { return <html><body>{children}<Analytics/></body></html> }\n",
            "components/Analytics.tsx": (
                "import Script from 'next/script';\nexport function Analytics() {\n"
                "  return <Script src=\"https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345\" />;\n}\n"
            ),
            "app/(portal)/records/page.tsx": "// phi-lint: authenticated\nexport default function Records() { return null }\n",
            "app/page.tsx": "export default function Home() { return null }\n",
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 components/Analytics.tsx:3 google-analytics"]
    page = result.findings[0].pages[0] if hasattr(result.findings[0], "pages") else None
    reached = {r.page for r in result.graph.pages_reaching("components/Analytics.tsx")}
    assert {"app/layout.tsx", "app/page.tsx", "app/(portal)/records/page.tsx"} <= reached
    del page


# --------------------------------------------------------------------------- Nuxt


def test_nuxt_pages_layouts_app_vue_parent_pages_and_plugins(tmp_path):
    graph, _, notes = build(
        tmp_path,
        {
            "nuxt.config.ts": "export default defineNuxtConfig({})",
            "app.vue": "<template><NuxtLayout><NuxtPage/></NuxtLayout></template>",
            "layouts/default.vue": "<template><slot/></template>",
            "layouts/portal.vue": "<template><slot/></template>",
            "plugins/analytics.client.ts": "export default defineNuxtPlugin(() => {})",
            "pages/index.vue": "<template><h1>Home</h1></template>",
            "pages/portal.vue": (
                "<script setup>\ndefinePageMeta({ layout: 'portal', middleware: 'auth' })\n</script>\n<template><NuxtPage/></template>"
            ),
            "pages/portal/records.vue": "<script setup>\n// definePageMeta({ layout: 'default' })\ndefinePageMeta({ layout: 'portal' })\n</script>",
            "pages/embed.vue": "<script setup>\ndefinePageMeta({ layout: false })\n</script>",
            "pages/broken.vue": "<script setup>\ndefinePageMeta({ layout: 'missing' })\n</script>",
        },
    )
    got = {(s, t, k) for s, t, k in ((e.source, e.target, e.kind) for e in graph.edges)}
    assert ("pages/index.vue", "layouts/default.vue", "layout") in got
    assert ("pages/index.vue", "app.vue", "layout") in got
    assert ("pages/portal.vue", "layouts/portal.vue", "layout") in got
    assert ("pages/portal/records.vue", "layouts/portal.vue", "layout") in got
    assert ("pages/portal/records.vue", "pages/portal.vue", "layout") in got
    assert ("pages/portal/records.vue", "layouts/default.vue", "layout") not in got
    assert not any(s == "pages/embed.vue" and t.startswith("layouts/") for s, t, _ in got)
    assert ("pages/index.vue", "plugins/analytics.client.ts", "entry") in got
    assert ("pages/index.vue", "nuxt.config.ts", "entry") in got
    assert any("layouts/missing.vue" in m for m in missing(notes))


def test_vue_pages_folder_without_nuxt_gets_no_nuxt_edges(tmp_path):
    graph, _, _ = build(tmp_path, {"src/pages/Home.vue": "<template/>", "src/App.vue": "<template/>"})
    assert edges(graph) == set()


# --------------------------------------------------------------------------- SvelteKit and Remix


def test_sveltekit_layout_chain_reset_and_app_html(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "src/app.html": "<html><head>%sveltekit.head%</head><body>%sveltekit.body%</body></html>",
            "src/routes/+layout.svelte": "<slot/>",
            "src/routes/+page.svelte": "<h1>Home</h1>",
            "src/routes/(portal)/+layout.svelte": "<slot/>",
            "src/routes/(portal)/records/+page.svelte": "",
            "src/routes/(portal)/print/+page@.svelte": "",
        },
    )
    assert edges(graph, "layout") == {
        ("src/routes/+page.svelte", "src/routes/+layout.svelte"),
        ("src/routes/+page.svelte", "src/app.html"),
        ("src/routes/(portal)/records/+page.svelte", "src/routes/(portal)/+layout.svelte"),
        ("src/routes/(portal)/records/+page.svelte", "src/routes/+layout.svelte"),
        ("src/routes/(portal)/records/+page.svelte", "src/app.html"),
        ("src/routes/(portal)/print/+page@.svelte", "src/routes/+layout.svelte"),
        ("src/routes/(portal)/print/+page@.svelte", "src/app.html"),
    }


def test_remix_routes_root_and_flat_route_parents(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "app/root.tsx": "export default function App() {}",
            "app/routes/_index.tsx": "",
            "app/routes/portal.tsx": "",
            "app/routes/portal.records.tsx": "",
            "app/routes/portal_.print.tsx": "",
            "app/routes/settings/route.tsx": "",
            "app/lib/session.server.ts": "",
        },
    )
    assert edges(graph, "layout") == {
        ("app/routes/_index.tsx", "app/root.tsx"),
        ("app/routes/portal.tsx", "app/root.tsx"),
        ("app/routes/portal.records.tsx", "app/root.tsx"),
        ("app/routes/portal.records.tsx", "app/routes/portal.tsx"),
        ("app/routes/portal_.print.tsx", "app/root.tsx"),
        ("app/routes/settings/route.tsx", "app/root.tsx"),
    }


def test_react_router_framework_routes_config(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "app/root.tsx": "",
            "app/routes.ts": (
                'import { type RouteConfig, index, layout, route } from "@react-router/dev/routes";\n'
                "export default [\n"
                '  index("home/home.tsx"),\n'
                '  layout("portal/layout.tsx", [route("records", "portal/records.tsx")]),\n'
                "] satisfies RouteConfig;\n"
            ),
            "app/home/home.tsx": "",
            "app/portal/layout.tsx": "",
            "app/portal/records.tsx": "",
        },
    )
    assert edges(graph, "layout") >= {
        ("app/home/home.tsx", "app/root.tsx"),
        ("app/portal/layout.tsx", "app/root.tsx"),
        ("app/portal/records.tsx", "app/root.tsx"),
        ("app/portal/records.tsx", "app/portal/layout.tsx"),
    }


# --------------------------------------------------------------------------- SPA entries

VUE_APP = {
    "package.json": "{}",
    "index.html": '<div id="app"></div>\n<!-- <script type="module" src="/src/old.ts"></script> -->\n<script type="module" src="/src/main.ts"></script>',
    "src/old.ts": "",
    "src/main.ts": "import { createApp } from 'vue';\nimport App from './App.vue';\nimport router from './router';\ncreateApp(App).use(router).mount('#app');\n",
    "src/App.vue": "<template><RouterView/></template>",
    "src/router/index.ts": (
        "import { createRouter, createWebHistory } from 'vue-router';\n"
        "import HomeView from '@/views/HomeView.vue';\n"
        "import PortalLayout from '@/views/PortalLayout.vue';\n"
        "import { useSession } from '@/stores/session';\n"
        "export default createRouter({\n"
        "  history: createWebHistory(),\n"
        "  routes: [\n"
        "    { path: '/', component: HomeView },\n"
        "    { path: '/portal', component: PortalLayout, children: [\n"
        "      { path: 'records', component: () => import('@/views/Records.vue') },\n"
        "    ] },\n"
        "  ],\n"
        "});\n"
    ),
    "src/stores/session.ts": "export const useSession = () => ({});",
    "src/views/HomeView.vue": "<template><h1>Home</h1></template>",
    "src/views/PortalLayout.vue": "<template><RouterView/></template>",
    "src/views/Records.vue": "<template><h1>Records</h1></template>",
}


def test_vue_router_components_link_to_entry_and_parents(tmp_path):
    graph, _, _ = build(tmp_path, VUE_APP)
    assert edges(graph, "script-src") == {("index.html", "src/main.ts")}
    assert edges(graph, "entry") == {
        ("src/views/HomeView.vue", "src/main.ts"),
        ("src/views/HomeView.vue", "index.html"),
        ("src/views/PortalLayout.vue", "src/main.ts"),
        ("src/views/PortalLayout.vue", "index.html"),
    }
    assert edges(graph, "layout") == {("src/views/Records.vue", "src/views/PortalLayout.vue")}
    # the router renders route components one route at a time: no import edges to them
    assert edges(graph, "import") == {
        ("src/main.ts", "src/App.vue"),
        ("src/main.ts", "src/router/index.ts"),
        ("src/router/index.ts", "src/stores/session.ts"),
    }
    reached = {r.page for r in graph.pages_reaching("src/main.ts")}
    assert {"index.html", "src/views/HomeView.vue", "src/views/PortalLayout.vue", "src/views/Records.vue"} <= reached
    assert {r.page for r in graph.pages_reaching("src/views/HomeView.vue")} == {"src/views/HomeView.vue"}


REACT_APP = {
    "package.json": "{}",
    "index.html": '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
    "src/main.tsx": "import React from 'react';\nimport ReactDOM from 'react-dom/client';\nimport App from './App';\nReactDOM.createRoot(document.getElementById('root')!).render(<App />);\n",
    "src/App.tsx": (
        "import { lazy } from 'react';\n"
        "import { Routes, Route } from 'react-router-dom';\n"
        "import Header from './components/Header';\n"
        "import Home from './pages/Home';\n"
        "import RequireAuth from './auth/RequireAuth';\n"
        "import { ProtectedRoute } from './auth/ProtectedRoute';\n"
        "const Dashboard = lazy(() => import('./pages/Dashboard'));\n"
        "const Records = lazy(() => import('./pages/Records'));\n"
        "export default function App() {\n"
        "  return (\n"
        "    <>\n"
        "      <Header />\n"
        "      <Routes>\n"
        "        <Route path=\"/\" element={<Home />} />\n"
        "        <Route path=\"/dashboard\" element={<RequireAuth><Dashboard /></RequireAuth>} />\n"
        "        <Route element={<ProtectedRoute />}>\n"
        "          <Route path=\"/records\" element={<Records />} />\n"
        "        </Route>\n"
        "      </Routes>\n"
        "    </>\n"
        "  );\n"
        "}\n"
    ),
    "src/components/Header.tsx": "export default function Header() { return null }",
    "src/pages/Home.tsx": "export default function Home() { return null }",
    "src/pages/Dashboard.tsx": "export default function Dashboard() { return null }",
    "src/pages/Records.tsx": "export default function Records() { return null }",
    "src/auth/RequireAuth.tsx": "export default function RequireAuth({ children }) { return children }",
    "src/auth/ProtectedRoute.tsx": "export function ProtectedRoute() { return null }",
}


def test_react_router_components_link_to_entry_and_layout_routes(tmp_path):
    graph, _, _ = build(tmp_path, REACT_APP)
    assert edges(graph, "import") == {("src/main.tsx", "src/App.tsx"), ("src/App.tsx", "src/components/Header.tsx")}
    entry = edges(graph, "entry")
    for page in ("src/pages/Home.tsx", "src/pages/Dashboard.tsx", "src/auth/RequireAuth.tsx", "src/auth/ProtectedRoute.tsx"):
        assert (page, "src/main.tsx") in entry and (page, "index.html") in entry
    assert ("src/pages/Records.tsx", "src/main.tsx") not in entry
    assert edges(graph, "layout") == {("src/pages/Records.tsx", "src/auth/ProtectedRoute.tsx")}
    assert "src/pages/Records.tsx" in {r.page for r in graph.pages_reaching("src/App.tsx")}


def test_router_import_also_used_outside_routes_keeps_its_edge(tmp_path):
    files = dict(REACT_APP)
    files["src/App.tsx"] = files["src/App.tsx"].replace("<Header />", "<Header /><Home />")
    graph, _, _ = build(tmp_path, files)
    assert ("src/App.tsx", "src/pages/Home.tsx") in edges(graph, "import")


def test_object_routes_angular_and_conventional_entry(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "package.json": "{}",
            "src/index.html": "<app-root></app-root>",
            "src/main.ts": "import { bootstrapApplication } from '@angular/platform-browser';\nimport { appConfig } from './app/app.config';\n",
            "src/app/app.config.ts": "import { routes } from './app.routes';\nexport const appConfig = { providers: [provideRouter(routes)] };\n",
            "src/app/app.routes.ts": (
                "import { Routes } from '@angular/router';\n"
                "import { HomeComponent } from './home/home.component';\n"
                "export const routes: Routes = [\n"
                "  { path: '', component: HomeComponent },\n"
                "  { path: 'portal', loadComponent: () => import('./portal/portal.component').then(m => m.PortalComponent) },\n"
                "];\n"
            ),
            "src/app/home/home.component.ts": "export class HomeComponent {}",
            "src/app/portal/portal.component.ts": "export class PortalComponent {}",
        },
    )
    assert edges(graph, "entry") == {
        ("src/app/home/home.component.ts", "src/main.ts"),
        ("src/app/home/home.component.ts", "src/index.html"),
        ("src/app/portal/portal.component.ts", "src/main.ts"),
        ("src/app/portal/portal.component.ts", "src/index.html"),
    }


def test_routes_without_an_app_entry_get_no_entry_edges(tmp_path):
    graph, _, _ = build(
        tmp_path,
        {
            "lib/menu.ts": "import Icon from './Icon';\nexport const menu = [{ path: '/x', component: Icon }];\n",
            "lib/Icon.tsx": "",
        },
    )
    assert edges(graph, "entry") == set()


def test_route_analysis_reports_route_only_specifiers():
    analysis = jsrouter.analyze_routes(VUE_APP["src/router/index.ts"], "ts")
    assert analysis.route_only == frozenset({"@/views/HomeView.vue", "@/views/PortalLayout.vue", "@/views/Records.vue"})
    assert [r.path for r in analysis.routes] == ["/", "/portal", "records"]
    assert analysis.routes[2].parent == 1


def test_component_wrapped_by_an_auth_hoc_in_routes_only_has_no_import_edge(tmp_path):
    files = dict(REACT_APP)
    files["src/App.tsx"] = (
        "import { Routes, Route } from 'react-router-dom';\nimport { withAuthenticationRequired } from '@auth0/auth0-react';\n"
        "import Billing from './pages/Billing';\nconst ProtectedBilling = withAuthenticationRequired(Billing);\n"
        "export default function App() { return <Routes><Route path=\"/billing\" element={<ProtectedBilling />} /></Routes>; }\n"
    )
    files["src/pages/Billing.tsx"] = "export default function Billing() { return null }"
    graph, _, _ = build(tmp_path, files)
    assert ("src/App.tsx", "src/pages/Billing.tsx") not in edges(graph)
    assert ("src/pages/Billing.tsx", "src/main.tsx") in edges(graph, "entry")
