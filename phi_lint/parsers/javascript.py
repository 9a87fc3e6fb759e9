"""JavaScript / TypeScript / JSX / TSX facts with tree-sitter (official grammar wheels).

Queries run inside tree-sitter's C code, so a large file costs one parse plus one pass over
the few node kinds we ask for. Positions are mapped from bytes to characters and shifted
into the host file by the caller.
"""

from __future__ import annotations

from phi_lint.lang.javascript import Script, dialect_for, grammar, query  # noqa: F401 (dialect_for: re-exported)
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.facts import (
    AssignmentFact,
    CallFact,
    FileFacts,
    PackageUseFact,
    UrlFact,
    looks_like_markup,
    looks_like_url,
)
from phi_lint.parsers.offsets import ByteToChar

_GLOBAL_OBJECTS = {"window", "globalThis", "self", "top", "parent", "global"}
_MAX_USES_PER_BINDING = 20
_MAX_EMBED_DEPTH = 3

# A pattern with two fields, `(call_expression function: (_) arguments: (_))`, stays open while
# tree-sitter walks the whole callee before it reaches the arguments: in `f()()()…` every call
# was open at once and the query took quadratic time (80 KB took 17 s). One node per pattern
# (the fields are read in Python) makes every match complete where it starts.
_QUERY = """
(call_expression) @call
(new_expression constructor: (_) @callee) @new
(string) @string
(template_string) @template
(import_statement) @import
(assignment_expression left: (_) @left) @assign
(variable_declarator name: (identifier) @left) @decl
"""
_JSX_QUERY = """
(jsx_element open_tag: (jsx_opening_element name: (_) @name)) @jsx
(jsx_self_closing_element name: (_) @name) @jsxself
"""


def _language(dialect: str):
    return grammar(dialect)


def _query(dialect: str):
    return query(dialect, _QUERY if dialect == "ts" else _QUERY + _JSX_QUERY)


def _parser(dialect: str):
    """A tree-sitter parser for the dialect (for code that is not a file's: tag-manager runtimes)."""
    from tree_sitter import Parser

    return Parser(grammar(dialect))


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def _string_value(node) -> str | None:
    """The value of a string or number literal, or a template literal without substitutions."""
    if node.type == "number":
        return _text(node)
    if node.type == "string":
        raw = _text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string":
        if any(child.type == "template_substitution" for child in node.named_children):
            return None
        raw = _text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    return None


def dotted_name(node) -> str | None:
    parts: list[str] = []
    while node is not None:
        kind = node.type
        if kind in ("identifier", "property_identifier", "this", "type_identifier"):
            parts.append(_text(node))
            break
        if kind == "member_expression":
            prop = node.child_by_field_name("property")
            if prop is None:
                return None
            parts.append(_text(prop))
            node = node.child_by_field_name("object")
        elif kind == "subscript_expression":
            index = node.child_by_field_name("index")
            value = _string_value(index) if index is not None else None
            if value is None:
                return None
            parts.append(value)
            node = node.child_by_field_name("object")
        elif kind in ("parenthesized_expression", "non_null_expression"):
            named = node.named_children
            if len(named) != 1:
                return None
            node = named[0]
        else:
            return None
    parts.reverse()
    while len(parts) > 1 and parts[0] in _GLOBAL_OBJECTS:
        parts.pop(0)
    return ".".join(parts) if parts else None


def _iife_name(node) -> str | None:
    """`<iife>` for an immediately invoked function, (function(w,d,s,l,i){…})(window,…): vendor
    snippets pass their account id as its last argument."""
    while node is not None and node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    if node is not None and node.type in ("function_expression", "function", "arrow_function"):
        return "<iife>"
    return None


_MAX_URL_LENGTH = 4096  # the longest string looks_like_url accepts


def _blank_substitutions(node, text: str, to_char) -> tuple[str, int]:
    """A template literal's inner text with ${…} blanked to underscores (line breaks kept), and its start."""
    start = to_char(node.start_byte) + 1
    end = to_char(node.end_byte) - 1
    parts = []
    last = start
    for child in node.named_children:
        if child.type == "template_substitution":
            a = max(to_char(child.start_byte), last)
            b = min(to_char(child.end_byte), end)
            if a < b:
                parts.append(text[last:a])
                parts.append("\n".join("_" * len(line) for line in text[a:b].split("\n")))
                last = b
    parts.append(text[last:end])
    return "".join(parts), start


class _TemplateText:
    """What a template literal with ${…} can be, from its own text between the substitutions.

    Its value (blanked substitutions included) is as long as the literal, nested literals and
    all: building it for every literal of `${`${`…`}`}` copied the file once per level (100 KB
    took 41 s). The value is built only when it may be a URL (short once trimmed) or holds markup,
    and markup is built within the file's budget (see _EmbedBudget).
    """

    def __init__(self, node, text: str, to_char):
        self.start = to_char(node.start_byte) + 1
        self.length = to_char(node.end_byte) - 1 - self.start
        end = self.start + self.length
        fragments = []
        last = self.start
        self.regular = True  # substitutions start with `$` and end with `}`, as parsed code does
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            a, b = to_char(child.start_byte), to_char(child.end_byte)
            if not (last <= a < b <= end) or text[a] != "$" or text[b - 1] == "\n":
                self.regular = False
                return
            fragments.append(text[last:a])
            last = b
        fragments.append(text[last:end])
        self.has_substitutions = len(fragments) > 1
        # a tag cannot straddle a substitution: blanked text is underscores and line breaks
        self.has_markup = any(looks_like_markup(fragment) for fragment in fragments)
        # white space trimmed from the value can only come from the first and last fragments
        lead = len(fragments[0]) - len(fragments[0].lstrip())
        trail = len(fragments[-1]) - len(fragments[-1].rstrip())
        self.may_be_url = self.length - lead - trail <= _MAX_URL_LENGTH and any(
            "/" in fragment or "." in fragment for fragment in fragments
        )

    @property
    def worth_building(self) -> bool:
        return not self.regular or not self.has_substitutions or self.may_be_url or self.has_markup


class _EmbedBudget:
    """Characters of template literals with substitutions that one file may have built (and parsed
    as markup): a few times the file, so literals nested inside each other cannot multiply the
    work; what is left out is said in the file's problems."""

    def __init__(self, text: str):
        self.left = 8 * len(text) + (1 << 20)
        self.skipped = 0

    def take(self, length: int) -> bool:
        if length > self.left:
            self.skipped += 1
            return False
        self.left -= length
        return True

    def report(self, facts: FileFacts) -> None:
        if self.skipped:
            facts.problems.append(
                f"{self.skipped} template literals were not read for markup: the file's template literals, "
                "nested in each other, hold more than eight times its text"
            )


def _literal_content(node, text: str, to_char, budget: _EmbedBudget | None = None) -> tuple[str, int] | None:
    if node.type == "template_string":
        if budget is not None and any(child.type == "template_substitution" for child in node.named_children):
            if not budget.take(to_char(node.end_byte) - to_char(node.start_byte)):
                return None
        return _blank_substitutions(node, text, to_char)
    if node.type == "string":
        start = to_char(node.start_byte) + 1
        end = to_char(node.end_byte) - 1
        return text[start:end], start
    return None


class _Harvest:
    """What one pass over the query's matches collects from a file: its facts, the literals to
    read again as markup or script, and the import nodes, resolved once the whole file is seen."""

    def __init__(self, text: str, to_char, packages: frozenset[str]):
        self.text = text
        self.to_char = to_char
        self.packages = packages
        self.facts = FileFacts()
        self.embedded: list[tuple[str, int, str]] = []  # (content, char start, "js"|"html")
        self.imports: list = []  # import statements and require declarators (tree-sitter nodes)
        self.budget = _EmbedBudget(text)

    def take(self, captures: dict) -> None:
        """Hand one match to the step for its kind of node."""
        if "call" in captures:
            self.call(captures["call"][0])
        elif "new" in captures:
            self.new(captures["new"][0], captures["callee"][0])
        elif "string" in captures or "template" in captures:
            self.literal((captures.get("string") or captures["template"])[0])
        elif "import" in captures:
            self.imports.append(captures["import"][0])
        elif "assign" in captures or "decl" in captures:
            self.assignment((captures.get("assign") or captures["decl"])[0], captures["left"][0])
        elif "jsx" in captures or "jsxself" in captures:
            element = (captures.get("jsx") or captures["jsxself"])[0]
            _jsx_embeddings(element, captures["name"][0], self.text, self.to_char, self.embedded, self.budget)

    def call(self, call) -> None:
        """A call: a dynamic import, a require, or a call fact (document.write's literals to read as markup)."""
        callee_node = call.child_by_field_name("function")
        args_node = call.child_by_field_name("arguments")
        if callee_node is None or args_node is None or not callee_node.is_named or not args_node.is_named:
            return  # what `function: (_) arguments: (_)` required
        if callee_node.type == "import":
            _dynamic_import(call, args_node, self.facts, self.to_char, self.packages)
            return
        callee = dotted_name(callee_node) or _iife_name(callee_node)
        if callee is None or args_node.type != "arguments":
            return
        args = tuple(_string_value(a) for a in args_node.named_children)
        if callee == "require":
            _require(call, args, self.facts, self.to_char, self.packages, self.imports)
            return
        self.facts.calls.append(CallFact(callee, args, self.to_char(call.start_byte), self.to_char(call.end_byte)))
        if callee in ("document.write", "document.writeln"):
            for arg in args_node.named_children:
                content = _literal_content(arg, self.text, self.to_char, self.budget)
                if content:
                    self.embedded.append((content[0], content[1], "html"))

    def new(self, node, callee_node) -> None:
        """`new X(…)`: a call fact under the constructor's name."""
        callee = dotted_name(callee_node)
        if callee:
            args_node = node.child_by_field_name("arguments")
            args = tuple(_string_value(a) for a in args_node.named_children) if args_node else ()
            self.facts.calls.append(CallFact(callee, args, self.to_char(node.start_byte), self.to_char(node.end_byte)))

    def literal(self, node) -> None:
        """A string or template literal: a URL fact, or markup to read again."""
        content = self._literal_value(node)
        if content is None:
            return
        value, start = content
        if looks_like_url(value.strip()):
            stripped = value.strip()
            lead = len(value) - len(value.lstrip())
            self.facts.urls.append(UrlFact(stripped, start + lead, start + lead + len(stripped), "js"))
        elif looks_like_markup(value) and not _inside_embedding_parent(node):
            self.embedded.append((value, start, "html"))

    def _literal_value(self, node) -> tuple[str, int] | None:
        """The literal's text and start; None for a template that can be neither a URL nor markup,
        or one past the file's budget."""
        if node.type != "template_string":
            return _literal_content(node, self.text, self.to_char)
        template = _TemplateText(node, self.text, self.to_char)
        if not template.worth_building:
            return None  # neither a URL nor markup, whatever its substitutions hold
        if template.regular and (not template.has_substitutions or template.may_be_url):
            return _literal_content(node, self.text, self.to_char)  # short: cheap to build
        return _literal_content(node, self.text, self.to_char, self.budget)

    def assignment(self, node, left) -> None:
        """An assignment or declaration to a name: an assignment fact."""
        target = dotted_name(left)
        if target:
            self.facts.assignments.append(
                AssignmentFact(target, self.to_char(node.start_byte), self.to_char(node.end_byte))
            )


def _shared_script(text: str, dialect: str, script: Script | None) -> Script:
    """The caller's parse when it is of this text in this dialect, else a new one."""
    if script is None or script.code is not text and script.code != text or script.dialect != dialect:
        return Script(text, dialect)
    return script


def _read_embedded(facts: FileFacts, embedded: list[tuple[str, int, str]], packages: frozenset[str], depth: int) -> None:
    """Parse the markup and script found in literals and add their facts at their places in the
    file; past _MAX_EMBED_DEPTH levels only say they were left out."""
    if depth >= _MAX_EMBED_DEPTH:
        if embedded:
            facts.problems.append(
                f"markup or script embedded more than {_MAX_EMBED_DEPTH} levels deep was not analysed"
            )
        return
    for inner, start, kind in embedded:
        if kind == "html":
            from phi_lint.parsers.html import parse_markup

            sub = parse_markup(inner, flavour="html", packages=packages, depth=depth + 1)
        else:
            sub = parse_javascript(inner, "js", packages, depth + 1)
            sub.inline_ranges.append((0, len(inner)))
        facts.extend(sub.shifted(start))


def parse_javascript(
    text: str,
    dialect: str = "js",
    packages: frozenset[str] = frozenset(),
    depth: int = 0,
    script: Script | None = None,
) -> FileFacts:
    """Facts of one JS/TS source; offsets are character offsets into `text`. `script` is the
    file's shared parse of `text` in `dialect`, when the caller has one."""
    from tree_sitter import QueryCursor

    script = _shared_script(text, dialect, script)
    data = script.data
    root = script.tree.root_node
    to_char = ByteToChar(text)
    harvest = _Harvest(text, to_char, packages)
    for _, captures in QueryCursor(_query(dialect)).matches(root):
        harvest.take(captures)

    facts = harvest.facts
    harvest.budget.report(facts)
    if harvest.imports:
        references = _References(data, root, to_char)
        for node in harvest.imports:
            _static_import(node, data, root, facts, to_char, packages, references)
    _read_embedded(facts, harvest.embedded, packages, depth)
    if root.has_error and depth == 0:
        facts.problems.append("syntax errors; parsed as far as possible")
    return facts


def _inside_embedding_parent(node) -> bool:
    """Strings already handled as JSX script bodies or dangerouslySetInnerHTML values."""
    parent = node.parent
    for _ in range(4):
        if parent is None:
            return False
        if parent.type in ("jsx_expression", "pair") and parent.parent is not None and parent.parent.type in (
            "jsx_element",
            "object",
        ):
            return True
        parent = parent.parent
    return False


def _jsx_embeddings(element, name_node, text, to_char, embedded, budget: _EmbedBudget) -> None:
    name = _text(name_node)
    is_script = name in ("script", "Script")
    opening = element.child_by_field_name("open_tag") if element.type == "jsx_element" else element
    if is_script and element.type == "jsx_element":
        for child in element.named_children:
            if child.type == "jsx_expression":
                for inner in child.named_children:
                    content = _literal_content(inner, text, to_char, budget)
                    if content:
                        embedded.append((content[0], content[1], "js"))
            elif child.type == "jsx_text":
                start = to_char(child.start_byte)
                embedded.append((text[start : to_char(child.end_byte)], start, "js"))
    if opening is None:
        return
    for attribute in opening.named_children:
        if attribute.type != "jsx_attribute" or not attribute.named_children:
            continue
        if _text(attribute.named_children[0]) != "dangerouslySetInnerHTML":
            continue
        for pair in _descendants_of_type(attribute, "pair", limit=8):
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if key is None or value is None or _text(key).strip("'\"") != "__html":
                continue
            content = _literal_content(value, text, to_char, budget)
            if content:
                kind = "js" if is_script and not content[0].lstrip().startswith("<") else "html"
                embedded.append((content[0], content[1], kind))


def _descendants_of_type(node, kind: str, limit: int) -> list:
    found: list = []  # tree-sitter nodes
    stack = [node]
    while stack and len(found) < limit:
        current = stack.pop()
        if current.type == kind:
            found.append(current)
        stack.extend(reversed(current.named_children))
    return found


def _dynamic_import(call, args_node, facts, to_char, packages: frozenset[str]) -> None:
    named = args_node.named_children if args_node is not None else []
    module = _string_value(named[0]) if named else None
    if module in packages:
        facts.package_uses.append(
            PackageUseFact(module, "*", None, to_char(call.start_byte), to_char(call.end_byte), side_effect=True)
        )


def _require(call, args, facts, to_char, packages: frozenset[str], imports: list) -> None:
    module = args[0] if args else None
    if module not in packages:
        return
    declarator = call.parent
    if declarator is not None and declarator.type == "variable_declarator":
        imports.append(declarator)  # resolved with the static imports
    else:
        facts.package_uses.append(
            PackageUseFact(module, "*", None, to_char(call.start_byte), to_char(call.end_byte), side_effect=True)
        )


def _bindings(node) -> tuple[str | None, list[tuple[str, str]]]:
    """(module, [(binding, local name)]) of an import statement or a require declarator."""
    if node.type == "variable_declarator":
        value = node.child_by_field_name("value")
        args = value.child_by_field_name("arguments") if value is not None else None
        module = _string_value(args.named_children[0]) if args and args.named_children else None
        name = node.child_by_field_name("name")
        if name is None:
            return module, []
        if name.type == "identifier":
            return module, [("*", _text(name))]
        bindings = []
        if name.type == "object_pattern":
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    bindings.append((_text(child), _text(child)))
                elif child.type == "pair_pattern":
                    key, value_node = child.child_by_field_name("key"), child.child_by_field_name("value")
                    if key is not None and value_node is not None and value_node.type == "identifier":
                        bindings.append((_text(key), _text(value_node)))
        return module, bindings
    source = node.child_by_field_name("source")
    module = _string_value(source) if source is not None else None
    bindings = []
    for child in node.named_children:
        if child.type != "import_clause":
            continue
        for part in child.named_children:
            if part.type == "identifier":
                bindings.append(("default", _text(part)))
            elif part.type == "namespace_import":
                ident = [c for c in part.named_children if c.type == "identifier"]
                if ident:
                    bindings.append(("*", _text(ident[0])))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if name is not None:
                        bindings.append((_text(name), _text(alias if alias is not None else name)))
    return module, bindings


def _static_import(node, data, root, facts, to_char, packages: frozenset[str], references: _References) -> None:
    module, bindings = _bindings(node)
    if module not in packages:
        return
    if node.type == "import_statement" and not bindings:
        if b"import type" not in data[node.start_byte : node.start_byte + 12]:
            facts.package_uses.append(
                PackageUseFact(module, "*", None, to_char(node.start_byte), to_char(node.end_byte), side_effect=True)
            )
        return
    skip_start, skip_end = node.start_byte, node.end_byte
    for binding, local in bindings:
        facts.imports.append((module, binding, local))
        uses = 0
        for start, ref in references.of(local.encode("utf-8", "surrogatepass")):
            if skip_start <= start < skip_end:
                continue
            fact = _use_of(ref, module, binding, to_char)
            if fact is not None:
                facts.package_uses.append(fact)
                uses += 1
                if uses >= _MAX_USES_PER_BINDING:
                    break


_NAME_RUN = lazy_pattern(rb"[\w$]+")


class _References:
    """The uses of imported names in one file, each name's found once for all its bindings.

    A use of `name` is where `(?<![\\w$.])name(?![\\w$])` matches in the file's bytes, on an
    identifier that _use_of accepts. Searching the file once per binding, and walking every
    binding's list of other imports' names, was quadratic: 8,000 imports of a tracked package
    (335 KB) took a minute. An ASCII name matches exactly where a run of `[\\w$]` equals it and
    no `.` precedes it, so one pass over the runs serves every such name; other names (Unicode,
    escapes) are looked for with bytes.find, still once per name.
    """

    def __init__(self, data: bytes, root, to_char):
        self.data = data
        self.root = root
        self.to_char = to_char
        self._runs: dict[bytes, list[int]] | None = None
        self._found: dict[bytes, _Uses] = {}

    def of(self, name: bytes):
        """(offset, identifier node) of each use of `name`, in the file's order."""
        if name not in self._found:
            self._found[name] = _Uses(self._offsets(name), name, self)
        return iter(self._found[name])

    def _offsets(self, name: bytes):
        if _NAME_RUN.fullmatch(name):
            if self._runs is None:
                self._runs = {}
                for run in _NAME_RUN.finditer(self.data):
                    at = run.start()
                    if at == 0 or self.data[at - 1] != 0x2E:  # not after a `.`
                        self._runs.setdefault(run.group(), []).append(at)
            return iter(self._runs.get(name, ()))
        return self._find_all(name)

    def _find_all(self, name: bytes):
        """What finditer of `(?<![\\w$.])name(?![\\w$])` gives, with bytes.find."""
        data, at = self.data, 0
        while name:
            at = data.find(name, at)
            if at < 0:
                return
            end = at + len(name)
            before_ok = at == 0 or not _is_name_byte(data[at - 1]) and data[at - 1] != 0x2E
            if before_ok and (end == len(data) or not _is_name_byte(data[end])):
                yield at
                at = end
            else:
                at += 1


def _is_name_byte(byte: int) -> bool:
    return byte == 0x24 or byte == 0x5F or 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


class _Uses:
    """The accepted uses of one name, found as far as a binding has asked and kept for the next."""

    def __init__(self, offsets, name: bytes, references: _References):
        self._offsets = offsets
        self._length = len(name)
        self._references = references
        self._found: list[tuple[int, object]] = []

    def __iter__(self):
        index = 0
        while True:
            while index >= len(self._found):
                if not self._next():
                    return
            yield self._found[index]
            index += 1

    def _next(self) -> bool:
        """Find one more use; False when there is none."""
        references = self._references
        for at in self._offsets:
            ref = references.root.descendant_for_byte_range(at, at + self._length)
            if ref is None or ref.type not in ("identifier", "type_identifier"):
                continue
            if _use_of(ref, "", "", references.to_char) is None:
                continue  # never a use, whichever binding asks
            self._found.append((at, ref))
            return True
        return False


def _use_of(ref, module: str, binding: str, to_char) -> PackageUseFact | None:
    parent = ref.parent
    if parent is None:
        return None
    kind = parent.type
    if kind in ("import_specifier", "import_clause", "namespace_import", "variable_declarator"):
        return None
    if kind in ("jsx_opening_element", "jsx_self_closing_element"):
        element = parent.parent if kind == "jsx_opening_element" else parent
        return PackageUseFact(module, binding, None, to_char(element.start_byte), to_char(element.end_byte), jsx=True)
    if kind == "jsx_closing_element":
        return None
    if kind == "member_expression" and parent.child_by_field_name("object") == ref:
        prop = parent.child_by_field_name("property")
        outer = parent.parent
        node = outer if outer is not None and outer.type in ("call_expression", "new_expression") else parent
        member = _text(prop) if prop is not None else None
        if outer is None or outer.type not in ("call_expression", "new_expression"):
            # nested: binding.a.b(...) or a plain property read
            if outer is not None and outer.type == "member_expression" and outer.parent is not None and outer.parent.type == "call_expression":
                node = outer.parent
            else:
                member = None
        return PackageUseFact(module, binding, member, to_char(node.start_byte), to_char(node.end_byte))
    if kind in ("call_expression", "new_expression"):
        return PackageUseFact(module, binding, None, to_char(parent.start_byte), to_char(parent.end_byte))
    return PackageUseFact(module, binding, None, to_char(ref.start_byte), to_char(ref.end_byte))
