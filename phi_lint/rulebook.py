"""Rule metadata and help, read from rules/policy/*.toml (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.reporters.common import excerpt
from phi_lint.resources import rules_dir
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


@lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path in sorted((rules_dir() / "policy").glob("*.toml")):
        data = load_toml(path)
        try:
            rule = Rule(
                id=data["id"],
                name=data["name"],
                level=data["level"],
                short=data["short"],
                full=data["full"],
                fix=data["fix"],
                help_markdown=data["help"].strip(),
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


def select_rules(select: list[str], ignore: list[str]) -> set[str]:
    """Rule ids in effect: --select/--ignore by exact id or prefix (PHI00 = PHI001…PHI009)."""
    rules = load_rules()
    for code in [*select, *ignore]:
        if not any(rule_id.startswith(code.upper()) for rule_id in rules):
            raise UserError(f"unknown rule selector `{excerpt(code)}`; rules are {', '.join(rules)}")
    chosen = {r for r in rules if not select or any(r.startswith(s.upper()) for s in select)}
    return {r for r in chosen if not any(r.startswith(i.upper()) for i in ignore)}
