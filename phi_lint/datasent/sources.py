"""What counts as personal or health data: names, person records and template expressions.

The vocabulary is data (rules/personal-data.toml). A name is split into words, every run of up to
four words is looked up (also with a plural stem), and a word that describes the field rather
than its value (`email_opt_in`, `hasEmail`, `emailVerified`) turns the match off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.lazyre import lazy_pattern
from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_toml

CLASSES = ("health", "identity", "contact")
RANK = {"health": 3, "identity": 2, "contact": 1}
_WORD = lazy_pattern(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_MAX_NGRAM = 4


def strongest(classes) -> str | None:
    best = None
    for cls in classes:
        if cls and (best is None or RANK[cls] > RANK[best]):
            best = cls
    return best


def strongest_of(classes: Iterable[str]) -> str:
    """The strongest of the data classes of some Items or Sources (at least one: each has a class)."""
    best = strongest(classes)
    if best is None:
        raise ValueError("no data class to rank")
    return best


@dataclass(frozen=True)
class Match:
    cls: str  # health | identity | contact
    term: str  # the vocabulary term that matched, e.g. "dateofbirth"


NEGATED = Match("negated", "")  # a name about the field, not its value (email_opt_in)


@dataclass(frozen=True)
class Vocabulary:
    terms: dict
    negative: frozenset
    person: dict  # normalised root word -> class
    person_ids: frozenset
    form_words: frozenset
    passthrough: frozenset
    aliases: dict  # family -> {short key: phrase}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    data = load_toml(rules_dir() / "personal-data.toml")
    terms: dict[str, str] = {}
    for cls in reversed(CLASSES):  # stronger classes overwrite weaker ones
        for term in data[cls]["terms"]:
            terms[term] = cls
    person = {}
    for cls in ("identity", "health"):
        for word in data["person"][cls]:
            person[word] = cls
    return Vocabulary(
        terms=terms,
        negative=frozenset(data["negative"]["terms"]),
        person=person,
        person_ids=frozenset(data["person"]["ids"]),
        form_words=frozenset(data["form"]["words"]),
        passthrough=frozenset(data["passthrough"]["calls"]),
        aliases={family: dict(table) for family, table in data.get("aliases", {}).items()},
    )


def words(name: str) -> list[str]:
    """`dateOfBirth` -> [date, of, birth]; `patient_MRN` -> [patient, mrn]; `$email` -> [email]."""
    return [w.lower() for w in _WORD.findall(name or "")]


def _stems(word: str) -> tuple[str, ...]:
    out = [word]
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 4 and word.endswith("ses"):
        out.append(word[:-2] + "is")
    if len(word) > 4 and word.endswith("es"):
        out.append(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return tuple(out)


@lru_cache(maxsize=8192)
def _classify_words(tokens: tuple[str, ...]) -> Match | None:
    vocab = vocabulary()
    found: list[tuple[str, str, int, int]] = []
    n_tokens = len(tokens)
    for n in range(1, min(_MAX_NGRAM, n_tokens) + 1):
        for i in range(0, n_tokens - n + 1):
            joined = "".join(tokens[i : i + n])
            for candidate in _stems(joined):
                cls = vocab.terms.get(candidate)
                if cls:
                    found.append((cls, candidate, i, i + n))
                    break
    if not found:
        return NEGATED if any(t in vocab.negative for t in tokens) else None
    covered: set[int] = set()  # token indexes inside a term found
    for _cls, _term, a, b in found:
        covered.update(range(a, b))
    if any(t in vocab.negative for i, t in enumerate(tokens) if i not in covered):
        return NEGATED
    best = max(found, key=lambda f: (RANK[f[0]], f[3] - f[2]))
    return Match(best[0], best[1])


def classify_name(name: str | None, aliases: str | None = None) -> Match | None:
    """The class of a key, variable or property name; NEGATED for flags about a field."""
    if not name:
        return None
    if aliases:
        table = vocabulary().aliases.get(aliases, {})
        phrase = table.get(name.strip().lstrip("$").lower())
        if phrase:
            return _classify_words(tuple(words(phrase)))
    tokens = tuple(words(name))
    if not tokens or len(tokens) > 12:
        return None
    return _classify_words(tokens)


def person_class(segment: str) -> str | None:
    """`currentUser`, `current_user`, `patient`, `userProfile` -> the class of that record."""
    vocab = vocabulary()
    tokens = words(segment)
    if not tokens:
        return None
    joined = "".join(tokens)
    if joined in vocab.person:
        return vocab.person[joined]
    if tokens[0] in vocab.person and len(tokens) <= 3 and tokens[-1] in ("record", "data", "info", "details", "obj", "object", "model", "profile", "attributes", "attrs", "props", "traits"):
        return vocab.person[tokens[0]]
    return None


def form_name(segment: str) -> bool:
    """`form`, `intakeForm`, `formData`, `values`-like holders of a form's values."""
    vocab = vocabulary()
    tokens = words(segment)
    if not tokens:
        return False
    if "".join(tokens) in vocab.form_words:
        return True
    return "form" in tokens and not any(t in ("id", "name", "ref", "el", "element", "selector", "type", "action", "method") for t in tokens)


def is_passthrough(callee: str) -> bool:
    vocab = vocabulary()
    lower = callee.lower()
    return lower in vocab.passthrough or lower.rsplit(".", 1)[-1] in vocab.passthrough


# ------------------------------------------------------------------ chains of names
@dataclass(frozen=True)
class Source:
    """What a value is: `{{ user.email }}` is contact data from the signed-in user."""

    text: str  # the expression as written (shortened)
    cls: str  # health | identity | contact
    why: str = ""  # e.g. "email", "signed-in user", "form field dob"
    whole: bool = False  # a whole record or form, not one field
    form: bool = False  # a value the user typed into a form


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def classify_chain(segments: list[str], text: str, role: str = "data") -> Source | None:
    """A dotted read such as user.email, request.user.date_of_birth, patient, form.dob.

    role "id": the value is the identity of an identify call, so any identifier of a person
    record counts.
    """
    segments = [s for s in segments if s]
    if not segments:
        return None
    text = _short(text)
    attr = segments[-1]
    roots = segments[:-1]
    match = classify_name(attr)
    if match is NEGATED:
        return None
    if match:
        return Source(text, match.cls, match.term)
    person = None
    for segment in reversed(roots):
        person = person_class(segment)
        if person:
            break
    if person and attr.lower() in ("name", "names"):
        return Source(text, "health" if person == "health" else "contact", "name")
    if roots:
        pair = classify_name(roots[-1] + "_" + attr)
        if pair and pair is not NEGATED:
            return Source(text, pair.cls, pair.term)
    whole = person_class(attr)
    if whole:
        return Source(text, whole, "patient record" if whole == "health" else "signed-in user record", whole=True)
    if person:
        if person == "health" and attr.lower() not in ("length", "count", "size", "constructor"):
            return Source(text, "health", "patient record field")
        if attr.lower() in vocabulary().person_ids or role == "id":
            return Source(text, person if person == "health" else "identity", "identifier of the signed-in user" if person != "health" else "patient identifier")
    if form_name(attr) and not roots:
        return Source(text, "identity", "form values", whole=True, form=True)
    return None


# ------------------------------------------------------------------ template expressions
_FILTER_SPLIT = lazy_pattern(r"(?<!\|)\|(?!\|)")
_TRY = lazy_pattern(r"\.try\(\s*:(\w+)\s*\)")
_INDEX = lazy_pattern(r"\[\s*['\"](\w+)['\"]\s*\]")
_CALL_PARENS = lazy_pattern(r"\(\s*\)")
_CHAIN = lazy_pattern(r"[@$]?[A-Za-z_]\w*(?:\s*\.\s*[@$]?[A-Za-z_]\w*)*")
_HELPERS = {
    "json", "tojson", "to_json", "json_encode", "json_escape", "j", "escape_javascript", "raw", "safe",
    "h", "e", "escape", "escapejs", "js", "html_safe", "strip", "lower", "upper", "default", "string",
    "jsencode", "encodeforjavascript", "fn", "c", "out", "if", "else", "or", "and", "not", "is", "none",
    "null", "nil", "true", "false", "this", "it", "sha256", "md5", "hash", "hexdigest", "digest",
}


def template_chains(expression: str) -> list[list[str]]:
    """Dotted reads in a server-side template expression, normalised.

    `user.email|tojson` -> [[user, email]]; `$patient->dob` -> [[patient, dob]];
    `current_user.try(:email)` -> [[current_user, email]]; `auth()->user()->email` -> [[auth, user, email]].
    """
    s = expression.strip()
    if not s:
        return []
    s = _FILTER_SPLIT.split(s, maxsplit=1)[0]
    s = s.replace("->", ".").replace("&.", ".").replace("?.", ".").replace("::", ".")
    s = _TRY.sub(r".\1", s)
    s = _INDEX.sub(r".\1", s)
    s = _CALL_PARENS.sub("", s)
    chains = []
    for match in _CHAIN.finditer(s):
        parts = [p.strip().lstrip("@$") for p in match.group().split(".")]
        parts = [p for p in parts if p]
        while parts and parts[0].lower() in _HELPERS and len(parts) > 1:
            parts.pop(0)
        if not parts or (len(parts) == 1 and parts[0].lower() in _HELPERS):
            continue
        # quoted strings are not reads
        before = s[: match.start()]
        if before.count("'") % 2 or before.count('"') % 2:
            continue
        chains.append(parts)
    return chains


def classify_template(expression: str, role: str = "data") -> Source | None:
    """`{{ user.email }}` -> contact; `<%= current_user.id %>` as an identity -> identity."""
    best: Source | None = None
    text = expression.strip()
    for chain in template_chains(expression):
        found = classify_chain(chain, text, role)
        if found and (best is None or RANK[found.cls] > RANK[best.cls]):
            best = found
    return best
