"""Page URL paths from repository file paths, and the sensitive path vocabulary.

A tag-manager trigger talks about URLs (`{{Page Path}} starts with /portal`); the repository
has files (`templates/portal/dashboard.html`). `url_path` turns the second into the first the
way the usual frameworks route them, and `sensitive_word` says whether a path (or host) names
a portal or health area, from `rules/sensitive-paths.txt`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.lazyre import lazy_pattern
from phi_lint.resources import rules_dir

# directories that hold pages but are not part of their URL (the last one in a path wins)
ROOT_DIRS = frozenset(
    {
        "templates", "template", "views", "view", "pages", "app", "src", "public", "site", "www",
        "htdocs", "html", "public_html", "routes", "_site", "web", "webroot", "content",
    }
)
# file names that stand for their directory
INDEX_NAMES = frozenset({"index", "page", "+page", "_index", "default"})
_GROUP = lazy_pattern(r"^\(.*\)$")  # Next.js / SvelteKit route groups


@dataclass(frozen=True)
class Word:
    label: str  # authenticated | health
    word: str
    description: str
    plural: bool = True  # whether WORD + "s" counts too (`book!` in the file: /books is not booking)

    @property
    def prefix(self) -> bool:
        return self.word.endswith("*")


@lru_cache(maxsize=1)
def vocabulary() -> tuple[Word, ...]:
    """The entries of rules/sensitive-paths.txt (data, not code)."""
    words = []
    try:
        text = (rules_dir() / "sensitive-paths.txt").read_text(encoding="utf-8")
    except OSError:
        return ()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or parts[0] not in ("authenticated", "health"):
            continue
        word = parts[1].lower()
        plural = not word.endswith("!")
        word = word.rstrip("!")
        words.append(Word(parts[0], word, parts[2] if len(parts) > 2 else word, plural))
    return tuple(words)


def url_path(rel: str) -> str:
    """The URL path a page file is most likely served at: `templates/portal/index.html` → `/portal`."""
    parts = [p for p in rel.replace("\\", "/").split("/") if p]
    if not parts:
        return "/"
    dirs = parts[:-1]
    start = 0
    for i, name in enumerate(dirs):
        if name.lower() in ROOT_DIRS:
            start = i + 1
    rest = parts[start:]
    name = rest[-1] if rest else ""
    stem = name.split(".", 1)[0] if not name.startswith(".") else name
    rest = [*rest[:-1], stem] if rest else []
    if rest and rest[-1].lower() in INDEX_NAMES:
        rest = rest[:-1]
    rest = [p for p in rest if not _GROUP.match(p) and p]
    return "/" + "/".join(rest)


def _segment_matches(segment: str, word: Word) -> bool:
    if word.prefix:
        return fnmatch.fnmatchcase(segment, word.word)
    w = word.word
    if segment == w or segment.startswith(w + "-") or segment.endswith("-" + w) or ("-" + w + "-") in segment:
        return True
    return word.plural and (
        segment == w + "s"
        or (w.endswith("s") and segment == w[:-1])
        or segment.endswith("-" + w + "s")
        or ("-" + w + "s-") in segment
    )


_SPLIT = lazy_pattern(r"[/?#&=.]+")


@lru_cache(maxsize=16384)
def sensitive_word(path: str, host: str | None = None) -> tuple[Word, str] | None:
    """The first vocabulary word a URL path (or host) names, with the segment that names it."""
    segments = [s for s in _SPLIT.split(path.lower()) if s]
    if host:
        segments = [s for s in host.lower().split(".") if s] + segments
    for segment in segments:
        segment = segment.replace("_", "-")
        word = _segment_word(segment)
        if word is not None:
            return word, segment
    return None


@lru_cache(maxsize=65536)
def _segment_word(segment: str) -> Word | None:
    matches = [word for word in vocabulary() if _segment_matches(segment, word)]
    if not matches:
        return None
    # the most specific word: `patient-intake` rather than `patient`
    return max(matches, key=lambda w: (w.word == segment, len(w.word)))


@lru_cache(maxsize=1)
def sample_paths() -> tuple[tuple[str, Word], ...]:
    """One or two URL paths per vocabulary word (/portal, /portals/, /my-account …): probes for triggers."""
    out: list[tuple[str, Word]] = []
    for word in vocabulary():
        base = word.word[:-1] + "account" if word.prefix else word.word
        forms = [base] if word.prefix or base.endswith("s") or not word.plural else [base, base + "s"]
        for form in forms:
            out.append(("/" + form, word))
            out.append(("/" + form + "/", word))
    return tuple(out)


def describe_word(word: Word, segment: str) -> str:
    kind = "behind login" if word.label == "authenticated" else "health"
    return f"{word.description}, {kind}"


def normal_path(value: str) -> str:
    """A witness string as a URL path: `book` → `/book`; URLs keep only their path."""
    value = value.strip()
    if "://" in value:
        value = value.split("://", 1)[1]
        slash = value.find("/")
        value = value[slash:] if slash != -1 else "/"
    elif value and not value.startswith("/"):
        first = value.split("/", 1)[0]
        if "." in first and "/" in value and not first.startswith("."):  # host/path
            value = value[len(first):]
        else:
            value = "/" + value
    return value or "/"
