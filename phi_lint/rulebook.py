"""Rule metadata and help, read from rules/policy/*.toml (data, not code)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.lazyre import lazy_pattern
from phi_lint.reporters.common import excerpt
from phi_lint.resources import rules_dir
from phi_lint.suggest import close_match
from phi_lint.tomlread import load_toml

LEVELS = ("error", "warning", "note")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: str
    short: str
    full: str
    fix: str
    help_markdown: str
    security_severity: str
    precision: str
    tags: tuple[str, ...]
    # the fix without its "or record a BAA" alternative, for vendors that sign no BAA
    fix_without_baa: str = ""

    @property
    def help_text(self) -> str:
        return self.help_markdown.replace("`", "").replace("**", "").replace("### ", "")


HELP_SECTIONS_FILE = "rule-help.toml"
_PLACEHOLDER = lazy_pattern(r"\{\{([a-z][a-z-]*)(?::([^}\s]+))?\}\}")


@lru_cache(maxsize=1)
def help_sections() -> dict:
    """rules/rule-help.toml: the parts of the help every rule shares (suppression, page labels)."""
    return load_toml(rules_dir() / HELP_SECTIONS_FILE)


def inline_examples(rule_id: str) -> list[tuple[str, str]]:
    """(file types, comment) of an inline ignore of rule_id in each comment syntax."""
    return [(item["files"], item["comment"].replace("{rule}", rule_id)) for item in help_sections()["suppress"]["inline"]]


def _suppress_section(rule_id: str, template: str, note: str) -> str:
    inline = "\n".join(f"  - {files}: `{comment}`" for files, comment in inline_examples(rule_id))
    text = help_sections()["suppress"][template].strip("\n")
    note = textwrap.fill(" ".join(note.split()), width=96)
    return text.replace("{inline}", inline).replace("{note}", note).replace("{rule}", rule_id).rstrip()


def _config_key(argument: str) -> str:
    """`key` (or `key = value` for `key=value`) of the configuration, the key checked against
    the keys config.py reads, so the help cannot name a setting that does not exist."""
    from phi_lint.config_keys import KEYS as _KEYS
    from phi_lint.models import PAGE_LABELS

    key, equals, value = argument.partition("=")
    name, _, label = key.partition(".")
    if name not in _KEYS or (label and (name != "pages" or label not in PAGE_LABELS)):
        raise ValueError(f"`{key}` is not a configuration key")
    shown = f"[pages].{label}" if label else ("[pages]" if name == "pages" else name)
    return f"`{shown} = {value}`" if equals else f"`{shown}`"


def expand_help(rule_id: str, text: str, suppress_template: str = "findings", suppress_note: str = "") -> str:
    """A rule's help with its placeholders replaced (see rules/rule-help.toml)."""
    sections = help_sections()

    def replace(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2)
        if name == "suppress" and argument is None:
            return _suppress_section(rule_id, suppress_template, suppress_note)
        if name == "labels" and argument in sections["labels"]:
            return sections["labels"][argument].strip()
        if name == "config" and argument:
            return _config_key(argument)
        raise ValueError(f"unknown help placeholder `{match.group(0)}`")

    for _ in range(3):  # sections hold placeholders of their own
        text = _PLACEHOLDER.sub(replace, text)
    return text


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path in sorted((rules_dir() / "policy").glob("*.toml")):
        data = load_toml(path)
        try:
            help_markdown = expand_help(
                data["id"], data["help"].strip(), data.get("suppress_template", "findings"), data.get("suppress_note", "")
            )
        except KeyError as exc:
            raise UserError(f"{path}: missing key {exc}") from None
        except ValueError as exc:
            raise UserError(f"{path}: {exc}") from None
        try:
            rule = Rule(
                id=data["id"],
                name=data["name"],
                level=data["level"],
                short=data["short"],
                full=data["full"],
                fix=data["fix"],
                help_markdown=help_markdown,
                security_severity=str(data["security_severity"]),
                precision=data["precision"],
                tags=tuple(data["tags"]),
                fix_without_baa=data.get("fix_without_baa", data["fix"]),
            )
        except KeyError as exc:
            raise UserError(f"{path}: missing key {exc}") from None
        if rule.level not in LEVELS:
            raise UserError(f"{path}: level {rule.level!r} is not one of {LEVELS}")
        rules[rule.id] = rule
    return rules


def closest_rule(code: str) -> str | None:
    """The rule id a mistyped one most likely means (`PHI03` → PHI003, `phi01` → PHI001)."""
    rules = list(load_rules())
    wanted = code.strip().upper()
    if wanted.startswith("PHI") and wanted[3:].isdigit() and len(wanted) < 6:
        padded = "PHI" + wanted[3:].zfill(3)  # PHI03 / PHI3: a digit left out
        if padded in rules:
            return padded
    return close_match(wanted, rules)


def _unknown(what: str, code: str) -> UserError:
    close = closest_rule(code)
    hint = f" (did you mean {close}?)" if close else ""
    return UserError(f"unknown {what} `{excerpt(code)}`{hint}; rules are {', '.join(load_rules())}")


def find_rule(rule_id: str) -> Rule:
    """The rule of an exact id (any case); an unknown one is an error with a "did you mean"."""
    rule = load_rules().get(rule_id.strip().upper())
    if rule is None:
        raise _unknown("rule", rule_id)
    return rule


def select_rules(select: list[str], ignore: list[str]) -> set[str]:
    """Rule ids in effect: --select/--ignore by exact id or prefix (PHI00 = PHI001…PHI009)."""
    rules = load_rules()
    for code in [*select, *ignore]:
        if not any(rule_id.startswith(code.upper()) for rule_id in rules):
            raise _unknown("rule selector", code)
    chosen = {r for r in rules if not select or any(r.startswith(s.upper()) for s in select)}
    return {r for r in chosen if not any(r.startswith(i.upper()) for i in ignore)}
