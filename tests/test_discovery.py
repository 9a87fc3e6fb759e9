"""File discovery: kinds, .gitignore, default and config excludes, explicit files."""

from __future__ import annotations

from helpers import finding_lines, scan_tree, write_tree

from phi_lint.discovery import classify

PIXEL = "<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n"
JS_PIXEL = "// phi-lint: authenticated\nfbq('init', '123456789012345');\n"


def test_classify():
    assert classify("index.html") == "markup"
    assert classify("show.html.erb") == "markup"
    assert classify("app.blade.php") == "markup"
    assert classify("Page.vue") == "markup"
    assert classify("page.tsx") == "script"
    assert classify("types.d.ts") is None
    assert classify("package.json") == "manifest"
    assert classify("data.json") == "json"
    assert classify("GTM-ABC123_workspace.json.js") == "json"
    assert classify("README.md") == "markdown"  # a page only in a static site: dropped by discover otherwise
    assert classify("styles.css") is None
    assert classify("views.py") == "code"  # read by the page graph and context inference
    assert classify("PortalController.java") == "code"
    assert classify("PortalController.cs") == "code"  # ASP.NET controllers and PageModels
    assert classify("Index.cshtml.cs") == "code"
    assert classify("Web.config") == "server-config"  # ASP.NET <authorization> rules
    assert classify("Site.Master") == "markup"  # Web Forms
    assert classify("Portal.cshtml") == "markup"  # Razor views are templates


def test_default_excludes_below_the_scanned_root(tmp_path):
    write_tree(
        tmp_path,
        {
            "node_modules/x/a.html": PIXEL,
            "dist/a.js": JS_PIXEL,
            "tests/a.html": PIXEL,
            "static/app.min.js": JS_PIXEL,
            "src/app.test.js": JS_PIXEL,
            "fixtures/a.html": PIXEL,
            "src/portal.html": PIXEL,
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 src/portal.html:2 meta-pixel"]
    assert result.files_excluded == 6
    everything = scan_tree(tmp_path, default_excludes=False)
    assert len(finding_lines(everything, tmp_path)) == 7


def test_yarn_releases_plugins_and_pnp_loaders_are_default_excludes(tmp_path):
    yarn_files = {
        ".yarn/releases/yarn-4.1.0.cjs": JS_PIXEL,
        ".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs": JS_PIXEL,
        ".pnp.cjs": JS_PIXEL,
        "packages/admin/.pnp.loader.mjs": JS_PIXEL,
    }
    write_tree(tmp_path, {**yarn_files, "src/portal.html": PIXEL})
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 src/portal.html:2 meta-pixel"]
    assert result.files_excluded == 3  # the .yarn/ folder (one entry) and the two loaders
    assert len(finding_lines(scan_tree(tmp_path, default_excludes=False), tmp_path)) == 1 + len(yarn_files)


def test_default_excludes_match_in_any_case(tmp_path):
    # lh-ehr keeps its PHPUnit tests in Tests/; a user's exclude stays case-sensitive (gitignore)
    write_tree(tmp_path, {"Tests/a.html": PIXEL, "Vendor/x/a.html": PIXEL, "web/Fixtures/a.html": PIXEL,
                          "static/App.Min.js": JS_PIXEL, "src/portal.html": PIXEL})
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 src/portal.html:2 meta-pixel"]
    assert result.files_excluded == 4
    write_tree(tmp_path, {"phi-lint.toml": 'exclude = ["tests/"]\n'})
    assert "PHI001 Tests/a.html:2 meta-pixel" in finding_lines(scan_tree(tmp_path), tmp_path)


def test_force_exclude_of_a_named_file_in_any_case(tmp_path):
    from phi_lint.scan import ScanOptions, scan

    write_tree(tmp_path, {"Tests/a.html": PIXEL, "web/b.html": PIXEL})
    named = [tmp_path / "Tests" / "a.html", tmp_path / "web" / "b.html"]
    assert finding_lines(scan(ScanOptions(paths=named, force_exclude=True)), tmp_path) == ["PHI001 web/b.html:2 meta-pixel"]


def test_scanning_inside_an_excluded_name_works_when_it_is_the_root(tmp_path):
    write_tree(tmp_path, {"fixtures/site/portal.html": PIXEL})
    result = scan_tree(tmp_path / "fixtures" / "site")
    assert finding_lines(result, tmp_path / "fixtures" / "site") == ["PHI001 portal.html:2 meta-pixel"]


def test_gitignore_nested(tmp_path):
    write_tree(
        tmp_path,
        {
            ".gitignore": "generated/\n*.tmp.html\n",
            "generated/a.html": PIXEL,
            "b.tmp.html": PIXEL,
            "web/.gitignore": "local.html\n",
            "web/local.html": PIXEL,
            "web/kept.html": PIXEL,
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI001 web/kept.html:2 meta-pixel"]


def test_config_exclude_and_extend_exclude(tmp_path):
    write_tree(
        tmp_path,
        {
            "phi-lint.toml": 'extend-exclude = ["legacy/", "*.old.html"]\n',
            "legacy/a.html": PIXEL,
            "b.old.html": PIXEL,
            "tests/c.html": PIXEL,
            "d.html": PIXEL,
        },
    )
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI001 d.html:2 meta-pixel"]
    write_tree(tmp_path, {"phi-lint.toml": 'exclude = ["legacy/"]\n'})  # replaces the defaults
    assert finding_lines(scan_tree(tmp_path), tmp_path) == [
        "PHI001 b.old.html:2 meta-pixel",
        "PHI001 d.html:2 meta-pixel",
        "PHI001 tests/c.html:2 meta-pixel",
    ]


def test_explicit_file_is_scanned_but_config_excludes_still_apply(tmp_path):
    from phi_lint.scan import ScanOptions, scan

    write_tree(tmp_path, {"phi-lint.toml": 'extend-exclude = ["legacy/"]\n', "legacy/a.html": PIXEL, "b.html": PIXEL})
    result = scan(ScanOptions(paths=[tmp_path / "legacy" / "a.html", tmp_path / "b.html"]))
    assert finding_lines(result, tmp_path) == ["PHI001 b.html:2 meta-pixel"]


def test_nearest_config_wins_and_pyproject_section(tmp_path):
    (tmp_path / ".git").mkdir()  # configuration is looked for up to the repository root
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.phi-lint]\n[tool.phi-lint.pages]\nauthenticated = ["**"]\n',
            "app/a.html": "<script>fbq('init', '123456789012345');</script>\n",
            "site/phi-lint.toml": "[pages]\nhealth = ['**']\n",
            "site/b.html": "<script>fbq('init', '123456789012345');</script>\n",
        },
    )
    assert finding_lines(scan_tree(tmp_path / "app"), tmp_path / "app") == ["PHI001 a.html:1 meta-pixel"]
    assert finding_lines(scan_tree(tmp_path / "site"), tmp_path / "site") == ["PHI002 b.html:1 meta-pixel"]


def test_pyproject_without_section_is_not_a_config(tmp_path):
    from phi_lint.config import find_config

    write_tree(tmp_path, {"pyproject.toml": "[project]\nname='x'\n", "a.html": ""})
    assert find_config(tmp_path) is None or find_config(tmp_path).parent != tmp_path


def test_user_vendor_dirs_add_vendors(tmp_path):
    write_tree(
        tmp_path,
        {
            "phi-lint.toml": 'vendor-dirs = ["tools/vendors"]\n[pages]\nauthenticated = ["portal/**"]\n',
            "tools/vendors/acme-beacon.toml": (
                'id = "acme-beacon"\nname = "Acme Beacon"\ncategory = "analytics"\n'
                'keywords = ["beacon.acme-analytics.example"]\n'
                "[[urls]]\npattern = 'beacon\\.acme-analytics\\.example/v1/b\\.js'\n"
            ),
            "portal/home.html": '<script src="https://beacon.acme-analytics.example/v1/b.js"></script>\n',
        },
    )
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI001 portal/home.html:1 acme-beacon"]


def test_bad_user_vendor_file_is_a_clear_error(tmp_path):
    import pytest

    from phi_lint.errors import UserError

    write_tree(
        tmp_path,
        {
            "phi-lint.toml": 'vendor-dirs = ["v"]\n',
            "v/x.toml": 'id = "x"\nname = "X"\ncategory = "spyware"\nkeywords = ["xyz"]\n[[urls]]\npattern = "a/b"\n',
            "a.html": "",
        },
    )
    with pytest.raises(UserError, match=r"x\.toml: `category`"):
        scan_tree(tmp_path)


def test_force_exclude_applies_default_excludes_to_named_files(tmp_path):
    from phi_lint.scan import ScanOptions, scan

    write_tree(tmp_path, {"tests/a.html": PIXEL, "web/b.html": PIXEL})
    named = [tmp_path / "tests" / "a.html", tmp_path / "web" / "b.html"]
    assert finding_lines(scan(ScanOptions(paths=named)), tmp_path) == [
        "PHI001 tests/a.html:2 meta-pixel",
        "PHI001 web/b.html:2 meta-pixel",
    ]
    forced = scan(ScanOptions(paths=named, force_exclude=True))
    assert finding_lines(forced, tmp_path) == ["PHI001 web/b.html:2 meta-pixel"]


# the walk matches simple gitignore patterns by entry name (ignorespec.NameSpec); pathspec's
# GitIgnoreSpec is the reference for what a pattern means
_PATHS = [
    "index.html", "node_modules/x/y.js", "web/node_modules/a.js", "build/app.js", "src/build/app.js",
    "a/build", "public/build/app.js", "web/public/build/app.js", "storage/framework/views/x.php",
    "app.min.js", "web/app.min.js", "web/app.min.js/inner.js", "x.map", "a/b/c.test.tsx", "a.d.ts",
    "tests/x.html", "web/tests/x.html", "testsx/y.html", "fixtures/a/b.html", "spec.html",
    "logs/app.log", "app.log", "docs/readme.md", "Build/app.js", "vendor.js", "vendors/v.js",
    "debug/x.html", "tmp/a.html", "cache/x", ".env", "web/.env", "a.stories.ts", "x.spec.js",
]
_PATTERN_SETS = [
    None,  # the default excludes
    ["*.log", "/build", "tmp/", ".env"],
    ["docs", "debug/", "/web/tests/", "cache"],
    ["*.html"],
    ["a/b"],
    ["?.map", "x*"],
]


def _walk_semantics(spec, path: str) -> bool:
    """Whether a walk that tests every entry on the way down excludes `path`."""
    parts = path.split("/")
    return any(
        spec.match("/".join(parts[: i + 1]), parts[i], i < len(parts) - 1) for i in range(len(parts))
    )


def test_name_matcher_agrees_with_pathspec():
    import pathspec

    from phi_lint.config import DEFAULT_EXCLUDES
    from phi_lint.ignorespec import NameSpec as _NameSpec
    from phi_lint.ignorespec import spec as _spec

    for patterns in _PATTERN_SETS:
        lines = list(DEFAULT_EXCLUDES) if patterns is None else patterns
        ours = _spec(lines)
        assert isinstance(ours, _NameSpec), lines
        reference = pathspec.GitIgnoreSpec.from_lines(lines)
        for path in _PATHS:
            assert _walk_semantics(ours, path) == reference.match_file(path), (lines, path)
            assert ours.match_file(path) == reference.match_file(path), (lines, path)


def test_patterns_the_name_matcher_cannot_take_go_to_pathspec():
    from phi_lint.ignorespec import NameSpec as _NameSpec
    from phi_lint.ignorespec import spec as _spec

    for lines in (["!keep.html"], ["docs/**/x"], ["[abc].html"], ["web/*.html"], ["a\\ b"]):
        assert not isinstance(_spec(lines), _NameSpec)
        assert _spec(lines).match_file("web/x.html") in (True, False)


def test_odd_gitignore_lines_keep_their_pathspec_meaning():
    from phi_lint.ignorespec import NameSpec as _NameSpec
    from phi_lint.ignorespec import spec as _spec

    for lines in (["a//"], ["//a"], [" #foo"], ["build "], ["x\t"]):
        assert not isinstance(_spec(lines), _NameSpec), lines
    assert _spec([" #foo"]).match_file(" #foo")  # a pattern, not a comment: only "#" first is
    assert not _spec(["#foo"]).match_file("#foo")


def test_a_markdown_file_named_outside_a_site_is_skipped_with_a_note(tmp_path):
    """A README given by name is not a page (no static site holds it): the run says so rather
    than dropping it silently; a walked README is dropped without a note (it is not a page)."""
    from phi_lint.config import Config
    from phi_lint.discovery import discover

    write_tree(tmp_path, {"README.md": "# Clinic\n", "index.html": "<h1>Hi</h1>\n"})
    named = discover([tmp_path / "README.md"], Config(root=tmp_path), tmp_path)
    assert [f.rel for f in named.files] == []
    assert [(n.path, n.level) for n in named.notifications] == [("README.md", "note")]
    assert "Markdown" in named.notifications[0].message
    walked = discover([tmp_path], Config(root=tmp_path), tmp_path)
    assert [f.rel for f in walked.files] == ["index.html"] and walked.notifications == []


def test_a_user_vendor_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    import pytest

    from phi_lint.errors import UserError

    write_tree(tmp_path, {"phi-lint.toml": 'vendor-dirs = ["v"]\n', "a.html": ""})
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "x.toml").write_bytes(b'\xff\xfeid = "x"\n')
    with pytest.raises(UserError, match=r"x\.toml: invalid TOML: line 1 is not UTF-8"):
        scan_tree(tmp_path)
