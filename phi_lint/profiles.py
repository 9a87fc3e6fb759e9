"""Profiles: which law a repository answers to, as data (rules/profiles/<id>.toml).

A profile changes how findings are judged, never what is seen: rule levels (`[levels]`), the
vendors reported wherever they are in a repository (`[anywhere.<rule>]`), and the laws cited.
`hipaa` (the default) changes nothing; `consumer-health` follows the FTC Health Breach
Notification Rule and the state consumer health data laws. The format is documented in the
header of rules/profiles/consumer-health.toml; a broken profile file stops the run naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from phi_lint.errors import UserError
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import excerpt
from phi_lint.resources import rules_dir
from phi_lint.suggest import did_you_mean
from phi_lint.tomlread import load_toml

DEFAULT_PROFILE = "hipaa"
PROFILES_DIR = "profiles"
LEVELS = ("error", "warning", "note")
WHEN = ("always", "health-pages")
_DATE = lazy_pattern(r"^\d{4}-\d{2}-\d{2}$")
_KEYS = {"id", "name", "summary", "choose", "levels", "anywhere", "laws"}


@dataclass(frozen=True)
class Anywhere:
    """Vendors reported as `rule` wherever they are in a repository; `when` = "health-pages":
    only in a repository with a page or screen labelled health."""

    rule: str
    categories: frozenset[str]
    vendors: frozenset[str]
    when: str
    why: str = ""  # the sentence a finding ends with: why the profile reports such vendors

    def covers(self, vendor_id: str, category: str) -> bool:
        return vendor_id in self.vendors or category in self.categories


@dataclass(frozen=True)
class Law:
    name: str
    date: str
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    summary: str
    choose: str
    levels: dict[str, str]
    anywhere: tuple[Anywhere, ...]
    laws: tuple[Law, ...]

    def level_of(self, rule_id: str, level: str, default: str) -> str:
        """The level of a finding of rule_id made at `level`: the profile's for one made at the
        rule's `default` level; a level a policy chose for a reason stays."""
        if level != default:
            return level
        return self.levels.get(rule_id, level)

    @property
    def needs_health_pages(self) -> bool:
        """Whether a rule of this profile asks if the repository has any health page."""
        return any(item.when == "health-pages" for item in self.anywhere)


def profile_names() -> list[str]:
    """The ids of the shipped profiles, sorted."""
    return sorted(path.stem for path in (rules_dir() / PROFILES_DIR).glob("*.toml"))


def check_profile_name(name: object, where: str) -> str:
    """`name` when it names a shipped profile; else a UserError saying `where` and the choices."""
    names = profile_names()
    if not isinstance(name, str):
        raise UserError(f"{where} must be a string: one of {', '.join(names)}")
    if name not in names:
        hint = did_you_mean(name, names, quote='"')
        raise UserError(f"{where}: unknown profile \"{excerpt(name)}\"{hint}; profiles are {', '.join(names)}")
    return name


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """The profile of that id (check the name first with check_profile_name)."""
    path = rules_dir() / PROFILES_DIR / f"{name}.toml"
    data = load_toml(path)
    try:
        return _profile(data, str(path))
    except (KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"{path}: malformed profile ({type(exc).__name__}: {exc})") from None


def _profile(data: dict, where: str) -> Profile:
    from phi_lint.catalogue import CATEGORIES
    from phi_lint.rulebook import load_rules

    unknown = set(data) - _KEYS
    if unknown:
        raise UserError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    rules = load_rules()
    levels = dict(data.get("levels", {}))
    for rule_id, level in levels.items():
        if rule_id not in rules or level not in LEVELS:
            raise UserError(f"{where}: [levels] {rule_id} = {level!r}: a rule id and one of {', '.join(LEVELS)}")
    anywhere = []
    for rule_id, item in sorted(data.get("anywhere", {}).items()):
        categories = frozenset(item.get("categories", ()))
        when = item.get("when", "always")
        if rule_id not in rules or not categories <= CATEGORIES or when not in WHEN:
            raise UserError(f"{where}: [anywhere.{rule_id}] needs a rule id, catalogue categories and when = "
                            f"{' or '.join(WHEN)}")
        anywhere.append(Anywhere(rule_id, categories, frozenset(item.get("vendors", ())), when, item.get("why", "")))
    laws = tuple(Law(law["name"], law["date"], law.get("note", ""), law.get("url", "")) for law in data.get("laws", ()))
    for law in laws:
        if not _DATE.match(law.date):
            raise UserError(f"{where}: [[laws]] {law.name}: date must be YYYY-MM-DD")
    return Profile(data["id"], data["name"], data["summary"], data["choose"].strip(), levels, tuple(anywhere), laws)
