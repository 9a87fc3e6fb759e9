"""rules/mobile.toml: which files are mobile, what names a screen, which flags switch a vendor
SDK's automatic event logging. Loaded once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from phi_lint.resources import rules_dir
from phi_lint.tomlread import load_toml


@dataclass(frozen=True)
class Flags:
    """The platform flags of one vendor for one purpose (auto-logging, advertiser id, app id)."""

    vendor: str
    android: tuple[str, ...]
    ios: tuple[str, ...]
    default: bool = True
    what: str = ""

    def names(self, platform: str) -> tuple[str, ...]:
        return self.android if platform == "android" else self.ios


@dataclass(frozen=True)
class MobileData:
    manifests: dict[str, str]  # lower-case file name -> ecosystem
    expo_configs: frozenset[str]  # lower-case names of Expo's JS/TS app configs
    platform_files: dict[str, str]  # lower-case file name -> android | ios
    code_endings: dict[str, str]  # ending -> tree-sitter language
    gradle_build_files: frozenset[str]  # lower-case names of a Gradle module's build file
    flutter_files: frozenset[str]  # lower-case names of a Flutter app's pubspec
    ios_target_files: frozenset[str]  # lower-case names of an iOS target's property list
    android_app_markers: tuple[str, ...]  # literals of a Gradle build file of an Android app module
    flutter_app_marker: str  # a regex of a Flutter app's pubspec.yaml
    plist_support_folders: frozenset[str]
    screen_suffixes: tuple[str, ...]
    title_patterns: tuple[re.Pattern, ...]
    auto_logging: tuple[Flags, ...]
    advertiser_id: tuple[Flags, ...]
    app_ids: tuple[Flags, ...]


def _flags(tables: list[dict]) -> tuple[Flags, ...]:
    return tuple(
        Flags(t["vendor"], tuple(t.get("android", ())), tuple(t.get("ios", ())), bool(t.get("default", True)), t.get("what", ""))
        for t in tables
    )


@lru_cache(maxsize=1)
def table() -> MobileData:
    data = load_toml(rules_dir() / "mobile.toml")
    screens = data["screens"]
    return MobileData(
        manifests=dict(data["manifests"]),
        expo_configs=frozenset(data["expo-configs"]),
        platform_files=dict(data["platform-files"]),
        code_endings=dict(data["code-endings"]),
        gradle_build_files=frozenset(data["apps"]["gradle-build-files"]),
        flutter_files=frozenset(data["apps"]["flutter-files"]),
        ios_target_files=frozenset(data["apps"]["ios-target-files"]),
        android_app_markers=tuple(data["apps"]["android-application"]),
        flutter_app_marker=data["apps"]["flutter"],
        plist_support_folders=frozenset(data["apps"]["plist-support-folders"]),
        screen_suffixes=tuple(sorted(screens["suffixes"], key=len, reverse=True)),
        title_patterns=tuple(re.compile(p) for p in screens["title-patterns"]),
        auto_logging=_flags(data["auto-logging"]),
        advertiser_id=_flags(data["advertiser-id"]),
        app_ids=_flags(data["app-ids"]),
    )
