"""The loading shapes of one file: which URLs its code makes the browser fetch.

From the facts the parsers already extract (URL attributes of markup elements, string literals
of JavaScript), a URL is a load when it is:

- markup: `<script src>`, `<iframe src>`, `<link rel=preload|prefetch|modulepreload>` of a
  script, and an `<img>` that is a pixel (width or height 0 or 1, hidden, or, without a size
  larger than that, a URL with a query string that is not an ordinary picture file);
- JavaScript: the first argument of `fetch(…)`, `navigator.sendBeacon(…)`, `new WebSocket(…)`,
  `new EventSource(…)`, `import(…)`, `$.getScript(…)`, the URL of `xhr.open("GET", …)`, and the
  value of `x.src = …` or `x.setAttribute("src", …)` (a script, frame or image inserted at run
  time, `new Image().src = …` included).

A URL anywhere else (a link, a constant, a comment) is not a load: the browser does not fetch
it because the page was opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phi_lint import literalgates
from phi_lint.lazyre import lazy_pattern
from phi_lint.thirdparty.hosts import host_of


@dataclass(frozen=True)
class Load:
    host: str
    url: str
    kind: str  # the sighting kind: script, iframe, pixel, link, call, assignment
    shape: str  # what the code does, for messages: "script src", "fetch()", …
    start: int
    end: int


_ATTRIBUTE = lazy_pattern(r"""\s([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_PICTURE = lazy_pattern(r"\.(?:png|jpe?g|svg|webp|avif|ico|bmp|tiff?)$", re.IGNORECASE)
_HIDDEN_STYLE = lazy_pattern(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# the text just before a string literal's opening quote, for each JavaScript loading shape
_JS_SHAPES = [
    (lazy_pattern(r"\bfetch\s*\(\s*$"), "call", "fetch()"),
    (lazy_pattern(r"\bsendBeacon\s*\(\s*$"), "call", "navigator.sendBeacon()"),
    (lazy_pattern(r"\bnew\s+WebSocket\s*\(\s*$"), "call", "new WebSocket()"),
    (lazy_pattern(r"\bnew\s+EventSource\s*\(\s*$"), "call", "new EventSource()"),
    (lazy_pattern(r"\.open\s*\(\s*([\"'`])(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\1\s*,\s*$", re.IGNORECASE), "call",
     "XMLHttpRequest.open()"),
    (lazy_pattern(r"(?<![\w$.])import\s*\(\s*$"), "script", "import()"),
    (lazy_pattern(r"\bgetScript\s*\(\s*$"), "script", "getScript()"),
    (lazy_pattern(r"\.src\s*=\s*$"), "assignment", "src assignment"),
    (lazy_pattern(r"\.setAttribute\s*\(\s*([\"'])src\1\s*,\s*$"), "assignment", "setAttribute(\"src\")"),
]
_LOOK_BACK = 120


def _attributes(open_tag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(open_tag):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(match.group(1).lower(), value)
    return found


def _is_pixel(url: str, attributes: dict[str, str]) -> bool:
    sizes = [attributes.get(size, "").strip().removesuffix("px").strip() for size in ("width", "height")]
    if any(size in ("0", "1") for size in sizes):
        return True
    if "hidden" in attributes or _HIDDEN_STYLE.search(attributes.get("style", "")):
        return True
    if any(size.isdigit() for size in sizes):
        return False  # a picture shown at a size (an avatar with ?s=150): content, not a pixel
    path, question, query = url.partition("?")
    path = path.split("#", 1)[0]
    return bool(question and query) and (not _PICTURE.search(path))


def _is_script_hint(url: str, attributes: dict[str, str]) -> bool:
    rel = attributes.get("rel", "").lower().split()
    if "modulepreload" in rel:
        return True
    if not ({"preload", "prefetch"} & set(rel)):
        return False
    as_value = attributes.get("as", "").lower()
    return as_value == "script" or (not as_value and url.split("?", 1)[0].lower().endswith((".js", ".mjs")))


def _markup_load(fact, text: str, host: str) -> Load | None:
    context = fact.context
    if context == "script":
        return Load(host, fact.value, "script", "script src", fact.start, fact.end)
    if context == "iframe":
        return Load(host, fact.value, "iframe", "iframe src", fact.start, fact.end)
    if context not in ("img", "link"):
        return None  # source and embed: media a page shows, not a request made for a third party
    attributes = _attributes(text[fact.start : fact.end])
    if context == "img" and _is_pixel(fact.value, attributes):
        return Load(host, fact.value, "pixel", "image pixel", fact.start, fact.end)
    if context == "link" and _is_script_hint(fact.value, attributes):
        return Load(host, fact.value, "link", "link rel=" + attributes.get("rel", "").strip().lower(), fact.start, fact.end)
    return None


def _js_load(fact, text: str, host: str) -> Load | None:
    quote_at = fact.start - 1
    while quote_at >= 0 and text[quote_at] in " \t\r\n":
        quote_at -= 1  # white space the literal's value was trimmed of
    if quote_at < 0 or text[quote_at] not in "\"'`":
        return None
    before = text[max(0, quote_at - _LOOK_BACK) : quote_at]
    for pattern, kind, shape in _JS_SHAPES:
        if pattern.search(before):
            return Load(host, fact.value, kind, shape, fact.start, fact.end)
    return None


def file_loads(facts, text: str) -> list[Load]:
    """The loads of absolute URLs among the file's facts, in file order."""
    loads = []
    for fact in facts.urls:
        host = host_of(fact.value)
        if host is None:
            continue
        load = _js_load(fact, text, host) if fact.context == "js" else _markup_load(fact, text, host)
        if load is not None:
            loads.append(load)
    loads.sort(key=lambda load: (load.start, load.end))
    return loads


# a cheap look at the raw text before any parse: an absolute URL right after an element that
# loads or a name of a loading shape (most files with links only, `<a href="https://…">`, never
# need a parse for this). It is the answer of one regex,
#   (?:<(?:script|iframe|img|link)\b[^>]{0,2000}?|(?:fetch|…|src)[^\n;]{0,40}?)["'`=]\s*(?:(?:https?|wss?):)?//[a-z0-9]
# (case-blind), found URL first: that regex tried its alternation at every position of every
# file and was 55% of a cold scan's time on template-heavy code; URL starts are rare, and only
# the text just before each is looked at (tests/test_thirdparty_gates.py checks the two agree).
_URL_START = lazy_pattern(r"""["'`=]\s*(?:(?:https?|wss?):)?//[a-z0-9]""", re.IGNORECASE)
_LOADING_TAG = lazy_pattern(r"<(?:script|iframe|img|link)\b", re.IGNORECASE)
_LOADING_NAME = lazy_pattern(r"fetch|beacon|socket|eventsource|import|getscript|open|src", re.IGNORECASE)
TAG_REACH, NAME_REACH = 2000, 40  # characters between the tag or name and the URL's quote
_LONGEST_NAME = len("eventsource")


literalgates.register("//")


def may_load(text: str) -> bool:
    """Whether the file can hold a third-party load, so worth a parse for one."""
    if not literalgates.contains(text, "//"):
        return False
    for url in _URL_START.finditer(text):
        quote = url.start()
        if _after_loading_tag(text, quote) or _after_loading_name(text, quote):
            return True
    return False


def _after_loading_tag(text: str, quote: int) -> bool:
    """A loading element opens at most TAG_REACH characters before the quote, no `>` between."""
    start = max(0, quote - TAG_REACH - len("<iframe"))
    start = max(start, text.rfind(">", start, quote) + 1)
    return any(quote - tag.end() <= TAG_REACH for tag in _LOADING_TAG.finditer(text, start, quote))


def _after_loading_name(text: str, quote: int) -> bool:
    """A loading name ends at most NAME_REACH characters before the quote, no newline or `;`."""
    start = max(0, quote - NAME_REACH - _LONGEST_NAME)
    for name in _LOADING_NAME.finditer(text, start, quote):
        between = text[name.end() : quote]
        if len(between) <= NAME_REACH and "\n" not in between and ";" not in between:
            return True
    return False
