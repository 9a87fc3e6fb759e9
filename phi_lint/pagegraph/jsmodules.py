"""JavaScript / TypeScript module edges: what a module imports, resolved the way bundlers do.

Edges (kind "import", source → imported module): static imports, re-exports (`export … from`),
dynamic `import('…')` and `require('…')` in script files and in the `<script>` blocks of Vue,
Svelte and Astro components (Astro front matter included) and inline `<script type="module">` in
HTML. Angular `templateUrl: './x.component.html'` gives a "component" edge to the template; an
Astro page's import of a component under `layouts/` is a "layout" edge.

Resolution: relative paths with extension probing (.ts .tsx .js .jsx .mjs .cjs .mts .cts .vue
.svelte .astro, then `/index.*`; `./x.js` also finds `x.ts`, the TypeScript ESM convention),
tsconfig/jsconfig `compilerOptions.paths` and `baseUrl` (the nearest config up the tree,
following relative `extends`, with its sibling `tsconfig.*.json` files), simple Vite
`resolve.alias` entries, and the `@/`, `~/`, `~~/`, `@@/`, `$lib/` conventions of Vite, Nuxt and
SvelteKit when no config says otherwise. Bare package imports are not edges; an unresolved
relative or alias import is a verbose note; stylesheets, images and data files are ignored.

References are read from the code's tree-sitter tree (phi_lint.lang) whenever the file has
been parsed already. Otherwise a cheap scan looks for the keywords and skips comments, strings and
template literals; its answer stands only where the code before the last reference has no `/`
outside those tokens. A `/` there may open a regex literal (`s.replace(/\\/*$/, "")` would read as
a comment opener and hide every later `import()`) or a JSX tag, so such code is parsed and read
from its tree instead. The edges themselves are made by phi_lint.pagegraph.jsimports; route
components that a router file only mentions as routes are left to phi_lint.frameworks.spa_router.
"""

from __future__ import annotations

import json
import posixpath
import re
from bisect import bisect_right

from phi_lint import literalgates
from phi_lint.frontmatter import front_matter_span
from phi_lint.jsonvalues import member
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.template_comments import blank_html_comments
from phi_lint.repopaths import ancestors
from phi_lint.textmemo import per_text

PROBE_EXTS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte", ".astro")
SCRIPT_EXTS = frozenset(PROBE_EXTS)
_MARKUP_TARGET_EXTS = frozenset({".html", ".htm"})
_TS_FOR_JS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
_DECLARATIONS_FOR_JS = {".js": (".d.ts",), ".mjs": (".d.mts",), ".cjs": (".d.cts",)}
# asset and data imports: never an edge, never a note
_ASSET_EXTS = frozenset(
    """.css .scss .sass .less .styl .stylus .pcss .postcss .svg .png .jpg .jpeg .gif .webp .avif .ico .bmp
    .tif .tiff .woff .woff2 .ttf .otf .eot .json .json5 .jsonc .yaml .yml .toml .md .mdx .txt .csv .xml
    .wasm .glsl .vert .frag .graphql .gql .mp3 .mp4 .wav .ogg .webm .mov .pdf .webmanifest .node .d""".split()
)
_COMPONENT_FILES = (".vue", ".svelte", ".astro")
_CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
_VITE_CONFIGS = ("vite.config.ts", "vite.config.js", "vite.config.mjs", "vite.config.mts", "vite.config.cjs")
_CONVENTION_ALIASES = ("@/", "~/", "~~/", "@@/")
_MAX_EXTENDS = 5

# Module references are found by a fast literal search for the keywords, checked with an
# anchored pattern, and kept only when they do not sit inside a comment, string or template
# literal (one scan of those tokens, up to the last candidate). Strings do not span lines, so a
# stray quote (JSX text, a regex literal) costs at most the rest of its line.
_AT_SOURCES = {
    "import": (
        r"""import(?:(?=[\s{*])(?P<clause>[^'"`;()]{0,1000}?)(?<![\w$])from\s*(?P<q1>['"])(?P<s1>[^'"\n]*)(?P=q1)"""
        r"""|\s*(?P<q2>['"])(?P<s2>[^'"\n]*)(?P=q2)"""
        r"""|\s*\(\s*(?P<q3>['"`])(?P<s3>[^'"`\n$]*)(?P=q3)\s*[,)])"""
    ),
    "export": (
        r"""export(?=[\s{*])(?P<clause>[^'"`;()=]{0,1000}?)(?<![\w$])from\s*(?P<q4>['"])(?P<s4>[^'"\n]*)(?P=q4)"""
    ),
    "require": r"""require\s*\(\s*(?P<q5>['"`])(?P<s5>[^'"`\n$]*)(?P=q5)\s*\)""",
    "templateUrl": r"""templateUrl\s*:\s*(?P<q6>['"`])(?P<s6>[^'"`\n$]*)(?P=q6)""",
}


def _searchable(keyword: str, source: str) -> str:
    """`source` (a pattern that starts with `keyword`) as a search for a reference: the keyword
    not preceded by an identifier character or a dot. The test comes after the keyword, so the
    pattern starts with a literal and the engine skips to each occurrence in C. (No test is
    needed after it: every pattern goes on with a character an identifier cannot hold.)"""
    assert source.startswith(keyword)
    return f"{keyword}(?<![0-9A-Za-z_$.]{keyword})" + source[len(keyword):]


# each reference keyword where it starts a reference: a JS/TS file repeats `export` in front of
# every declaration, and trying the pattern at each from Python was 5% of a cold scan
_AT = {keyword: lazy_pattern(source) for keyword, source in _AT_SOURCES.items()}
_SEARCH = {keyword: lazy_pattern(_searchable(keyword, source)) for keyword, source in _AT_SOURCES.items()}
_COMMENT_OR_STRING = lazy_pattern(
    r"""(?P<c>//[^\n]*|/\*.*?(?:\*/|\Z))|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*(?:`|\Z)""",
    re.DOTALL,
)
_SCRIPT_BLOCK = lazy_pattern(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_MODULE_TYPE = lazy_pattern(r"""\btype\s*=\s*["']?module\b""", re.IGNORECASE)
_SRC_ATTR = lazy_pattern(r"""\bsrc\s*=""", re.IGNORECASE)


# --------------------------------------------------------------------------- text helpers


@per_text
def blank_comments(code: str) -> str:
    """`code` with JS comments replaced by spaces (newlines kept), strings untouched; once per
    file text, however many framework modules ask."""

    def repl(match: re.Match) -> str:
        if match.group("c") is None:
            return match.group()
        return "".join("\n" if ch == "\n" else " " for ch in match.group())

    return _COMMENT_OR_STRING.sub(repl, code)


class LineIndex:
    """Offset → 1-based line; cheap for offsets asked in increasing order (counts the newlines
    since the previous one), by bisection otherwise."""

    def __init__(self, text: str):
        self._text = text
        self._offset = 0
        self._line = 1
        self._newlines: list[int] | None = None

    def line(self, offset: int) -> int:
        if offset >= self._offset:
            self._line += self._text.count("\n", self._offset, offset)
            self._offset = offset
            return self._line
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect_right(self._newlines, offset - 1) + 1


literalgates.register_folded("<script")


def script_blocks(rel: str, text: str) -> list[tuple[int, int]]:
    """(start, end) of the JavaScript in a file: all of a script file; the script blocks (and
    Astro front matter) of a component file; inline module scripts of an HTML file."""
    lower = rel.lower()
    ext = posixpath.splitext(lower)[1]
    if ext in SCRIPT_EXTS and ext not in _COMPONENT_FILES:
        return [(0, len(text))]
    if not literalgates.contains_folded(text, "<script") and not lower.endswith(".astro"):
        return []
    blocks: list[tuple[int, int]] = []
    if lower.endswith(".astro"):
        front = front_matter_span(text, leading_space=True)
        if front is not None and front.end > front.start:
            blocks.append((front.start, front.end))
    component = lower.endswith(_COMPONENT_FILES)
    if not component and not lower.endswith((".html", ".htm")):
        return blocks
    searchable = blank_html_comments(text, unclosed_runs_to_end=True)
    for match in _SCRIPT_BLOCK.finditer(searchable):
        attrs = match.group(1)
        if _SRC_ATTR.search(attrs):
            continue
        if not component and not _MODULE_TYPE.search(attrs):
            continue  # a classic inline script cannot import
        blocks.append((match.start(2), match.end(2)))
    return blocks


_LANG_ATTR = lazy_pattern(r"""\blang\s*=\s*["']?(\w+)""", re.IGNORECASE)


def block_dialect(rel: str, text: str, start: int) -> str:
    """The grammar of the code script_blocks found at `start`: the file's own for a script
    file, "ts" for Astro front matter, else what the `<script lang=…>` tag says (as the markup
    parser and the data-sent analysis read the same block, so its one parse serves all three)."""
    from phi_lint.lang.javascript import dialect_for

    lower = rel.lower()
    if posixpath.splitext(lower)[1] in SCRIPT_EXTS and not lower.endswith(_COMPONENT_FILES):
        return dialect_for(rel)
    opening = text.rfind("<script", 0, start)
    if opening == -1:
        return "ts"  # Astro front matter
    lang = _LANG_ATTR.search(text, opening, start)
    value = lang.group(1).lower() if lang else ""
    if value == "tsx":
        return "tsx"
    return "ts" if value in ("ts", "typescript") else "js"


def module_references(text: str, start: int = 0, end: int | None = None, script=None):
    """(specifier, offset, how) for every module reference in text[start:end], in the order
    written; how is one of import, export, dynamic, require, templateUrl. Type-only imports and
    exports are skipped. `script` is the phi_lint.lang.javascript.Script of text[start:end] when
    the caller has one: its tree is read if it exists, or whenever the cheap scan cannot be sure."""
    end = len(text) if end is None else end
    if script is not None and script.parsed:
        return tree_references(script, start)
    code = text[start:end]
    found = _scanned_references(code, start)
    if found is None:
        if script is None:
            from phi_lint.lang.javascript import Script

            script = Script(code, "tsx")
        return tree_references(script, start)
    return found


_EXPORT_AT = lazy_pattern(r"export(?<![0-9A-Za-z_$.]export)")


def _add_exports(code: str, candidates: list) -> None:
    """The `export … from` candidates: the `export`s written before the last `from` only (a
    module exports a declaration at each of them, after its imports)."""
    last_from = code.rfind("from")
    pattern = _AT["export"]
    for keyword in _EXPORT_AT.finditer(code, 0, max(last_from, 0)):
        match = pattern.match(code, keyword.start())
        if match:
            candidates.append((keyword.start(), "export", match))


def _reference_candidates(code: str) -> list:
    """(offset, keyword, match) of each keyword where its reference pattern matches, keyword by
    keyword (comments and strings not yet told apart)."""
    candidates: list = []
    for keyword, pattern in _SEARCH.items():
        if keyword == "export":
            _add_exports(code, candidates)
            continue
        match = pattern.search(code)
        while match is not None:
            at = match.start()
            candidates.append((at, keyword, match))
            match = pattern.search(code, at + len(keyword))
    return candidates


def _scanned_references(code: str, start: int):
    """module_references by keyword search, or None when the code may hold a regex literal or
    JSX before the last reference (then only a parse can tell what is code)."""
    candidates = _reference_candidates(code)
    if not candidates:
        return []
    candidates.sort(key=lambda c: c[0])
    last = candidates[-1][0]
    starts: list[int] = []
    ends: list[int] = []
    gap = 0  # where the code after the previous token starts
    for token in _COMMENT_OR_STRING.finditer(code):
        if token.start() > last:
            break
        if code.find("/", gap, token.start()) != -1:
            return None  # a regex literal, a JSX tag or a division: the tokens may be misread
        starts.append(token.start())
        ends.append(token.end())
        gap = token.end()
    if code.find("/", gap, last) != -1:
        return None
    found = []
    for at, keyword, match in candidates:
        index = bisect_right(starts, at) - 1
        if index >= 0 and at < ends[index]:
            continue  # inside a comment, string or template literal
        groups = match.groupdict()
        if keyword == "import":
            if groups.get("s1") is not None:
                if _TYPE_ONLY.match(groups["clause"].strip()):
                    continue
                spec, how = groups["s1"], "import"
            elif groups.get("s2") is not None:
                spec, how = groups["s2"], "import"
            else:
                spec, how = groups["s3"], "dynamic"
        elif keyword == "export":
            if _TYPE_ONLY.match(groups["clause"].strip()):
                continue
            spec, how = groups["s4"], "export"
        elif keyword == "require":
            spec, how = groups["s5"], "require"
        else:
            spec, how = groups["s6"], "templateUrl"
        found.append((spec, start + at, how))
    return found


_TYPE_ONLY = lazy_pattern(r"type[\s{*]")  # `import type {…} from` (but `import type from` imports `type`)
_REFERENCE_QUERY = """
(import_statement) @import
(export_statement source: (_)) @export
(call_expression function: [(import) (identifier)] @callee) @call
(pair key: (property_identifier) @key) @pair
"""


def tree_references(script, start: int = 0) -> list[tuple[str, int, str]]:
    """module_references read from the script's syntax tree (offsets shifted by `start`)."""
    from tree_sitter import QueryCursor

    from phi_lint.lang.javascript import query
    from phi_lint.parsers.offsets import ByteToChar

    data = script.data
    to_char = ByteToChar(script.code)
    found: list[tuple[int, str, str]] = []  # (byte offset, specifier, how)
    for _, captures in QueryCursor(query(script.dialect, _REFERENCE_QUERY)).matches(script.tree.root_node):
        if "import" in captures:
            _static_reference(captures["import"][0], data, "import", found)
        elif "export" in captures:
            _static_reference(captures["export"][0], data, "export", found)
        elif "call" in captures:
            _call_reference(captures["call"][0], captures["callee"][0], found)
        elif "pair" in captures and captures["key"][0].text == b"templateUrl":
            pair = captures["pair"][0]
            spec = _literal(pair.child_by_field_name("value"), "'\"`\n$")
            if spec is not None:
                found.append((pair.start_byte, spec, "templateUrl"))
    found.sort(key=lambda item: item[0])
    return [(spec, start + to_char(at), how) for at, spec, how in found]


def _static_reference(node, data: bytes, how: str, found: list) -> None:
    """`import … from 'x'`, `import 'x'`, `export … from 'x'`, and TypeScript's
    `import x = require('x')` (a require)."""
    source = node.child_by_field_name("source")
    if source is None:
        for clause in node.named_children:
            if clause.type == "import_require_clause":
                spec = _literal(clause.child_by_field_name("source"), "'\"`\n$")
                at = data.find(b"require", clause.start_byte, clause.end_byte)
                if spec is not None and at != -1:
                    found.append((at, spec, "require"))
        return
    spec = _literal(source, "'\"\n")
    if spec is None:
        return
    keyword_end = node.start_byte + len(how)
    clause = data[keyword_end : source.start_byte].decode("utf-8", "replace").strip()
    if clause.endswith("from"):
        clause = clause[:-4].strip()
    if _TYPE_ONLY.match(clause):
        return
    found.append((node.start_byte, spec, how))


def _call_reference(call, callee, found: list) -> None:
    """`import('x')` and `require('x')` with a literal specifier."""
    args = call.child_by_field_name("arguments")
    if args is None or args.type != "arguments" or not args.named_children:
        return
    first = args.named_children[0]
    if callee.type == "import":
        spec = _literal(first, "'\"`\n$")
        if spec is not None:
            found.append((call.start_byte, spec, "dynamic"))
    elif callee.text == b"require" and len(args.named_children) == 1:
        spec = _literal(first, "'\"`\n$")
        if spec is not None:
            found.append((call.start_byte, spec, "require"))


def _literal(node, refused: str) -> str | None:
    """The text inside a string (or substitution-free template) literal, when it holds none of
    the refused characters (what a specifier written by hand never holds)."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    raw = node.text.decode("utf-8", "replace")
    if len(raw) < 2:
        return None
    inner = raw[1:-1]
    if any(ch in inner for ch in refused):
        return None
    return inner


# --------------------------------------------------------------------------- per-repo state


class _State:
    def __init__(self):
        self.project_dirs: dict[str, str] = {}
        self.alias_sets: dict[str, _Aliases] = {}
        self.config_dirs: set[str] | None = None
        self.configs: list[str] | None = None
        self.vite_dirs: dict[str, str] | None = None
        # look-ups many modules repeat (every module of a folder imports `./types`)
        self.found: dict[str, tuple[str | None, str]] = {}
        self.on_disk: dict[str, bool] = {}


def state(repo) -> _State:
    return repo.memo(__name__, _State)


def _dirname(rel: str) -> str:
    return posixpath.dirname(rel)


def _join(directory: str, name: str) -> str:
    return posixpath.join(directory, name) if directory else name


def project_dir(repo, rel: str) -> str:
    """The directory of the nearest package.json above rel (else of a tsconfig, else the root)."""
    st = state(repo)
    directory = _dirname(rel)
    if directory in st.project_dirs:
        return st.project_dirs[directory]
    result = None
    for candidate in ancestors(directory):
        if repo.exists(_join(candidate, "package.json")):
            result = candidate
            break
    if result is None:
        for candidate in ancestors(directory):
            if any(repo.exists(_join(candidate, name)) for name in _CONFIG_NAMES):
                result = candidate
                break
    st.project_dirs[directory] = result or ""
    return st.project_dirs[directory]


# --------------------------------------------------------------------------- tsconfig / jsconfig


def parse_jsonc(text: str | None) -> dict:
    """JSON with comments and trailing commas (tsconfig files); {} when it is not an object."""
    if not text:
        return {}
    stripped = blank_comments(text.lstrip("\ufeff"))
    stripped = re.sub(r",(\s*[}\]])", r"\1", stripped)
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


class _Aliases:
    def __init__(self):
        self.patterns: list[tuple[str, list[str]]] = []  # (pattern with at most one *, target paths)
        self.base_url: str | None = None  # repo-relative directory

    def add_paths(self, paths: dict, base: str) -> None:
        for key, targets in paths.items():
            if not isinstance(key, str) or key.count("*") > 1:
                continue
            if isinstance(targets, str):
                targets = [targets]
            if not isinstance(targets, list):
                continue
            resolved = [
                posixpath.normpath(_join(base, t)) for t in targets if isinstance(t, str) and t.count("*") <= 1
            ]
            if resolved and all(key != existing for existing, _ in self.patterns):
                self.patterns.append((key, resolved))


def _configs(repo) -> list[str]:
    st = state(repo)
    if st.configs is None:
        st.configs = repo.of_kind("config")
    return st.configs


def _config_dirs(repo) -> set[str]:
    st = state(repo)
    if st.config_dirs is None:
        st.config_dirs = {_dirname(rel) for rel in _configs(repo)}
    return st.config_dirs


def _vite_dirs(repo) -> dict[str, str]:
    st = state(repo)
    if st.vite_dirs is None:
        found: dict[str, str] = {}
        for rel in repo.of_kind("script"):
            if posixpath.basename(rel) in _VITE_CONFIGS:
                found.setdefault(_dirname(rel), rel)
        st.vite_dirs = found
    return st.vite_dirs


def _load_config(repo, rel: str, aliases: _Aliases, depth: int = 0, seen=None) -> None:
    """Merge one tsconfig/jsconfig (and what it extends, relative paths only) into aliases;
    the extending file's settings win."""
    seen = seen if seen is not None else set()
    if rel in seen or depth > _MAX_EXTENDS:
        return
    seen.add(rel)
    data = parse_jsonc(repo.read(rel))
    base_dir = _dirname(rel)
    options = member(data, "compilerOptions", dict, {})
    base_url = options.get("baseUrl")
    if isinstance(base_url, str) and aliases.base_url is None:
        aliases.base_url = posixpath.normpath(_join(base_dir, base_url))
    paths = options.get("paths")
    if isinstance(paths, dict):
        anchor = posixpath.normpath(_join(base_dir, base_url)) if isinstance(base_url, str) else base_dir
        aliases.add_paths(paths, "" if anchor == "." else anchor)
    parents = data.get("extends")
    for parent in [parents] if isinstance(parents, str) else parents if isinstance(parents, list) else []:
        if isinstance(parent, str) and parent.startswith("."):
            target = posixpath.normpath(_join(base_dir, parent))
            if not target.endswith(".json"):
                target += ".json"
            if not target.startswith(".."):
                _load_config(repo, target, aliases, depth + 1, seen)
    references = data.get("references")
    if isinstance(references, list):
        for ref in references:
            path = ref.get("path") if isinstance(ref, dict) else None
            if isinstance(path, str) and path.startswith("."):
                target = posixpath.normpath(_join(base_dir, path))
                if not target.endswith(".json"):
                    target = _join(target, "tsconfig.json")
                if repo.exists(target):
                    _load_config(repo, target, aliases, depth + 1, seen)


_VITE_ALIAS_ENTRY = lazy_pattern(
    r"""(?:find\s*:\s*)?(['"])(?P<key>[^'"\n]+)\1\s*(?::|,\s*replacement\s*:)\s*(?P<expr>[^\n}]*)"""
)
_PATH_LITERAL = lazy_pattern(r"""(['"`])(?P<path>\.{1,2}(?:/[^'"`\n]*)?|/[^'"`\n]+|src(?:/[^'"`\n]*)?)\1""")


def _load_vite_aliases(repo, rel: str, aliases: _Aliases) -> None:
    """Simple `resolve.alias` entries: `'@x': path.resolve(__dirname, './src/x')`,
    `'@': fileURLToPath(new URL('./src', import.meta.url))`, `{ find: '@', replacement: '/src' }`."""
    text = repo.read(rel)
    if not text or "alias" not in text:
        return
    code = blank_comments(text)
    at = code.find("alias")
    block = code[at : at + 3000]
    base = _dirname(rel)
    for match in _VITE_ALIAS_ENTRY.finditer(block):
        key = match.group("key").rstrip("/")
        literals = list(_PATH_LITERAL.finditer(match.group("expr")))
        literal = literals[-1] if literals else None  # the last path in the expression is the target
        if not key or literal is None:
            continue
        target = literal.group("path").lstrip("/") if literal.group("path").startswith("/") else literal.group("path")
        target = posixpath.normpath(_join(base, target))
        if target.startswith(".."):
            continue
        pattern = key + "/*"
        if all(pattern != existing for existing, _ in aliases.patterns):
            aliases.patterns.append((pattern, ["*" if target == "." else _join(target, "*")]))
            aliases.patterns.append((key, [target]))


def aliases_for(repo, rel: str) -> _Aliases:
    """The path aliases that apply to a file (nearest config directory up the tree)."""
    st = state(repo)
    directory = _dirname(rel)
    if directory in st.alias_sets:
        return st.alias_sets[directory]
    config_dirs = _config_dirs(repo)
    vite_dirs = _vite_dirs(repo)
    aliases = _Aliases()
    for candidate in ancestors(directory):
        if candidate in config_dirs:
            configs = sorted(
                (r for r in _configs(repo) if _dirname(r) == candidate),
                key=lambda r: (posixpath.basename(r) not in _CONFIG_NAMES, r),
            )
            for config in configs:
                _load_config(repo, config, aliases)
            break
    for candidate in ancestors(directory):
        if candidate in vite_dirs:
            _load_vite_aliases(repo, vite_dirs[candidate], aliases)
            break
    st.alias_sets[directory] = aliases
    return aliases


# --------------------------------------------------------------------------- resolution


def _candidates(base: str):
    yield base
    stem, ext = posixpath.splitext(base)
    for alternative in _TS_FOR_JS.get(ext, ()):
        yield stem + alternative
    for probe in PROBE_EXTS:
        yield base + probe
    for probe in PROBE_EXTS:
        yield base + "/index" + probe


def _probe(repo, base: str) -> str | None:
    base = posixpath.normpath(base)
    if base.startswith("..") or base.startswith("/"):
        return None
    if base == ".":
        base = ""
    for candidate in _candidates(base) if base else (f"index{e}" for e in PROBE_EXTS):
        if repo.exists(candidate):
            return candidate
    return None


def on_disk(repo, base: str) -> bool:
    """A file the scan did not index (excluded, or an asset without extension in the name)."""
    known = state(repo).on_disk
    if base not in known:
        known[base] = _probe_disk(repo, base)
    return known[base]


def _probe_disk(repo, base: str) -> bool:
    """TypeScript's ESM convention included: `./types/index.js` names `types/index.ts`, or the
    declarations `types/index.d.ts` (default-excluded, and types only: no edge, no note)."""
    stem, ext = posixpath.splitext(base)
    written_for = (*(stem + e for e in _TS_FOR_JS.get(ext, ())), *(stem + e for e in _DECLARATIONS_FOR_JS.get(ext, ())))
    candidates = (base, *written_for, *(base + e for e in PROBE_EXTS + (".json", ".d.ts")),
                  base + "/index.ts", base + "/index.js")
    # RepoIndex.on_disk: inside the tree, no link followed, each path looked at once per run
    return any(repo.on_disk(posixpath.normpath(candidate)) for candidate in candidates)


def _match_pattern(pattern: str, spec: str) -> str | None:
    if "*" not in pattern:
        return "" if spec == pattern else None
    prefix, suffix = pattern.split("*", 1)
    if spec.startswith(prefix) and spec.endswith(suffix) and len(spec) >= len(prefix) + len(suffix):
        return spec[len(prefix) : len(spec) - len(suffix)]
    return None


def kind_of_spec(spec: str) -> str:
    """'code' (a module to resolve), 'asset' (ignored), or 'other' (ignored: URLs, loaders)."""
    if not spec or "!" in spec or spec.startswith(("http:", "https:", "data:", "node:", "virtual:", "\0")):
        return "other"
    name = spec.rsplit("/", 1)[-1]
    ext = posixpath.splitext(name)[1].lower()
    if ext in _ASSET_EXTS:
        return "asset"
    return "code"


def resolve(repo, rel: str, spec: str) -> tuple[str | None, str]:
    """(target, status) for a module specifier written in `rel`.

    status: "ok" (target set), "package" (a bare package: no edge), "skip" (asset, URL,
    outside the repository), "missing" (relative or alias import that names no file)."""
    spec = spec.strip()
    if not spec.startswith("#"):
        spec = spec.split("?", 1)[0].split("#", 1)[0]
    if kind_of_spec(spec) != "code":
        return None, "skip"
    directory = _dirname(rel)
    if spec.startswith(("./", "../")) or spec in (".", ".."):
        base = posixpath.normpath(_join(directory, spec))
        return _found(repo, base)
    if spec.startswith("/"):
        base = posixpath.normpath(_join(project_dir(repo, rel), spec.lstrip("/")))
        return _found(repo, base)
    aliases = aliases_for(repo, rel)
    best = None
    for pattern, targets in aliases.patterns:
        star = _match_pattern(pattern, spec)
        if star is None:
            continue
        prefix_len = len(pattern.split("*", 1)[0])
        if best is None or prefix_len > best[0]:
            best = (prefix_len, targets, star)
    if best is not None:
        _, targets, star = best
        for target in targets:
            found = _probe(repo, target.replace("*", star))
            if found:
                return found, "ok"
        if any(on_disk(repo, posixpath.normpath(t.replace("*", star))) for t in targets):
            return None, "skip"
        if all("node_modules" in t.split("/") for t in targets):
            return None, "package"  # `"@babel/types": ["../node_modules/@babel/types"]`: installed, not committed
        return None, "missing"
    convention = _convention(repo, rel, spec)
    if convention is not None:
        return convention
    if aliases.base_url is not None:
        found = _probe(repo, _join(aliases.base_url, spec))
        if found:
            return found, "ok"
    return None, "package"


def _convention(repo, rel: str, spec: str) -> tuple[str | None, str] | None:
    if spec.startswith("$lib/") or spec == "$lib":
        rest = spec[4:].lstrip("/")
        roots = [_join(project_dir(repo, rel), "src/lib")]
    else:
        prefix = next((p for p in _CONVENTION_ALIASES if spec.startswith(p)), None)
        if prefix is None:
            return None
        rest = spec[len(prefix) :]
        project = project_dir(repo, rel)
        roots = [_join(project, "src"), _join(project, "app"), project]
    for root in roots:
        found = _probe(repo, _join(root, rest) if root else rest)
        if found:
            return found, "ok"
    if any(on_disk(repo, _join(root, rest) if root else rest) for root in roots):
        return None, "skip"
    return None, "missing"


def _found(repo, base: str) -> tuple[str | None, str]:
    """_find, once per base path and run (every module of a folder imports `./types`)."""
    known = state(repo).found
    if base not in known:
        known[base] = _find(repo, base)
    return known[base]


def _find(repo, base: str) -> tuple[str | None, str]:
    if base.startswith(".."):
        return None, "skip"
    found = _probe(repo, base)
    if found:
        return found, "ok"
    ext = posixpath.splitext(base)[1].lower()
    if ext in _MARKUP_TARGET_EXTS and repo.exists(base):
        return base, "ok"
    if on_disk(repo, base):
        return None, "skip"
    return None, "missing"


def resolve_path(repo, rel: str, spec: str) -> str | None:
    """The file a specifier names, or None (packages, assets, unresolved)."""
    target, _ = resolve(repo, rel, spec)
    return target
