"""Health-related pages, inferred from paths, titles and headings, page text and forms.

Signals (each becomes an Inference with label "health" and the evidence shown to users):

- path: a directory or file name that names a health topic or service (`conditions/`,
  `find-a-doctor.html`, `appointments/`, `lab-results`, …) or a strong term of the vocabulary
  (`services/cardiology.html`, `blog/living-with-type-2-diabetes.html`). Any page.
- title and headings: the page title (`<title>`, a template's title block, front matter,
  `og:title`, Next.js `metadata`, `document.title`) or an `<h1>` with one strong vocabulary
  term, or two distinct weak ones; else two distinct strong terms in the title, `<h1>`-`<h3>`
  and the meta description together. The last part of a title with separators is the site's
  name ("Asthma care | Lakeside Clinic") and is left out.
- page text: four distinct strong terms in the visible text of a markup page (weak signal).
- forms: a field that asks for symptoms, diagnoses, medications, allergies, an insurance
  member id, a medical record number or a date of birth (search boxes and hidden fields
  aside). A form in an included partial makes the pages that include it health-related
  (infer_project, over include / partial / component / embed edges; not through layouts).

Title, heading, text and form signals apply only to page-like files: not partials (`_x.html`;
files under `partials/`, `includes/`, `components/`, `shared/`, `layouts/`; `header.html`,
`footer.php`, …), not layouts or app shells (by name, or by content: `{% block %}` without
`{% extends %}`, `@yield`, `<%= yield %>`, `{{{body}}}`, `<router-view>`, `<Outlet>`,
`{children}`, …). Generic pages (about, careers, contact, privacy, terms, …) and home pages
(`home.*`, or the topmost `index.*`) get no vocabulary signals; their forms still count.

Everything but the partial forms is decided per file, from that file alone, so it runs in the
scan's worker processes and is cached with the file.

The vocabulary is data: rules/health-terms.txt (format documented in the file).
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for
from phi_lint.frontmatter import front_matter
from phi_lint.inference.model import Inference
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.template_comments import blank_comments, blank_html_comments

VOCABULARY_FILE = "health-terms.txt"
PAGE_KINDS = ("markup", "script")
MAX_BODY_CHARS = 400_000  # page text beyond this is not read for vocabulary terms
BODY_MIN_TERMS = 4  # distinct strong terms in the page text
HEADINGS_MIN_TERMS = 2  # distinct strong terms in h2/h3/meta description (with the title)

# --------------------------------------------------------------------------------------------
# words and stems


_WORD = lazy_pattern(r"[^\W_]+(?:(?:['\u2019]|&rsquo;|&#0?39;|&#x27;|&apos;)[^\W_]+)*")
_APOSTROPHES = lazy_pattern(r"['\u2019]|&rsquo;|&#0?39;|&#x27;|&apos;")
_CAMEL = lazy_pattern(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A word without its plural -s/-es/-ies (the first step of `stem`)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def number_stem(word: str) -> str:
    """A stem without -ing and -ed: plurals and a final -e only (`diseases`, `disease` → diseas;
    `bookings` → booking, `books` → book: a booking page is not a book)."""
    word = singular(word)
    return word[:-1] if word.endswith("e") and len(word) > 4 and word.isalpha() else word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem, applied alike to vocabulary and text: plural -s/-es/-ies, -ing, -ed, -e."""
    if len(word) <= 3 or not word.isalpha():
        return word
    word = singular(word)
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _fold(token: str) -> str:
    token = token.lower()
    if token.isascii() and token.isalnum():
        return token
    token = _APOSTROPHES.sub("", token)
    if not token.isascii():
        token = "".join(c for c in unicodedata.normalize("NFKD", token) if not unicodedata.combining(c))
    return token


def words(text: str) -> list[str]:
    """Lower-case words of a text, apostrophes dropped (`Crohn's` → `crohns`)."""
    return [_fold(m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=131072)
def _token_stem(token: str) -> str:
    return stem(_fold(token))


def stem_key(text: str) -> str:
    return " ".join(stem(w) for w in words(text))


# --------------------------------------------------------------------------------------------
# the vocabulary


@dataclass(frozen=True)
class Term:
    text: str  # as written in the data file
    key: str  # stemmed words joined by spaces
    weak: bool


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int  # character offset in the text searched
    end: int


class Vocabulary:
    """The terms of rules/health-terms.txt, compiled once into one Aho-Corasick automaton."""

    def __init__(self, lines):
        import ahocorasick

        self.terms: dict[str, Term] = {}
        exact: dict[str, Term] = {}
        weak = False
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                weak = line[1:-1].strip().lower().startswith("weak")
                continue
            if line.startswith("="):
                literal = line[1:].strip()
                if literal and literal not in exact:
                    exact[literal] = Term(literal, "=" + literal, weak)
                continue
            key = stem_key(line)
            if not key:
                continue
            known = self.terms.get(key)
            if known is None or (known.weak and not weak):
                self.terms[key] = Term(line, key, weak)
        self._automaton = ahocorasick.Automaton()
        for key, term in self.terms.items():
            self._automaton.add_word(f" {key} ", term)
        self._empty = not self.terms
        if not self._empty:
            self._automaton.make_automaton()
        self.exact_terms = exact
        self._exact_literals = None
        self._exact = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(exact, key=len, reverse=True)) + r")s?(?![\w-])")
            if exact
            else None
        )

    def __len__(self) -> int:
        return len(self.terms) + len(self.exact_terms)

    def find(self, text: str, exact: bool = True) -> list[Hit]:
        """Non-overlapping hits, longest first (`breast cancer` is one term, not two)."""
        hits: list[Hit] = []
        chosen = self.token_terms(_WORD.findall(text))
        if chosen:
            last = max(first + count for first, count, _ in chosen)
            spans = [(m.start(), m.end()) for m in islice(_WORD.finditer(text), last)]
            for first, count, term in chosen:
                hits.append(Hit(term, spans[first][0], spans[first + count - 1][1]))
        if exact and self._exact is not None:
            spans = [(h.start, h.end) for h in hits]
            for match in self._exact.finditer(text):
                if any(start < match.end() and match.start() < end for start, end in spans):
                    continue  # AIDS in "HIV/AIDS" is part of that term
                hits.append(Hit(self.exact_terms[match.group(1)], match.start(), match.end()))
        hits.sort(key=lambda h: h.start)
        return hits

    def token_terms(self, tokens: list[str]) -> list[tuple[int, int, Term]]:
        """(first token, token count, term) of the terms among words, longest first, in order."""
        if not tokens or self._empty:
            return []
        stems = list(map(_token_stem, tokens))
        found = list(self._automaton.iter(" " + " ".join(stems) + " "))
        if not found:
            return []
        starts, pos = [], 1
        for s in stems:
            starts.append(pos)
            pos += len(s) + 1
        candidates = []
        for end, term in found:
            first = bisect.bisect_left(starts, end - len(term.key))
            candidates.append((term.key.count(" ") + 1, first, term))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        taken: set[int] = set()
        chosen = []
        for count, first, term in candidates:
            span = range(first, first + count)
            if any(i in taken for i in span):
                continue
            taken.update(span)
            chosen.append((first, count, term))
        chosen.sort(key=lambda c: c[0])
        return chosen

    def may_have_exact(self, text: str) -> bool:
        """Whether an exact term (`=AIDS`) may be in text: one automaton pass, no regex."""
        if self._exact is None:
            return False
        if self._exact_literals is None:
            import ahocorasick

            self._exact_literals = ahocorasick.Automaton()
            for literal in self.exact_terms:
                self._exact_literals.add_word(literal, literal)
            self._exact_literals.make_automaton()
        return next(self._exact_literals.iter(text), None) is not None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (rules/health-terms.txt), loaded once per process."""
    from phi_lint.resources import rules_dir

    path = rules_dir() / VOCABULARY_FILE
    return Vocabulary(path.read_text(encoding="utf-8").splitlines())


def distinct(hits, weak: bool | None = None) -> list[Term]:
    seen: dict[str, Term] = {}
    for hit in hits:
        if weak is None or hit.term.weak == weak:
            seen.setdefault(hit.term.key, hit.term)
    return list(seen.values())


# --------------------------------------------------------------------------------------------
# paths


@dataclass(frozen=True)
class Segment:
    raw: str  # as in the path ("(portal)", "FindADoctor.tsx")
    words: tuple[str, ...]  # lower-case words (camelCase and separators split)
    key: str  # stemmed words joined by "-"
    is_file: bool
    number_key: str = ""  # number stems (see number_stem) joined by "-": `bookings` → booking


_STEM_SUFFIXES = ("view", "page", "screen", "route", "container")
_EXTENSIONS = lazy_pattern(r"(\.[A-Za-z0-9]{1,6})+$")


@lru_cache(maxsize=65536)
def path_segments(rel: str) -> tuple[Segment, ...]:
    """Directory names and the file's stem, as words: `app/(portal)/LabResults.vue` → …"""
    parts = [p for p in rel.split("/") if p]
    last = len(parts) - 1
    return tuple(s for s in (_segment(part, index == last) for index, part in enumerate(parts)) if s is not None)


@lru_cache(maxsize=65536)
def _segment(part: str, is_file: bool) -> Segment | None:
    name = _EXTENSIONS.sub("", part) if is_file else part
    if name.startswith("[") or name.startswith(":"):
        return None  # dynamic route segment: [id], [...slug], :id
    name = name.strip("()+@_$")
    split = _CAMEL.sub(" ", name)
    ws = [_fold(w) for w in re.split(r"[^0-9A-Za-z\u00C0-\uFFFF']+", split) if w]
    if is_file and len(ws) > 1 and ws[-1] in _STEM_SUFFIXES:
        ws = ws[:-1]  # AccountView.vue, DashboardPage.tsx
    if not ws:
        return None
    return Segment(part, tuple(ws), "-".join(stem(w) for w in ws), is_file, "-".join(number_stem(w) for w in ws))


def name_keys(*names: str) -> frozenset[str]:
    return frozenset("-".join(stem(w) for w in words(n)) for n in names)


def number_keys(*names: str) -> frozenset[str]:
    """Names as number-stem keys: plurals are one name, -ing and -ed forms are not (`booking` is
    not `books`, as a stem would have it)."""
    return frozenset("-".join(number_stem(w) for w in words(n)) for n in names)


@frameworks_data.derived
def health_segments() -> frozenset[str]:
    """Folder and file names of health pages (`health-segments` of rules/frameworks/web.toml)."""
    return number_keys(*frameworks_data.names("web", "health-segments"))


@frameworks_data.derived
def ambiguous_in_scripts() -> frozenset[str]:
    """Health segment names that also name code folders in JS/TS projects (React `providers`,
    a cron `schedule`): in script files they count only under a routing directory."""
    return number_keys(*frameworks_data.names("web", "script-ambiguous-segments"))


ROUTING_DIRS = name_keys("pages", "app", "routes", "views", "screens")
_APP_DIR = name_keys("app")


def path_signal(rel: str, kind: str | None, prefix: str = "") -> tuple[str, str] | None:
    """(evidence, segment) when a directory or file name says the page is about health.

    `prefix` (the directory the run was started in, relative to the repository root) is left out
    of the vocabulary match: `fixtures/react-intake-form/` names a test fixture, not a page.
    """
    segments = path_segments(rel)
    routers: set[str] = set()  # routing directories above the current segment
    for segment in segments:
        # in the Next.js app router only directories are routes (app/providers.tsx is not)
        routed = bool(routers - _APP_DIR) if segment.is_file else bool(routers)
        ambiguous = kind == "script" and segment.number_key in ambiguous_in_scripts() and not routed
        if segment.key in ROUTING_DIRS and not segment.is_file:
            routers.add(segment.key)
        if segment.number_key in health_segments() and not ambiguous:
            return _segment_evidence(segment), segment.raw
    if generic_page(rel):
        return None  # careers/oncology-nurse.html is a job, press/cancer-center-opens.html news
    if prefix and rel.startswith(prefix):
        segments = path_segments(rel[len(prefix) :])
    for segment in segments:
        strong = _strong_terms(segment.words)
        if strong:
            return f"{_segment_evidence(segment)} names `{strong[0].text}`", segment.raw
    return None


def scan_prefix(repo) -> str:
    """The deepest directory that holds every file of the run ("" at the repository root)."""
    if repo is None:
        return ""
    return repo.memo((__name__, "scan prefix"), lambda: _common_folder(repo.files))


def _common_folder(files: list[str]) -> str:
    common = posixpath.commonpath(files) if files else ""
    if len(files) == 1 or common in files:
        common = posixpath.dirname(common)
    return common + "/" if common else ""


@lru_cache(maxsize=16384)
def _strong_terms(segment_words: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(distinct(vocabulary().find(" ".join(segment_words), exact=False), weak=False))


def _segment_evidence(segment: Segment) -> str:
    if segment.is_file:
        return f"file name `{segment.raw}`"
    return f"path segment `{segment.raw}/`"


PARTIAL_DIRS = name_keys(
    "partials", "includes", "components", "shared", "layouts", "snippets", "fragments", "macros",
    "_partials", "_includes", "_components", "_layouts",
)
LAYOUT_STEMS = name_keys("layout", "base", "master", "skeleton", "wrapper", "_app", "_document", "root")

@frameworks_data.derived
def generic_pages() -> frozenset[str]:
    """Pages public whatever they say (`public-pages` of rules/frameworks/web.toml), as keys."""
    return frozenset(name_keys(*frameworks_data.names("web", "public-pages")))


HOME_STEMS = name_keys("index", "default", "page")
EXPLICIT_HOME_STEMS = name_keys("home", "homepage", "home-page", "landing")


def partial_by_name(rel: str) -> bool:
    """A partial or layout by its name: `_nav.html`, `partials/x.html`, `layouts/app.blade.php`."""
    base = posixpath.basename(rel)
    if base.startswith("_"):
        return True
    segments = path_segments(rel)
    if any(s.key in PARTIAL_DIRS or s.raw.lower() in PARTIAL_DIRS for s in segments if not s.is_file):
        return True
    return bool(segments) and segments[-1].is_file and segments[-1].key in LAYOUT_STEMS


def generic_page(rel: str) -> bool:
    pages = generic_pages()
    return any(s.key in pages for s in path_segments(rel))


# --------------------------------------------------------------------------------------------
# markup and script text


_NOT_NEWLINE = lazy_pattern(r"[^\n]")


def _blank(match: re.Match) -> str:
    return _NOT_NEWLINE.sub(" ", match.group())


@lru_cache(maxsize=64)
def _has_letters(delimiters: str) -> bool:
    return any(c.isalpha() for c in delimiters)


def _blank_blocks(text: str, opener: str, closer: str, keep_open_tag: bool = False) -> str:
    """Blank `opener … closer` blocks (e.g. `<!--`…`-->`, `<script`…`</script>`), linear time.

    Delimiters with letters match in lower or upper case (`<script>`, `<SCRIPT>`).
    """
    if _has_letters(opener + closer):
        if opener.lower() not in text and opener.upper() not in text:
            return text  # (a mixed-case `<Script` is not looked for)
        lower = text.lower()
    else:
        if opener not in text:
            return text
        lower = text
    pieces = []
    pos = 0
    while True:
        start = lower.find(opener, pos)
        if start < 0:
            break
        body = start
        if keep_open_tag:
            gt = lower.find(">", start)
            if gt < 0:
                break
            body = gt + 1
        end = lower.find(closer, body)
        stop = len(text) if end < 0 else end + (0 if keep_open_tag else len(closer))
        pieces.append(text[pos:body])
        pieces.append(_NOT_NEWLINE.sub(" ", text[body:stop]))
        pos = stop
        if end < 0:
            break
    pieces.append(text[pos:])
    return "".join(pieces)


# strings first (so "//" in a URL is not a comment); every alternative also ends at the end of
# the text (or line), so an unclosed string or comment is consumed once: linear on any input
_JS_COMMENT = lazy_pattern(
    r"(\"(?:\\.|[^\"\\\n])*(?:\"|$)|'(?:\\.|[^'\\\n])*(?:'|$)|`(?:\\.|[^`\\])*(?:`|\Z))"
    r"|(/\*.*?(?:\*/|\Z)|//[^\n]*)",
    re.DOTALL | re.MULTILINE,
)


def _blank_js_comments(text: str) -> str:
    if "//" not in text and "/*" not in text:
        return text
    return _JS_COMMENT.sub(lambda m: m.group(1) if m.group(1) is not None else _blank(m), text)


_MEMO: dict[str, tuple] = {}


def _memo(name: str, key, compute):
    """The last result of `compute` for this key: health and signals both read the same file text,
    one after the other, so each view of it is computed once. Keys hold the text objects themselves
    (compared by identity), so a new text never reuses an old result."""
    last = _MEMO.get(name)
    if last is not None and len(last[0]) == len(key) and all(a is b for a, b in zip(last[0], key)):
        return last[1]
    value = compute()
    _MEMO[name] = (key, value)
    return value


def strip_comments(rel: str, text: str, kind: str | None) -> str:
    """The text with every comment blanked (same length, same lines)."""
    return _memo("clean", (rel, text, kind), lambda: _strip_comments(rel, text, kind))


def _strip_comments(rel: str, text: str, kind: str | None) -> str:
    if kind == "script":
        return _blank_js_comments(text)
    # the template comments of the file's dialect, as the markup parser blanks them (one table:
    # rules/dialects.toml), then HTML comments, an unclosed one to the end as browsers read it
    dialect = dialect_for(posixpath.basename(rel))
    if dialect is not None:
        text = blank_comments(text, dialect.comments)
    return blank_html_comments(text, unclosed_runs_to_end=True)


def visible_markup(text: str) -> str:
    """Markup with <script>/<style> bodies blanked (comments already blanked)."""
    return _memo("visible", (text,), lambda: _visible_markup(text))


def _visible_markup(text: str) -> str:
    text = _blank_blocks(text, "<script", "</script", keep_open_tag=True)
    return _blank_blocks(text, "<style", "</style", keep_open_tag=True)


# template tags, markup tags and expressions; an unclosed one runs to the end (linear)
_INNER_DROP = lazy_pattern(
    r"\{%.*?(?:%\}|\Z)|\{\{.*?(?:\}\}|\Z)|\{!!.*?(?:!!\}|\Z)|<%.*?(?:%>|\Z)|<\?.*?(?:\?>|\Z)|<[^>]*(?:>|\Z)"
    r"|\{[^{}]*\}|@\w+(?:\([^)]{0,200}\))?",
    re.DOTALL,
)


_ENTITY = lazy_pattern(r"&(?!rsquo;|#0?39;|#x27;|apos;)(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")


def inner_text(fragment: str) -> str:
    """Readable text of a markup fragment: tags and template expressions dropped."""
    text = _INNER_DROP.sub(" ", fragment)
    return " ".join(html.unescape(text).split())


class Lines:
    """Offset → 1-based line number (the newlines are found on the first question)."""

    def __init__(self, text: str):
        self._text = text
        self._starts: list[int] | None = None

    def line(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [m.start() for m in re.finditer("\n", self._text)]
        return bisect.bisect_right(self._starts, offset - 1) + 1


# (a literal the pattern needs, the pattern); the first reads the visible markup, the rest the
# text with comments blanked (template tags and scripts kept)
_TITLE_PATTERNS = [
    ("<title", lazy_pattern(r"<title\b[^>]{0,300}>(.{0,600}?)</title\s*>", re.DOTALL | re.IGNORECASE)),
    ("block", lazy_pattern(r"\{%-?\s*block\s+(?:page_|head_|meta_|html_)?title\s*-?%\}(.{0,400}?)\{%-?\s*endblock", re.DOTALL)),
    ("set", lazy_pattern(r"\{%-?\s*set\s+(?:page_)?title\s*=\s*[\"'](.{1,300}?)[\"']")),
    ("@section", lazy_pattern(r"@section\(\s*['\"](?:page_?)?title['\"]\s*,\s*['\"](.{1,300}?)['\"]\s*\)", re.IGNORECASE)),
    ("@section", lazy_pattern(r"@section\(\s*['\"](?:page_?)?title['\"]\s*\)(.{0,300}?)@(?:endsection|stop|show)", re.DOTALL | re.IGNORECASE)),
    # `\s*(?:\(\s*)?`, not `\s*\(?\s*`: two white-space runs side by side backtrack quadratically
    (":", lazy_pattern(r"\b(?:content_for|provide)\s*(?:\(\s*)?:(?:page_)?title\s*,\s*[\"'](.{1,300}?)[\"']")),
    ("content_for", lazy_pattern(r"\bcontent_for\s*(?:\(\s*)?:(?:page_)?title\s*(?:\)\s*)?do\s*-?%>(.{0,300}?)<%", re.DOTALL)),
    ("document.title", lazy_pattern(r"\bdocument\.title\s*=\s*[\"'`](.{1,300}?)[\"'`]")),
    (
        "title:",
        lazy_pattern(
            r"\b(?:metadata|useHead|useSeoMeta|head|generateMetadata)\b[^;]{0,300}?\btitle\s*:\s*[\"'`](.{1,300}?)[\"'`]",
            re.DOTALL,
        ),
    ),
]
_DESCRIPTION_JS = lazy_pattern(
    r"\b(?:metadata|useHead|useSeoMeta|head)\b[^;]{0,600}?\bdescription\s*:\s*[\"'`](.{1,400}?)[\"'`]", re.DOTALL
)
_HEADING = lazy_pattern(r"<h([1-3])\b[^>]{0,300}>(.{0,600}?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_META = lazy_pattern(r"<meta\b([^>]{0,800})>", re.IGNORECASE)
# a name starts where a run of name characters starts (the look-behind): tried from every
# character of a long run, the name was read again each time (quadratic in a 1,200-character tag)
_ATTR = lazy_pattern(r"(?<![\w:.@\[\]()-])([\w:.@\[\]()-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>`{}]+))")
# front matter longer than this is not read for titles: a text whose first line is `---` but that
# has no front matter (a YAML document, a Markdown rule) is not read down to some later `---` line
FRONT_MATTER_CHARS = 4000
_FM_FIELD = lazy_pattern(r"^(title|description|summary)\s*:\s*[\"']?(.+?)[\"']?\s*$", re.MULTILINE | re.IGNORECASE)
_TITLE_SPLIT = lazy_pattern(r"\s+[|\u2013\u2014\u00b7\u2022\u00bb~]\s+|\s+-\s+|\s*\|\s*")


def attributes(fragment: str) -> dict[str, str]:
    found = {}
    for name, double, single, bare in _ATTR.findall(fragment):
        # findall gives "" for a group that did not take part: an empty quoted value is the
        # first non-empty of the three, or ""
        found[name.lower()] = double or single or bare
    return found


@dataclass
class Text:
    text: str
    line: int
    zone: str  # "title", "h1", "secondary"


def titles_and_headings(clean: str, visible: str, lines: Lines) -> list[Text]:
    """Titles, h1-h3 and descriptions of a page (comments blanked; scripts kept for JS/TSX)."""
    return _memo("texts", (clean, visible), lambda: _titles_and_headings(clean, visible, lines))


def _fields_length(block: str) -> int:
    """The length of a front matter block without the line break that ends its last line."""
    return len(block) - (2 if block.endswith("\r\n") else 1 if block.endswith("\n") else 0)


def _titles_and_headings(clean: str, visible: str, lines: Lines) -> list[Text]:
    found: list[Text] = []
    front = front_matter(clean)
    if front is not None and _fields_length(front[1]) <= FRONT_MATTER_CHARS:
        start, block = front
        for m in _FM_FIELD.finditer(block):
            zone = "title" if m.group(1).lower() == "title" else "secondary"
            found.append(Text(m.group(2), lines.line(start + m.start()), zone))
    lowered = clean.lower()
    for index, (literal, pattern) in enumerate(_TITLE_PATTERNS):
        if literal not in (lowered if index == 0 else clean):
            continue
        for m in pattern.finditer(visible if index == 0 else clean):
            found.append(Text(inner_text(m.group(1)), lines.line(m.start()), "title"))
    if "description:" in clean:
        for m in _DESCRIPTION_JS.finditer(clean):
            found.append(Text(m.group(1), lines.line(m.start()), "secondary"))
    if "<h" in lowered:
        for m in _HEADING.finditer(visible):
            zone = "h1" if m.group(1) == "1" else "secondary"
            found.append(Text(inner_text(m.group(2)), lines.line(m.start()), zone))
    if "<meta" in lowered:
        for m in _META.finditer(visible):
            attrs = attributes(m.group(1))
            name = (attrs.get("name") or attrs.get("property") or "").lower()
            content = attrs.get("content")
            if not content:
                continue
            if name in ("og:title", "twitter:title"):
                found.append(Text(html.unescape(content), lines.line(m.start()), "title"))
            elif name in ("description", "og:description", "twitter:description"):
                found.append(Text(html.unescape(content), lines.line(m.start()), "secondary"))
    return [t for t in found if t.text.strip()]


def title_parts(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]


# --------------------------------------------------------------------------------------------
# forms

_CONTROL = lazy_pattern(r"<((?i:input|textarea|select)|[A-Z][\w.]*(?:Input|Field|Picker|Select|TextArea|Textarea))\b([^>]{0,1200})>")
_LABEL = lazy_pattern(r"<label\b[^>]{0,300}>(.{0,300}?)</label\s*>", re.DOTALL | re.IGNORECASE)
_FIELD_ATTRS = (
    "name", "id", "aria-label", "autocomplete", "label", "v-model", "formcontrolname",
    "ng-model", "data-field", "[(ngmodel)]", "bind:value",
)
# a placeholder is an example of what to type, not the field's purpose: it is read only for a
# field nothing else names (`<input name="agency" placeholder="Insurance agency name">` asks for
# an agency, not a member id)
_PLACEHOLDER_ATTR = "placeholder"
_REGISTER = lazy_pattern(r"\{\s*\.\.\.\s*register\(\s*[\"'`]([^\"'`]{1,100})")
_JSX_VALUE = lazy_pattern(r"\b(name|id|label|aria-label)\s*=\s*\{\s*[\"'`]([^\"'`]{1,200})[\"'`]\s*\}")
_RAILS_FIELD = lazy_pattern(
    r"\b\w+\.(?:text_field|text_area|date_field|date_select|select|email_field|telephone_field|number_field|"
    r"check_box|collection_select|radio_button|search_field)\s*(?:\(\s*)?:(\w+)"
)
_FORM_HELPER = lazy_pattern(r"\{\{\s*form\.(\w+)|\bForm::\w+\(\s*['\"](\w+)['\"]")
_SEARCHY_NAMES = frozenset({"q", "query", "search", "s", "keyword", "keywords", "term", "terms", "search term"})

FIELD_KINDS = [
    ("date of birth", lazy_pattern(r"\b(dob|date of birth|birth ?date|date birth|bday|birth day|geburtsdatum)\b")),
    (
        "symptoms",
        lazy_pattern(
            r"\b(symptoms?|reason for (?:your )?(?:visit|appointment)|visit reason|chief complaint|"
            r"(?:medical|health) concerns?|describe (?:your )?(?:symptoms|condition|concern|problem))\b"
        ),
    ),
    (
        "diagnoses",
        lazy_pattern(
            r"\b(diagnos[ie]s|(?:medical|health|existing|pre ?existing|chronic) conditions?|"
            r"medical history|health history|past illness(?:es)?)\b"
        ),
    ),
    ("medications", lazy_pattern(r"\b(medications?|current meds|meds|prescriptions?|rx (?:number|no)|dosage|preferred pharmacy)\b")),
    ("allergies", lazy_pattern(r"\b(allerg(?:y|ies)|allergic)\b")),
    (
        "an insurance member id",
        lazy_pattern(
            r"\b(member (?:id|number|no)|insurance (?:id|member|number|policy|provider|carrier|plan|company)|"
            r"policy (?:number|no|id)|subscriber (?:id|number|no)|group (?:number|no)|medicaid (?:id|number|no)|"
            r"medicare (?:id|number|no)|mbi|insurance|insurer|health plan)\b"
        ),
    ),
    ("a medical record number", lazy_pattern(r"\b(mrn|medical record (?:number|no)|patient (?:id|number|no))\b")),
]


def field_words(value: str) -> str:
    value = _CAMEL.sub(" ", value)
    return " ".join(w.lower() for w in re.split(r"[^0-9A-Za-z]+", value) if w)


def _field_kinds(value: str) -> list[str]:
    normal = field_words(value)
    if not normal or normal in _SEARCHY_NAMES:
        return []
    return [name for name, pattern in FIELD_KINDS if pattern.search(normal)]


@dataclass
class FormField:
    kind: str  # what the field asks for ("date of birth")
    name: str  # the name or label as written
    line: int


def form_fields(clean: str, lines: Lines) -> list[FormField]:
    """Fields of a form that ask for health information (search boxes and hidden fields aside)."""
    found: list[FormField] = []
    lowered = clean.lower()
    if "<input" in lowered or "<textarea" in lowered or "<select" in lowered or "field" in lowered or "input" in lowered:
        for m in _CONTROL.finditer(clean):
            attrs = attributes(m.group(2))
            kind = (attrs.get("type") or "").lower()
            if kind in ("hidden", "search", "submit", "button", "password") or attrs.get("role") == "search":
                continue
            placeholder = (attrs.get("placeholder") or "").strip().lower()
            if placeholder.startswith(("search", "find ")):
                continue
            values = [attrs[a] for a in _FIELD_ATTRS if attrs.get(a)]
            values += [v for _, v in _JSX_VALUE.findall(m.group(2))]
            values += _REGISTER.findall(m.group(2))
            if not values and attrs.get(_PLACEHOLDER_ATTR):
                values = [attrs[_PLACEHOLDER_ATTR]]
            if any(field_words(v) in _SEARCHY_NAMES for v in values[:1]):
                continue
            for value in values:
                for field_kind in _field_kinds(value):
                    found.append(FormField(field_kind, value, lines.line(m.start())))
    if "<label" in lowered:
        for m in _LABEL.finditer(clean):
            label = inner_text(m.group(1))
            if not label or label.lower().startswith(("search", "find ")):
                continue
            for field_kind in _field_kinds(label):
                found.append(FormField(field_kind, label, lines.line(m.start())))
    helpers = []
    if "_field" in clean or "text_area" in clean or "select" in clean or "check_box" in clean:
        helpers.append(_RAILS_FIELD)
    if "form." in clean or "Form::" in clean:
        helpers.append(_FORM_HELPER)
    for pattern in helpers:
        for m in pattern.finditer(clean):
            value = next(g for g in m.groups() if g)
            for field_kind in _field_kinds(value):
                found.append(FormField(field_kind, value, lines.line(m.start())))
    return found


def describe_fields(fields: list[FormField]) -> str:
    kinds = list(dict.fromkeys(f.kind for f in fields))
    names = list(dict.fromkeys(f.name for f in fields))[:3]
    what = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"form asks for {what} ({', '.join(f'`{n}`' for n in names)})"


# --------------------------------------------------------------------------------------------
# one file

# a file that renders the pages around it (a layout or app shell) rather than being one
_LAYOUT_CONTENT = [
    ("jinja", lazy_pattern(r"\{%-?\s*block\s+\w+")),
    ("blade", lazy_pattern(r"@yield\s*\(|\{\{\s*\$slot\s*\}\}")),
    ("erb", lazy_pattern(r"<%=\s*yield\b")),
    ("handlebars", lazy_pattern(r"\{\{\{\s*body\s*\}\}\}")),
    ("ejs", lazy_pattern(r"<%-\s*body\s*%>")),
    ("liquid", lazy_pattern(r"\{\{-?\s*content\s*-?\}\}")),
    ("any", lazy_pattern(r"<g:layoutBody\b|@RenderBody\s*\(|<#nested\b")),
    ("component", lazy_pattern(r"<(?:router-view|RouterView|Outlet|slot)\b|\{\s*(?:props\.)?children\s*\}|\{@render\s+children")),
]
_EXTENDS = lazy_pattern(r"\{%-?\s*extends\b|@extends\s*\(|<x-[\w.-]*layout\b|^layout\s*:", re.MULTILINE)
PARTIAL_STEMS = name_keys(
    "header", "footer", "head", "nav", "navbar", "navigation", "sidebar", "menu", "topbar", "scripts",
    "analytics", "tracking", "gtm", "tag-manager", "pixel", "pixels", "meta-tags", "seo", "breadcrumbs",
)


def layout_by_content(rel: str, clean: str) -> bool:
    """A layout, wrapper component or app shell: it renders its pages' content into itself."""
    name = rel.lower()
    for syntax, pattern in _LAYOUT_CONTENT:
        if syntax == "jinja":
            if not name.endswith((".html", ".htm", ".njk", ".nunjucks", ".jinja", ".jinja2", ".j2", ".twig", ".djhtml", ".liquid")):
                continue
            if pattern.search(clean) and not _EXTENDS.search(clean):
                return True
            continue
        if syntax == "blade" and not name.endswith(".blade.php"):
            continue
        if syntax in ("erb", "ejs") and not name.endswith((".erb", ".rhtml", ".ejs")):
            continue
        if pattern.search(clean):
            return True
    return False


# the words of a page's visible text, tags, template expressions and entities skipped: one
# C-level findall gives what blanking those and then finding words would (words are `_WORD`)
_BODY_WORD = lazy_pattern(r"(?:" + _INNER_DROP.pattern + "|" + _ENTITY.pattern + r")|(" + _WORD.pattern + ")", re.DOTALL)


@dataclass
class PageFacts:
    """What one file says about health."""

    rel: str
    texts: list[Text] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)
    body: str | None = None  # the visible text of a markup page, read only when needed
    lines: Lines | None = None
    _body_terms: list[tuple[Term, int]] | None = None

    @property
    def body_terms(self) -> list[tuple[Term, int]]:
        """Distinct strong terms of the page text with the line of their first use."""
        if self._body_terms is None:
            body, lines = self.body, self.lines
            self._body_terms = _body_terms(body, lines) if body is not None and lines is not None else []
        return self._body_terms


def _body_terms(visible: str, lines: Lines) -> list[tuple[Term, int]]:
    vocab = vocabulary()
    body = visible[:MAX_BODY_CHARS]
    if not vocab.may_have_exact(body):
        # the common case, without offsets: fewer than BODY_MIN_TERMS distinct strong terms
        # decide nothing, so their lines are never shown
        tokens = [t for t in _BODY_WORD.findall(body) if t]
        strong = {term.key for _, _, term in vocab.token_terms(tokens) if not term.weak}
        if len(strong) < BODY_MIN_TERMS:
            return []
    body = _ENTITY.sub(_blank, _INNER_DROP.sub(_blank, body))
    seen: dict[str, tuple[Term, int]] = {}
    for hit in vocab.find(body):
        if not hit.term.weak and hit.term.key not in seen:
            seen[hit.term.key] = (hit.term, lines.line(hit.start))
    return list(seen.values())


def analyse(rel: str, clean: str, kind: str | None) -> PageFacts:
    """Titles, headings, page text and form fields of a file whose comments are blanked."""
    facts = PageFacts(rel)
    lines = Lines(clean)
    visible = visible_markup(clean) if kind == "markup" else clean
    facts.texts = titles_and_headings(clean, visible, lines)
    facts.fields = form_fields(clean, lines)
    if kind == "markup" and not generic_page(rel):
        facts.body, facts.lines = visible, lines
    return facts


def file_kind(rel: str, repo) -> str | None:
    if repo is not None:
        kind = repo.kind(rel)
        if kind is not None:
            return kind
    from phi_lint.discovery import classify

    return classify(posixpath.basename(rel))


def page_like(rel: str, clean: str) -> bool:
    """Not a partial, a layout or an app shell (by its name or its content)."""
    if partial_by_name(rel):
        return False
    segments = path_segments(rel)
    if segments and segments[-1].is_file and segments[-1].key in PARTIAL_STEMS:
        return False
    return not layout_by_content(rel, clean)


def infer_page(rel: str, text: str, repo) -> list[Inference]:
    """What one page says of itself (path, titles, headings, text, forms). The scan runs this
    only for the pages a tracker reaches and the layouts they extend: nothing else is judged."""
    kind = file_kind(rel, repo)
    found: list[Inference] = []
    if kind not in PAGE_KINDS:
        return found
    signal = path_signal(rel, kind, scan_prefix(repo))
    if signal:
        found.append(Inference(rel, "health", signal[0], rel))
    clean = strip_comments(rel, text, kind)
    if not page_like(rel, clean):
        return found  # its forms reach the pages that render it (infer_project)
    home = rel in _home_pages(repo) if repo is not None else _home_by_name(rel)
    found.extend(decide(analyse(rel, clean, kind), home=home))
    return found


def decide(facts: PageFacts, home: bool = False) -> list[Inference]:
    """Title/heading/text/form inferences of one page-like file."""
    out: list[Inference] = []
    rel = facts.rel
    if facts.fields:
        first = min(facts.fields, key=lambda f: f.line)
        out.append(Inference(rel, "health", describe_fields(facts.fields), rel, first.line))
    if home or generic_page(rel):
        return out
    vocab = vocabulary()
    zones: dict[str, list[tuple[Term, Text]]] = {"title": [], "h1": [], "secondary": []}
    for item in facts.texts:
        text = item.text
        if item.zone == "title":
            parts = title_parts(text)
            if len(parts) > 1:
                text = " | ".join(parts[:-1])  # "Asthma care | Lakeside Clinic": the last part is the site
        for term in distinct(vocab.find(text)):
            zones[item.zone].append((term, item))
    for zone, label in (("title", "page title"), ("h1", "<h1>")):
        strong = _unique(t for t in zones[zone] if not t[0].weak)
        weak = _unique(t for t in zones[zone] if t[0].weak)
        if strong or len(weak) >= 2:
            chosen = strong[:1] if strong else weak[:2]
            terms = " and ".join(f"`{t.text}`" for t, _ in chosen)
            out.append(Inference(rel, "health", f"{label} mentions {terms}", rel, chosen[0][1].line))
            return out
    heading_terms = _unique(t for z in ("title", "h1", "secondary") for t in zones[z] if not t[0].weak)
    if len(heading_terms) >= HEADINGS_MIN_TERMS:
        terms = ", ".join(f"`{t.text}`" for t, _ in heading_terms[:3])
        out.append(Inference(rel, "health", f"headings mention {terms}", rel, heading_terms[0][1].line))
        return out
    if len(facts.body_terms) >= BODY_MIN_TERMS:
        terms = ", ".join(t.text for t, _ in facts.body_terms[:4])
        more = "" if len(facts.body_terms) <= 4 else ", …"
        text = f"page text mentions {len(facts.body_terms)} health terms ({terms}{more})"
        out.append(Inference(rel, "health", text, rel, facts.body_terms[0][1], weak=True))
    return out


def _unique(items) -> list[tuple[Term, Text]]:
    seen: dict[str, tuple[Term, Text]] = {}
    for term, text in items:
        seen.setdefault(term.key, (term, text))
    return list(seen.values())


# --------------------------------------------------------------------------------------------
# route URLs: a route's URL names its page's segments (phi_lint.frameworks.routes reads them)

def route_path(url: str) -> str:
    """A URL as a path of directories, parameters left out: `/conditions/<slug>` → `conditions/`."""
    parts = [p for p in re.split(r"[/?#]", url) if p and not re.match(r"^[<:{\[(*]", p)]
    return "/".join(parts) + "/" if parts else ""


# --------------------------------------------------------------------------------------------
# home pages: `home.html`, or an index/default/page file with no index file above it

def _home_by_name(rel: str) -> bool:
    segments = path_segments(rel)
    return bool(segments) and segments[-1].is_file and segments[-1].key in EXPLICIT_HOME_STEMS


# every name whose stem is a home stem contains one of these (`landing` stems to `land`)
_HOME_HINTS = ("index", "default", "page", "home", "land")


def home_pages(files) -> set[str]:
    index_dirs: dict[str, str] = {}
    homes = set()
    for rel in files:
        name = rel.rpartition("/")[2]
        folded = _APOSTROPHES.sub("", name.lower())  # as _fold does: `ind'ex` is `index`
        if name.isascii() and not any(hint in folded for hint in _HOME_HINTS):
            continue  # a cheap test first: the file stem must name a home page
        last = _segment(name, True) if name else None
        if last is None:
            continue
        key = last.key
        if key in EXPLICIT_HOME_STEMS:
            homes.add(rel)
        elif key in HOME_STEMS and not partial_by_name(rel):
            index_dirs.setdefault(posixpath.dirname(rel), rel)
    for directory, rel in index_dirs.items():
        parent, above = directory, False
        while parent and parent != posixpath.dirname(parent):  # "/" is its own parent
            parent = posixpath.dirname(parent)
            if parent in index_dirs:
                above = True
                break
        if not above:
            homes.add(rel)
    return homes


def _home_pages(repo) -> set[str]:
    """Home pages of the run (computed once per RepoIndex, in each process)."""
    return repo.memo((__name__, "home pages"),
                     lambda: home_pages(rel for rel in repo.files if repo.kind(rel) in PAGE_KINDS))


# --------------------------------------------------------------------------------------------
# the run: a form in a partial makes the pages that render it health-related

RENDER_EDGES = frozenset({"include", "partial", "component", "embed"})
LAYOUT_EDGES = frozenset({"extends", "layout"})
MAX_PARTIALS_READ = 5000


def infer_project(repo, graph) -> list[Inference]:
    edges = [e for e in (getattr(graph, "edges", ()) or ()) if e.source != e.target]
    rendered = sorted({e.target for e in edges if e.kind in RENDER_EDGES})
    if not rendered:
        return []
    parents: dict[str, list[str]] = {}
    for edge in edges:
        if edge.kind in RENDER_EDGES:
            parents.setdefault(edge.target, []).append(edge.source)
    # a layout that includes the form is left alone: its label would pass to every page built
    # on it (a site-wide "request an appointment" footer does not make every page about health)
    layouts = {e.target for e in edges if e.kind in LAYOUT_EDGES}
    found: list[Inference] = []
    for rel in rendered[:MAX_PARTIALS_READ]:
        kind = repo.kind(rel)
        if kind not in PAGE_KINDS:
            continue
        text = repo.read(rel)
        if not text or not _FORM_HINT.search(text):
            continue
        clean = strip_comments(rel, text, kind)
        fields = form_fields(clean, Lines(clean))
        if not fields:
            continue
        evidence = f"renders `{rel}`, whose {describe_fields(fields)}"
        line = min(f.line for f in fields)
        seen = {rel}
        queue = list(parents.get(rel, ()))
        while queue and len(seen) < 10000:
            page = queue.pop()
            if page in seen or page in layouts:
                continue
            seen.add(page)
            found.append(Inference(page, "health", evidence, rel, line))
            queue.extend(parents.get(page, ()))
    return found


_FORM_HINT = lazy_pattern(r"<(?:input|textarea|select)\b|Input\b|Field\b|\.(?:text_field|date_field|text_area)\b|form\.\w+|Form::", re.IGNORECASE)
