"""Dependency manifests of mobile apps → the SDK names they declare, each with its position.

One small reader per format (Gradle Groovy and Kotlin DSL, Gradle version catalogs, Podfile,
Package.swift, Cartfile, pubspec.yaml, Expo app config). A reader returns what is declared; the
catalogue's `[[sdks]]` decide which of those are trackers. Commented-out lines are not read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern
from phi_lint.mobile.data import table


@dataclass(frozen=True)
class Declared:
    name: str  # as the catalogue writes it: group:artifact, a pod, a package, owner/repository
    start: int  # offset of the declaration in the file
    end: int


_COMMENT_LINE = lazy_pattern(r"^\s*(?://|#|\*|/\*)")
_STRING = lazy_pattern(r"""["']([^"'\n]{2,200})["']""")
_COORDINATE = lazy_pattern(r"^([\w.\-]+):([\w.\-]+)(?::[^:]*)?$")
_CATALOG_GROUP = lazy_pattern(r"""group\s*=\s*["']([\w.\-]+)["']\s*,\s*name\s*=\s*["']([\w.\-]+)["']""")
_POD = lazy_pattern(r"""^\s*pod\s+["']([^"']+)["']""", re.M)
_CARTHAGE = lazy_pattern(r"""^\s*(?:github|git|binary)\s+"([^"]+)\"""", re.M)
_PUB_SECTIONS = frozenset({"dependencies", "dev_dependencies", "dependency_overrides"})


def ecosystem_of(rel: str) -> str | None:
    return table().manifests.get(os.path.basename(rel).lower())


def declared(rel: str, text: str) -> tuple[str, list[Declared]] | None:
    """(ecosystem, declarations) of a manifest, or None for any other file."""
    ecosystem = ecosystem_of(rel)
    if ecosystem is None:
        return None
    readers = {"gradle": _gradle, "cocoapods": _pods, "swiftpm": _swiftpm, "carthage": _carthage, "pub": _pub, "expo": _expo}
    return ecosystem, [d for d in readers[ecosystem](text) if not _commented(text, d.start)]


def _commented(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return bool(_COMMENT_LINE.match(text, line_start)) or "//" in text[line_start:offset].replace("://", "")


def _gradle(text: str) -> Iterator[Declared]:
    """`implementation("group:artifact:1.0")`, `implementation 'group:artifact'` (BOM-managed),
    version catalog `module = "group:artifact"`, `lib = "group:artifact:1.0"` and
    `{ group = "…", name = "…" }`."""
    for match in _STRING.finditer(text):
        coordinate = _COORDINATE.match(match.group(1))
        if coordinate and "." in coordinate.group(1):
            yield Declared(f"{coordinate.group(1)}:{coordinate.group(2)}", match.start(), match.end())
    for match in _CATALOG_GROUP.finditer(text):
        yield Declared(f"{match.group(1)}:{match.group(2)}", match.start(), match.end())


def _pods(text: str) -> Iterator[Declared]:
    """`pod 'FBSDKCoreKit', '~> 17.0'`, `pod 'Firebase/Analytics'`."""
    for match in _POD.finditer(text):
        yield Declared(match.group(1), match.start(1) - 1, match.end(1) + 1)


def _swiftpm(text: str) -> Iterator[Declared]:
    """`.package(url: "https://github.com/facebook/facebook-ios-sdk", …)` (the repository name) and
    `.product(name: "FirebaseAnalytics", package: …)` (the product)."""
    for match in _STRING.finditer(text):
        value = match.group(1)
        if "://" in value or value.endswith(".git"):
            value = value.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
        yield Declared(value, match.start(), match.end())


def _carthage(text: str) -> Iterator[Declared]:
    """`github "AppsFlyerSDK/AppsFlyerFramework"` (owner/repository; a git URL gives the same)."""
    for match in _CARTHAGE.finditer(text):
        value = match.group(1).rstrip("/").removesuffix(".git")
        if "://" in value:
            value = "/".join(value.rsplit("/", 2)[-2:])
        yield Declared(value, match.start(), match.end())


def _pub(text: str) -> Iterator[Declared]:
    """The packages of pubspec.yaml's dependency sections (their first level of keys, a package
    given by `git:` / `path:` / `hosted:` under it included), read by the shared YAML reader."""
    from phi_lint.siteconfig.values import yaml_keys
    from phi_lint.textio import LineIndex

    lines = LineIndex(text)
    found = []
    for path, value in yaml_keys(text, mappings=True).items():
        section, _, name = path.partition(".")
        if section in _PUB_SECTIONS and name and "." not in name:
            start = lines.offset(value.line, value.column)
            start += text[start : start + 1] in ("'", '"')  # a quoted key: the name after the quote
            found.append(Declared(name, start, start + len(name)))
    yield from sorted(found, key=lambda d: d.start)


def _expo(text: str) -> Iterator[Declared]:
    """Expo config plugins (`"plugins": ["react-native-fbsdk-next", ["@braze/expo-plugin", {…}]]`):
    every string of the file is a candidate; only exact plugin names of the catalogue count."""
    for match in _STRING.finditer(text):
        yield Declared(match.group(1), match.start(), match.end())
