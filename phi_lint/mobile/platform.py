"""Platform configuration of mobile apps: AndroidManifest.xml `<meta-data>` and Info.plist keys.

Only the names the catalogue of flags asks about matter (rules/mobile.toml): a flag's value as
written ("true", "false", "@string/facebook_app_id", "${autoLog}") with its position.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern
from phi_lint.mobile.data import table


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    start: int
    end: int

    @property
    def on(self) -> bool | None:
        """True / False for a boolean value, None for anything else (a placeholder, a resource)."""
        lowered = self.value.strip().lower()
        return True if lowered in ("true", "yes", "1") else False if lowered in ("false", "no", "0") else None


_META = lazy_pattern(r"<meta-data\b[^>]*>", re.S)
_ATTR = lazy_pattern(r"""android:(name|value)\s*=\s*["']([^"']*)["']""")
_PLIST_ENTRY = lazy_pattern(r"<key>([^<]+)</key>\s*(?:<(true|false)\s*/>|<string>([^<]*)</string>|<integer>([^<]*)</integer>)")


def platform_of(rel: str) -> str | None:
    return table().platform_files.get(os.path.basename(rel).lower())


def settings(rel: str, text: str) -> dict[str, Setting]:
    """The `<meta-data>` entries of an AndroidManifest.xml or the keys of an Info.plist, by name."""
    from phi_lint.parsers.template_comments import blank_comments

    platform = platform_of(rel)
    clean = blank_comments(text, ("html",))  # the shared blanker: offsets and lines stay put
    found: dict[str, Setting] = {}
    if platform == "android":
        for element in _META.finditer(clean):
            attrs = {m.group(1): m.group(2) for m in _ATTR.finditer(element.group())}
            if "name" in attrs:
                found.setdefault(attrs["name"], Setting(attrs["name"], attrs.get("value", ""), element.start(), element.end()))
    elif platform == "ios":
        for entry in _PLIST_ENTRY.finditer(clean):
            value = entry.group(2) or entry.group(3) or entry.group(4) or ""
            name = entry.group(1).strip()
            found.setdefault(name, Setting(name, value, entry.start(), entry.end()))
    return found
