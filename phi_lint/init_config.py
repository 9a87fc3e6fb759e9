"""`phi-lint init`: a commented starter phi-lint.toml for the repository at hand.

It looks at the repository the way a new user would: which web frameworks are there (Django,
Flask, Rails, Laravel, Next.js, Nuxt, SvelteKit, Vue, React, Angular, Express, or a plain static
site), and which directories are named like pages behind login (portal/, account/, patient/,
member/, dashboard/, Next.js route groups such as (portal)/) or about health (conditions/,
symptoms/, appointments/, find-a-doctor/, pharmacy/, …). It proposes [pages] globs for those
directories, carves their login and sign-up pages out as public, and explains every setting in a
comment, so that the file can be reviewed line by line. The active lines are valid TOML and a
valid phi-lint configuration.

The walk is bounded (depth and entries) and skips dependency, build and test folders, so it is
cheap on a large repository; it reads only a few small manifest files.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.discovery import classify
from phi_lint.lazyre import lazy_pattern

MAX_DEPTH = 10
MAX_ENTRIES = 50_000
MAX_GLOBS = 20  # per label; the rest are named in a comment
READ_LIMIT = 256 * 1024

# never walked: dependencies, build output, VCS, caches, tests (the default excludes)
SKIP_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages", "vendor", "vendors",
    "third_party", "third-party", "dist", "build", "out", ".next", ".nuxt", ".output", ".svelte-kit",
    ".astro", ".vercel", ".netlify", "coverage", "__pycache__", ".venv", "venv", ".tox", ".cache",
    ".parcel-cache", ".yarn", "test", "tests", "__tests__", "spec", "specs", "e2e", "cypress", "fixtures",
    "__mocks__", ".idea", ".vscode", ".github",
}
# generated output that is not in the default excludes: proposed for extend-exclude
GENERATED_DIRS = {
    "_site": "Jekyll / Eleventy output",
    "htmlcov": "coverage.py HTML report",
    "storybook-static": "Storybook build",
    ".docusaurus": "Docusaurus cache",
    "target": "Maven / Gradle / Cargo output",
    "docs/_build": "Sphinx output",
}

_AUTH_DIR = lazy_pattern(
    r"""^(?:
        portal | patient[-_]?portal | member[-_]?portal | client[-_]?portal
      | patients? | members? | accounts? | my[-_]?account | mychart
      | my[-_]?(?:chart|health|care|visits|records|profile|portal|appointments|results|messages
               |bills|billing|prescriptions|dashboard)
      | dashboard | secure | authenticated
      | \((?:portal|authenticated|protected|private|dashboard|account|members?|patients?|secure
            |logged[-_]?in|signed[-_]?in)\)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_HEALTH_DIR = lazy_pattern(
    r"""^(?:
        conditions | diseases | symptoms | treatments | specialties | specialities
      | find[-_]?a[-_]?(?:doctor|provider|physician) | doctors | physicians
      | appointments | book[-_]?(?:an[-_]?)?appointment | booking | telehealth | telemedicine
      | pharmacy | prescriptions | refills | lab[-_]?results | test[-_]?results
      | mental[-_]?health | behavioral[-_]?health | sexual[-_]?health | reproductive[-_]?health
      | health[-_]?library | health[-_]?a[-_]?z | patient[-_]?education
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# login, sign-up and password pages sit in portal folders but are not behind login
_PUBLIC_NAME = lazy_pattern(
    r"""^(?:
        log[-_]?in | sign[-_]?in | sign[-_]?up | register | registration | log[-_]?out | sign[-_]?out
      | forgot[-_]?password | password[-_]?reset\w* | reset[-_]?password | password[-_]?forgot
      | email[-_]?confirm\w* | verification[-_]?sent | verify[-_]?email | activate
    )(?:\.[^/]*)?$""",
    re.IGNORECASE | re.VERBOSE,
)

_NOTES = {
    "Django": "views with @login_required, LoginRequiredMixin or PermissionRequiredMixin make the "
    "templates they render authenticated",
    "Flask": "views with @login_required make the templates they render_template() authenticated",
    "Rails": "controllers with before_action :authenticate_user! (or any authenticate_*) make their "
    "views and layout authenticated",
    "Laravel": "routes and controllers behind ->middleware('auth') make the views they return "
    "authenticated",
    "Next.js": "middleware.ts matchers and auth helpers (getServerSession, auth(), "
    "withPageAuthRequired) mark routes; layout.tsx wraps every page below it",
    "Nuxt": "layouts wrap the pages that use them; tag pages behind login if they are not inferred",
    "SvelteKit": "+layout files wrap every route below them; tag pages behind login if they are "
    "not inferred",
    "Vue": "Vue Router routes with meta: { requiresAuth: true } make their components authenticated",
    "React": "React Router routes wrapped in a guard component make their components authenticated",
    "Angular": "routes with canActivate / canMatch guards make their components authenticated",
    "Express": "route guards (app.use('/portal', requireAuth), router.get(path, ensureLoggedIn, …)) "
    "make the templates they render authenticated",
    "static site": "there is no server code to infer login from: tag pages with comments or list "
    "them below",
}


@dataclass
class RepoSurvey:
    frameworks: list[tuple[str, str]] = field(default_factory=list)  # (name, evidence)
    auth_dirs: list[tuple[str, int]] = field(default_factory=list)  # (rel dir, pages below)
    health_dirs: list[tuple[str, int]] = field(default_factory=list)
    public_paths: list[str] = field(default_factory=list)  # rel file or dir (ends with /)
    generated: list[tuple[str, str]] = field(default_factory=list)  # (rel dir, what it is)
    markup_files: int = 0
    truncated: bool = False


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(READ_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _python_deps(root: Path) -> str:
    names = ["pyproject.toml", "Pipfile", "setup.cfg", "setup.py", "requirements.txt"]
    texts = [_read(root / name) for name in names]
    for pattern in ("requirements*.txt", "requirements/*.txt", "requirements/*.in", "requirements*.in"):
        texts.extend(_read(p) for p in sorted(root.glob(pattern))[:20])
    return "\n".join(texts).lower()


def _package_deps(path: Path) -> set[str]:
    try:
        data = json.loads(_read(path))
    except ValueError:
        return set()
    if not isinstance(data, dict):
        return set()
    deps: set[str] = set()
    for key in ("dependencies", "devDependencies", "peerDependencies"):
        value = data.get(key)
        if isinstance(value, dict):
            deps.update(k for k in value if isinstance(k, str))
    return deps


def _detect_frameworks(root: Path, manifests: list[str]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}

    def add(name: str, evidence: str) -> None:
        found.setdefault(name, evidence)

    python = _python_deps(root)
    if (root / "manage.py").is_file():
        add("Django", "manage.py")
    elif re.search(r"(?<![\w-])django(?![\w])", python):
        add("Django", "a Python requirement on django")
    if re.search(r"(?<![\w-])flask(?![\w])", python):
        add("Flask", "a Python requirement on flask")
    else:
        for name in ("app.py", "wsgi.py", "application.py", "main.py"):
            if re.search(r"^[ \t]*(?:from\s+flask\s+import|import\s+flask)\b", _read(root / name), re.MULTILINE):
                add("Flask", f"{name} imports flask")
                break
    gemfile = _read(root / "Gemfile")
    if re.search(r"""^[ \t]*gem\s+['"]rails['"]""", gemfile, re.MULTILINE):
        add("Rails", "Gemfile (gem 'rails')")
    elif (root / "config" / "routes.rb").is_file():
        add("Rails", "config/routes.rb")
    if (root / "artisan").is_file():
        add("Laravel", "artisan")
    elif "laravel/framework" in _read(root / "composer.json"):
        add("Laravel", "composer.json (laravel/framework)")
    for rel in manifests:
        deps = _package_deps(root / rel)
        where = f"{rel} dependency"
        if "next" in deps:
            add("Next.js", f'{where} "next"')
        if "nuxt" in deps or "nuxt3" in deps:
            add("Nuxt", f'{where} "nuxt"')
        if "@sveltejs/kit" in deps:
            add("SvelteKit", f'{where} "@sveltejs/kit"')
        if "vue" in deps and "nuxt" not in deps:
            add("Vue", f'{where} "vue"')
        if "react" in deps and "next" not in deps:
            add("React", f'{where} "react"')
        if "@angular/core" in deps:
            add("Angular", f'{where} "@angular/core"')
        if "express" in deps:
            add("Express", f'{where} "express"')
    order = list(_NOTES)
    return sorted(found.items(), key=lambda kv: order.index(kv[0]))


def survey(root: Path) -> RepoSurvey:
    """Walk the repository once (bounded) and collect what the starter config needs."""
    result = RepoSurvey()
    root = root.resolve()
    pages_below: dict[str, int] = {}  # rel dir -> pages (markup/script files) below it
    named: list[tuple[str, str]] = []  # (rel dir, "auth" | "health")
    public_candidates: list[str] = []
    manifests: list[str] = []
    entries = 0
    stack: list[tuple[Path, str, int]] = [(root, "", 0)]
    while stack:
        directory, rel_dir, depth = stack.pop()
        try:
            with os.scandir(directory) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in items:
            entries += 1
            if entries > MAX_ENTRIES:
                result.truncated = True
                break
            rel = f"{rel_dir}{entry.name}"
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if rel in GENERATED_DIRS:
                    result.generated.append((rel, GENERATED_DIRS[rel]))
                    continue
                if entry.name in SKIP_DIRS or entry.name.startswith("."):
                    continue
                if depth < MAX_DEPTH:
                    subdirs.append((Path(entry.path), rel + "/", depth + 1))
                if _AUTH_DIR.match(entry.name):
                    named.append((rel, "auth"))
                elif _HEALTH_DIR.match(entry.name):
                    named.append((rel, "health"))
                if _PUBLIC_NAME.match(entry.name):
                    public_candidates.append(rel + "/")
            elif is_file:
                kind = classify(entry.name)
                if kind == "manifest" and depth <= 2:
                    manifests.append(rel)
                if kind in ("markup", "script"):
                    if kind == "markup":
                        result.markup_files += 1
                    parts = rel.split("/")
                    for i in range(1, len(parts)):
                        ancestor = "/".join(parts[:i])
                        pages_below[ancestor] = pages_below.get(ancestor, 0) + 1
                    if _PUBLIC_NAME.match(entry.name):
                        public_candidates.append(rel)
        if result.truncated:
            break
        stack.extend(reversed(subdirs))

    result.frameworks = _detect_frameworks(root, sorted(manifests, key=lambda m: (m.count("/"), m)))
    if not result.frameworks and result.markup_files:
        result.frameworks = [("static site", f"{result.markup_files} HTML-like files, no web framework found")]
    chosen: list[tuple[str, str]] = []
    for rel, label in sorted(named):
        if not pages_below.get(rel):
            continue  # a code-only folder (a Django app, a Python package): no pages to tag
        if any(rel.startswith(outer + "/") for outer, _ in chosen):
            continue  # already covered by an outer directory
        chosen.append((rel, label))
    result.auth_dirs = [(rel, pages_below[rel]) for rel, label in chosen if label == "auth"]
    result.health_dirs = [(rel, pages_below[rel]) for rel, label in chosen if label == "health"]
    auth_roots = [rel for rel, _ in result.auth_dirs]
    publics: list[str] = []
    for candidate in sorted(public_candidates):
        inside = any(candidate.startswith(rel + "/") for rel in auth_roots)
        covered = any(candidate.startswith(p) for p in publics if p.endswith("/"))
        if inside and not covered and (not candidate.endswith("/") or pages_below.get(candidate.rstrip("/"))):
            publics.append(candidate)
    result.public_paths = publics
    return result


def glob_escape(rel: str) -> str:
    """A repo-relative path as a literal gitignore pattern ([id] folders, * and ? in names)."""
    escaped = re.sub(r"([\\\[\]*?])", r"\\\1", rel)
    if escaped.startswith(("#", "!")):
        escaped = "\\" + escaped
    return escaped


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's string escapes are all valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def _array(key: str, items: list[tuple[str, str]], limit: int = MAX_GLOBS) -> list[str]:
    """key = [ one element a line, each with a comment ]."""
    shown = items[:limit]
    lines = [f"{key} = ["]
    for value, why in shown:
        lines.append(f"    {toml_string(value)},  # {why}")
    lines.append("]")
    rest = items[limit:]
    if rest:
        lines.append(f"# {len(rest)} more found and left out: " + ", ".join(v for v, _ in rest[:10]) + (" …" if len(rest) > 10 else ""))
    return lines


def _profile_lines() -> list[str]:
    """The `profile` setting with how to choose, from each shipped profile's `choose` text."""
    from phi_lint.profiles import DEFAULT_PROFILE, load_profile, profile_names

    lines = ["# Which law this repository answers to decides how severe a finding is. Choose one:"]
    for name in [DEFAULT_PROFILE, *(n for n in profile_names() if n != DEFAULT_PROFILE)]:
        for paragraph in load_profile(name).choose.split("\n\n"):
            lines += textwrap.wrap(" ".join(paragraph.split()), width=96, initial_indent="#   ",
                                   subsequent_indent="#   ", break_on_hyphens=False)
    lines.append("# `--profile NAME` on the command line wins over this line.")
    lines.append(f'profile = "{DEFAULT_PROFILE}"')
    return lines


def _pages_word(n: int) -> str:
    return f"{n} page file{'s' if n != 1 else ''} below"


def starter_config(root: Path) -> str:
    """The text of a commented starter phi-lint.toml for the repository at root."""
    s = survey(Path(root))
    out: list[str] = [
        "# phi-lint.toml: starter configuration written by `phi-lint init`.",
        "# Review every line: the [pages] globs below are guesses from directory names. Globs use",
        "# .gitignore syntax and are relative to this file. README \"Configuration\" documents every key.",
        "#",
    ]
    if s.frameworks:
        out.append("# Found in this repository (context inference, `infer` below, uses what each framework says):")
        for name, evidence in s.frameworks:
            out += textwrap.wrap(
                f"{name} ({evidence}): {_NOTES[name]}.",
                width=98,
                initial_indent="#   - ",
                subsequent_indent="#     ",
                break_on_hyphens=False,
            )
    else:
        out.append("# No web framework and no HTML-like files were found: point phi-lint at your templates.")
    if s.truncated:
        out.append(f"# The repository is large: only its first {MAX_ENTRIES} entries were looked at.")
    out += ["", *_profile_lines()]
    out += [
        "",
        "# Infer which pages are behind login or about health from the code that serves them (route",
        "# guards, login decorators, middleware, page names and text). Tags in files and the [pages]",
        "# globs below always win over inference, `public` included.",
        "infer = true",
        "",
        "# Vendors you have a signed Business Associate Agreement (BAA) with: their trackers are listed",
        "# as inventory (PHI100) instead of problems; data handed to them stays a finding (PHI004).",
        "# Ids come from `phi-lint vendors` (`--json` says which sign no BAA: \"baa\": \"no\"), e.g.:",
        '# baa-vendors = ["segment"]',
        "baa-vendors = []",
        "",
        "# Paths to skip as well as the defaults (node_modules, vendor, build output, tests, fixtures,",
        "# minified bundles); use `exclude` instead to replace the defaults. Examples:",
        '# extend-exclude = ["legacy/", "docs/examples/", "*.generated.html"]',
    ]
    if s.generated:
        out.append("# Generated output found here (it would repeat the findings of its sources):")
        out += _array("extend-exclude", [(rel + "/", what) for rel, what in s.generated])
    out += [
        "",
        "# Rules: PHI001 trackers on pages behind login, PHI002 on health pages, PHI003 session replay",
        "# on either, PHI100 the inventory of every other tracker (never fails a run). To hide the",
        '# inventory: ignore = ["PHI100"]',
        "",
        "# Which pages are sensitive, by path. A tag in the file itself (`phi-lint: authenticated`,",
        "# `phi-lint: health` or `phi-lint: public` in a template comment) beats these globs.",
        "[pages]",
    ]
    if s.auth_dirs:
        out.append("# Pages behind login: folders named like a portal, an account or patient area.")
        out += _array("authenticated", [(glob_escape(rel) + "/**", _pages_word(n)) for rel, n in s.auth_dirs])
    else:
        out += [
            "# Pages behind login: no portal, account or patient folder was found. For example:",
            '# authenticated = ["templates/portal/**", "app/(portal)/**"]',
        ]
    if s.health_dirs:
        out.append("# Pages about health conditions, care, doctors or appointments, found by folder name.")
        out += _array("health", [(glob_escape(rel) + "/**", _pages_word(n)) for rel, n in s.health_dirs])
    else:
        out += [
            "# Pages about health conditions, care or appointments. For example:",
            '# health = ["site/conditions/**", "templates/appointments/**"]',
        ]
    if s.public_paths:
        out.append("# Login, sign-up and password pages inside those folders are not behind login.")
        items = []
        for rel in s.public_paths:
            if rel.endswith("/"):
                items.append((glob_escape(rel.rstrip("/")) + "/**", "login or sign-up pages"))
            else:
                items.append((glob_escape(rel), "a login or sign-up page"))
        out += _array("public", items)
    else:
        out += [
            "# Pages that are public even inside a folder above (a login page). For example:",
            '# public = ["templates/portal/login.html"]',
        ]
    return "\n".join(out) + "\n"
