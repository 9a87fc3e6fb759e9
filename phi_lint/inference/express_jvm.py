"""Authenticated pages from Grails / Spring annotations. (Express / Koa / hapi routes are
phi_lint.frameworks.express.)

- `@Secured(…)` (not permitAll / IS_AUTHENTICATED_ANONYMOUSLY / isAnonymous()), `@PreAuthorize`
  with isAuthenticated() / hasRole… (not permitAll()), `@RolesAllowed` on a controller class or
  action; an annotation on the method overrides the class's, and `@PermitAll` removes it.
- Grails controllers (grails-app/controllers/…Controller.groovy): `render(view: 'x')` or the
  action's default view grails-app/views/<controller>/<action>.gsp.
- Spring MVC `@Controller` methods with a request mapping: `return "portal/dashboard"` (and
  `ModelAndView("…")`, `setViewName("…")`, Kotlin `= "…"`) → src/main/resources/templates/…
  (Thymeleaf, FreeMarker, Mustache) or WEB-INF/views|jsp/….jsp. `@RestController` renders no views.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass

from phi_lint import frameworks_data
from phi_lint.inference.model import Inference

JVM_ENDINGS = (".groovy", ".java", ".kt")


# ------------------------------------------------------------------ JVM


_JVM_HINT = re.compile(r"@(?:Secured|PreAuthorize|RolesAllowed|PermitAll)\b")
_PRE_GUARD = re.compile(
    r"isAuthenticated|isFullyAuthenticated|isRememberMe|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|hasPermission|principal|authentication|@\w|!\s*isAnonymous"
)
_KEYWORDS = {"if", "for", "while", "switch", "catch", "return", "new", "super", "this", "synchronized", "when", "try", "else", "throw", "assert"}
_MAPPINGS = {"RequestMapping", "GetMapping", "PostMapping", "PutMapping", "PatchMapping", "DeleteMapping"}
_ANNOTATION = re.compile(r"@([A-Za-z_][\w.]*)\s*(\()?")
_JVM_TOKEN_START = re.compile(r'"""|\'\'\'|"|\'|//|/\*')
# the contents of a one-line string up to where it stops (its closing quote, if there is one);
# the loop is unrolled so that `re` reads each character once
_LINE_STRING_BODY = {
    '"': re.compile(r'[^"\\\n]*(?:\\.[^"\\\n]*)*'),
    "'": re.compile(r"[^'\\\n]*(?:\\.[^'\\\n]*)*"),
}
_QUOTE = re.compile(r"[\"']")


class _LineStrings:
    """One-line string literals ("…", '…', backslash escapes), read left to right in linear time.

    A string that does not close on its line is no string. Every quote of its kind inside such a
    run is escaped (an unescaped one would have closed it), so a scan from just after it stops
    where the run stopped: the run is remembered instead of read again (a 400 KB line of `'\\`
    pairs was read once per quote).
    """

    def __init__(self, text: str):
        self.text = text
        self._open_until = {'"': -1, "'": -1}  # where the last unclosed run of each quote stopped

    def end(self, quote: str, body: int) -> int:
        """Offset after the closing quote of the string whose contents start at `body`, or -1."""
        if body <= self._open_until[quote]:
            return -1
        stop = _LINE_STRING_BODY[quote].match(self.text, body).end()
        if self.text.startswith(quote, stop):
            return stop + 1
        self._open_until[quote] = stop
        return -1


def _string_values(text: str) -> list[str]:
    """The contents of each one-line string literal in `text`, left to right."""
    values = []
    strings = _LineStrings(text)
    pos = 0
    while True:
        match = _QUOTE.search(text, pos)
        if match is None:
            return values
        end = strings.end(match.group(), match.end())
        if end < 0:
            pos = match.end()
        else:
            values.append(text[match.end() : end - 1])
            pos = end


def _mask(text: str) -> str:
    """Comments blanked, string contents replaced by `_` (quotes kept): offsets unchanged.

    One pass; an unterminated comment or text block runs to the end of the file.
    """
    parts: list[str] = []
    strings = _LineStrings(text)
    last = pos = 0
    while True:
        match = _JVM_TOKEN_START.search(text, pos)
        if match is None:
            break
        token = match.group()
        start, body = match.start(), match.end()
        if token == "//":
            end = text.find("\n", body)
            end = len(text) if end < 0 else end
            parts.append(text[last:start])
            parts.append(" " * (end - start))
        elif token == "/*":
            end = text.find("*/", body)
            end = len(text) if end < 0 else end + 2
            parts.append(text[last:start])
            parts.append(_NON_NEWLINE.sub(" ", text[start:end]))
        elif len(token) == 3:
            close = text.find(token, body)
            end = len(text) if close < 0 else close + 3
            inner_end = len(text) if close < 0 else close
            parts.append(text[last:body])
            parts.append(_NON_NEWLINE.sub("_", text[body:inner_end]))
            parts.append(text[inner_end:end])
        else:
            end = strings.end(token, body)
            if end < 0:  # an unterminated string (or a lone apostrophe): leave it
                pos = body
                continue
            parts.append(text[last:body])
            parts.append("_" * (end - 1 - body))
            parts.append(token)
        last = pos = end
    parts.append(text[last:])
    return "".join(parts)


_NON_NEWLINE = re.compile(r"[^\n]")


def _bracket_pairs(masked: str) -> dict[int, int]:
    """Offset of every `(` and `{` -> offset of the bracket that closes it (one pass)."""
    pairs: dict[int, int] = {}
    parens: list[int] = []
    braces: list[int] = []
    for match in _BRACKET.finditer(masked):
        char, at = match.group(), match.start()
        if char == "(":
            parens.append(at)
        elif char == "{":
            braces.append(at)
        elif char == ")":
            if parens:
                pairs[parens.pop()] = at
        elif braces:
            pairs[braces.pop()] = at
    return pairs


_BRACKET = re.compile(r"[(){}]")


@dataclass
class _Annotation:
    name: str  # simple name: "Secured"
    text: str  # as written, with its arguments
    start: int
    end: int


def _all_annotations(text: str, masked: str, pairs: dict[int, int]) -> list[_Annotation]:
    out = []
    for match in _ANNOTATION.finditer(masked):
        end = match.end()
        if match.group(2):
            close = pairs.get(match.end() - 1, -1)
            end = close + 1 if close >= 0 else match.end()
        out.append(_Annotation(match.group(1).rsplit(".", 1)[-1], text[match.start() : end], match.start(), end))
    return out


_CLASS_GAP = re.compile(r"[\s\w]*")
_METHOD_GAP = re.compile(r"[\s\w<>\[\],.?]*")


def _preceding(
    annotations: list[_Annotation], ends: list[int], masked: str, at: int, gap, gap_ends: dict
) -> list[_Annotation]:
    """The annotations directly before position `at` (only modifiers and types in between).

    `gap_ends` remembers, per gap pattern and annotation, where the run of gap characters after
    the annotation stops: each run is read once, not once per class or method after it (40k
    `class A` after one annotation read the file 40k times).
    """
    found = []
    index = bisect.bisect_right(ends, at) - 1
    current = at
    while index >= 0:
        annotation = annotations[index]
        key = (gap, index)
        gap_end = gap_ends.get(key)
        if gap_end is None:
            gap_end = gap_ends[key] = gap.match(masked, annotation.end).end()
        if annotation.end > current or gap_end < current:
            break
        found.append(annotation)
        current = annotation.start
        index -= 1
    return found


def _security(annos: list[_Annotation]) -> tuple[bool | None, str, int]:
    """(guarded?, annotation text, offset); guarded None when no security annotation."""
    for annotation in annos:
        name, full, offset = annotation.name, annotation.text, annotation.start
        strings = _string_values(full)
        if name == "PermitAll" or name == "AnonymousAllowed":
            return False, full, offset
        if name == "Secured":
            values = {s.strip().lower() for s in strings}
            if values & frameworks_data.name_set("spring", "anonymous-expressions"):
                return False, full, offset
            if strings or "closure" in full:
                return True, full, offset
        if name == "PreAuthorize":
            expr = " ".join(strings)
            if re.search(r"permitAll\s*\(\)", expr) or re.search(r"(?<!!)\bisAnonymous\s*\(\)", expr) and "!" not in expr:
                return False, full, offset
            if _PRE_GUARD.search(expr):
                return True, full, offset
        if name == "RolesAllowed":
            return True, full, offset
    return None, "", 0


def _short(annotation: str) -> str:
    flat = " ".join(annotation.split())
    return flat if len(flat) <= 70 else flat[:67] + "…"


_VIEW_RETURN = re.compile(
    r"\breturn\s+\"(_+)\"|ModelAndView\s*\(\s*\"(_+)\"|setViewName\s*\(\s*\"(_+)\"|\bviewName\s*=\s*\"(_+)\""
)
# Grails `render(view: 'x')`, `render view: 'x'`, `render(template: 't', view: 'x')`: the
# arguments before `view:` run to the first comma (before the call's `)` or the line's end) that
# `view: '…'` follows; without such a comma `view:` comes first. Each piece is read once (see
# _grails_render_views); the opening's white space is read once (possessive: `(?=(\s*))\1`).
_RENDER_OPENING = re.compile(r"\brender(?=(\s*))\1(?:\((?=(\s*))\2)?")
_VIEW_ARGUMENT = re.compile(r"view\s*:\s*[\"']([^\"'\n]+)[\"']")
_COMMA_BEFORE_VIEW = re.compile(r",(?=\s*view\s*:\s*[\"']([^\"'\n]+)[\"'])")
_CALL_OR_LINE_END = re.compile(r"[)\n]")
_SPRING_TEMPLATE_EXTS = (".html", ".ftlh", ".ftl", ".mustache", ".peb", ".jsp", ".gsp", ".vm")


def _grails_render_views(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the view name of each `render … view: '…'` between start and end.

    The same as finditer of `\\brender\\s*\\(?\\s*(?:[^)\\n]*?,\\s*)?view\\s*:\\s*["']([^"'\\n]+)["']`
    (lazy arguments: the first good comma wins over `view:` right after the opening), without its
    backtracking: a `render` followed by 4,000 spaces took cubic time, and every `render` on a
    long line read the rest of the line again. Here the commas that a `view: '…'` follows and the
    `)` / line ends are listed once, and each `render` looks its comma up.
    """
    commas = [(m.start(), m.start(1), m.end(1)) for m in _COMMA_BEFORE_VIEW.finditer(masked, start, end)]
    comma_offsets = [comma[0] for comma in commas]
    stops = [m.start() for m in _CALL_OR_LINE_END.finditer(masked, start, end)]
    found: list[tuple[int, int]] = []
    resume = start  # finditer goes on after the last match
    for opening in _RENDER_OPENING.finditer(masked, start, end):
        if opening.start() < resume:
            continue
        args = opening.end()
        at = bisect.bisect_left(comma_offsets, args)
        stop_at = bisect.bisect_left(stops, args)
        stop = stops[stop_at] if stop_at < len(stops) else end
        if at < len(commas) and commas[at][0] < stop:
            span = commas[at][1:]
        else:
            direct = _VIEW_ARGUMENT.match(masked, args, end)
            if direct is None:
                continue
            span = direct.span(1)
        found.append(span)
        resume = span[1] + 1
    return found


def _grails_controller(rel: str, class_name: str) -> tuple[str, str] | None:
    marker = "grails-app/controllers/"
    at = rel.find(marker)
    if at < 0 or (at > 0 and rel[at - 1] != "/") or not class_name.endswith("Controller") or class_name == "Controller":
        return None
    logical = class_name[: -len("Controller")]
    if not (len(logical) > 1 and logical[1].isupper()):
        logical = logical[0].lower() + logical[1:]
    return rel[:at] + "grails-app/views", logical


def _spring_view(repo, rel: str, view: str) -> str | None:
    view = view.strip().lstrip("/")
    if not view or view.startswith(("redirect:", "forward:")) or "{" in view or "$" in view:
        return None
    at = rel.find("src/main/")
    module = rel[:at] if at >= 0 and (at == 0 or rel[at - 1] == "/") else ""
    has_ext = bool(posixpath.splitext(posixpath.basename(view))[1])
    exts = [""] if has_ext else list(_SPRING_TEMPLATE_EXTS)
    bases = [
        "src/main/resources/templates", "src/main/webapp/WEB-INF/views", "src/main/webapp/WEB-INF/jsp",
        "src/main/webapp/WEB-INF/templates", "src/main/resources/META-INF/resources/WEB-INF/jsp",
        "src/main/resources/META-INF/resources/WEB-INF/views", "src/main/webapp",
    ]
    candidates = [module + base + "/" + view + ext for base in bases for ext in exts]
    found = repo.first(candidates)
    if found:
        return found
    for tail in ("templates/", "WEB-INF/views/", "WEB-INF/jsp/"):
        for ext in exts:
            matches = repo.by_suffix(tail + view + ext)
            if len(matches) == 1:
                return matches[0]
    return None


_MAX_CLASSES = 200  # controller classes looked at per file


def _jvm_infer(rel: str, text: str, repo) -> list[Inference]:
    if not _JVM_HINT.search(text):
        return []
    masked = _mask(text)
    pairs = _bracket_pairs(masked)
    annotations = _all_annotations(text, masked, pairs)
    newlines = [m.start() for m in re.finditer("\n", text)]
    ends = [a.end for a in annotations]
    gap_ends: dict = {}
    out: list[Inference] = []
    looked = 0
    views_of: dict[str, str | None] = {}

    def spring_view(value: str) -> str | None:
        if value not in views_of:
            views_of[value] = _spring_view(repo, rel, value)
        return views_of[value]

    for cls in re.finditer(r"\bclass\s+(\w+)", masked):
        class_name = cls.group(1)
        class_annos = _preceding(annotations, ends, masked, cls.start(), _CLASS_GAP, gap_ends)
        names = {a.name for a in class_annos}
        grails = _grails_controller(rel, class_name)
        spring = "Controller" in names and "RestController" not in names
        if not grails and not spring:
            continue
        looked += 1
        if looked > _MAX_CLASSES:
            break
        open_at = masked.find("{", cls.end())
        if open_at < 0:
            continue
        close_at = pairs.get(open_at, len(masked))
        class_guard = _security(class_annos)
        for name, name_at, body_start, body_end, expression in _methods(masked, pairs, open_at, close_at):
            annos = _preceding(annotations, ends, masked, name_at, _METHOD_GAP, gap_ends)
            guard = _security(annos)
            if guard[0] is None:
                guard = class_guard
            if not guard[0]:
                continue
            views: list[str] = []
            if grails:
                views_root, logical = grails
                for value_start, value_end in _grails_render_views(masked, body_start, body_end):
                    value = text[value_start:value_end]
                    path = value.lstrip("/") if value.startswith("/") else f"{logical}/{value}"
                    target = f"{views_root}/{path}" + ("" if value.endswith(".gsp") else ".gsp")
                    if repo.exists(target):
                        views.append(target)
                default = f"{views_root}/{logical}/{name}.gsp"
                if repo.exists(default):
                    views.append(default)
            else:
                if not any(a.name in _MAPPINGS for a in annos):
                    continue
                for match in _VIEW_RETURN.finditer(masked, body_start, body_end):
                    group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
                    target = spring_view(text[match.start(group) : match.end(group)])
                    if target:
                        views.append(target)
                if expression:
                    literal = _EXPRESSION_STRING.match(masked, body_start, body_end)
                    if literal:
                        target = spring_view(text[literal.start(1) : literal.end(1)])
                        if target:
                            views.append(target)
            line = bisect.bisect_left(newlines, guard[2]) + 1
            what = f"{_short(guard[1])} on `{class_name}.{name}`"
            for view in dict.fromkeys(views):
                out.append(Inference(view, "authenticated", what, rel, line))
    return out


_EXPRESSION_STRING = re.compile(r'\s*"(_+)"')
_MEMBER_TOKEN = re.compile(r"[{};]|@[A-Za-z_][\w.]*\s*\(|\bdef\s+(\w+)\s*=\s*\{|(?<![.@\w$])([A-Za-z_$][\w$]*)\s*\(")
# after a method's parameter list: an optional Kotlin/Groovy return type (`: T`), an optional
# `throws` list, then the body's `{` or an expression body's `=` (see _body_opening)
_BODY_START = re.compile(r"[{=]")
_SPACES = re.compile(r"\s*")
_ONE_SPACE = re.compile(r"\s")
_TYPE_CHARS = re.compile(r"[\w<>?,.\[\] ]*")
_THROWS_LIST_CHARS = re.compile(r"[\w.,\s]*")
_THROWS_CLAUSE = re.compile(r"throws\s[\w.,\s]+")


def _body_opening(masked: str, start: int, end: int) -> int | None:
    """Offset of the `{` or `=` that opens a method body, for the text after its `)` (start..end).

    The same as matching `\\s*(?::\\s*T+?)?\\s*(?:throws\\s+L+?)?\\s*(\\{|=(?!=))` at start (T: type
    characters `[\\w<>?,.\\[\\] ]`, L: `[\\w.,\\s]`), without its backtracking over white space (a
    508-byte `show(): ` + spaces + `throws` took half a minute). Nothing before the body can be a
    `{` or `=`, so the body starts at the first one, if the text before it has the shape above.
    """
    found = _BODY_START.search(masked, start, end)
    if found is None:
        return None
    at = found.start()
    if masked[at] == "=" and at + 1 < end and masked[at + 1] == "=":
        return None
    return at if _is_signature_tail(masked[start:at]) else None


def _is_signature_tail(tail: str) -> bool:
    """`tail` is white space, then optionally `: T`, then optionally `throws L` (see _body_opening)."""
    first = _SPACES.match(tail).end()
    if not tail.startswith(":", first):
        return first == len(tail) or _THROWS_CLAUSE.fullmatch(tail, first) is not None
    return _is_type_then_throws(tail[first + 1 :])


def _is_type_then_throws(rest: str) -> bool:
    """`rest` (after the colon) matches `\\s*T+\\s*` or `\\s*T+\\s*throws\\s[\\w.,\\s]+`.

    T includes the space, so the type may also be one of the spaces before what follows; the
    throws list (which may hold spaces) must run to the end.
    """
    type_start = _SPACES.match(rest).end()
    leading_space = " " in rest[:type_start]
    if type_start == len(rest):  # only white space: the type is one of its spaces
        return leading_space
    if leading_space and _THROWS_CLAUSE.fullmatch(rest, type_start):
        return True  # `: <space> throws …`: the type was a space
    type_end = _TYPE_CHARS.match(rest, type_start).end()
    if type_end == type_start:
        return False  # the first non-space character can be neither type nor `throws`
    gap_end = _SPACES.match(rest, type_end).end()
    if gap_end == len(rest):
        return True  # a type and white space
    # `throws` may start anywhere after the type's first character up to the end of the white
    # space after the type's characters, and the list after it runs to the end
    list_start = len(rest) - _THROWS_LIST_CHARS.match(rest[::-1]).end()
    at = rest.find("throws", type_start + 1, gap_end + 6)
    while at >= 0:
        after = at + 6
        if after >= list_start and after + 2 <= len(rest) and _ONE_SPACE.match(rest, after):
            return True
        at = rest.find("throws", at + 1, gap_end + 6)
    return False


def _methods(masked: str, pairs: dict[int, int], open_at: int, close_at: int):
    """(name, name offset, body start, body end, expression body?) of the class's own methods."""
    pos = open_at + 1
    depth = 0
    results = []
    while pos < close_at:
        match = _MEMBER_TOKEN.search(masked, pos, close_at)
        if match is None:
            break
        token = match.group()
        pos = match.end()
        if token == "{" and depth == 0:
            # a nested block (an inner class, an initializer) holds no member of this class: go
            # past it at once rather than token by token (40k nested unclosed classes were each
            # read to the end of the file); unclosed within the class, nothing after it counts
            block_close = pairs.get(match.start(), close_at)
            if block_close >= close_at:
                break
            pos = block_close + 1
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == ";":
            pass
        elif token.startswith("@"):
            close = pairs.get(match.end() - 1, -1)
            pos = close + 1 if close >= 0 else match.end()
        elif match.group(1) is not None:  # Groovy closure action: def show = { … }
            if depth != 0:
                depth += 1
                continue
            body_close = min(pairs.get(match.end() - 1, close_at), close_at)
            results.append((match.group(1), match.start(1), match.end(), body_close, False))
            pos = body_close + 1
        elif depth == 0 and match.group(2) not in _KEYWORDS:
            paren_close = pairs.get(match.end() - 1, -1)
            if paren_close < 0:
                continue
            pos = paren_close + 1
            token_at = _body_opening(masked, paren_close + 1, min(close_at, paren_close + 400))
            if token_at is None:
                continue
            if masked[token_at] == "{":
                body_close = min(pairs.get(token_at, close_at), close_at)
                results.append((match.group(2), match.start(2), token_at + 1, body_close, False))
                pos = body_close + 1
            else:
                end = masked.find("\n", token_at)
                end = close_at if end < 0 or end > close_at else end
                results.append((match.group(2), match.start(2), token_at + 1, end, True))
                pos = end
    return results



def infer_file(rel: str, text: str, repo) -> list[Inference]:
    """Grails / Spring annotations (one file each)."""
    if rel.lower().endswith(JVM_ENDINGS):
        return _jvm_infer(rel, text, repo)
    return []
