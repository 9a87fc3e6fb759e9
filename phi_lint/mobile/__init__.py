"""Mobile apps: SDK dependencies, platform config, SDK event calls and health screens.

Mobile files are read only when their name or ending is a mobile one (rules/mobile.toml): a
dependency manifest (Gradle, Podfile, Package.swift, Cartfile, pubspec.yaml, Expo app config), a
platform config (AndroidManifest.xml, Info.plist), an Expo app.config.js / .ts (also read as
JavaScript) or app code (.kt and .java that import Android,
.swift, .m, .mm, .dart). Code is read for SDK calls only when a vendor keyword is in it.

What becomes what:

- a dependency on a vendor SDK: inventory (PHI100) at the dependency line;
- an SDK event call: inventory, or PHI002 when the call is inside a health screen (an Activity,
  Fragment, ViewController, SwiftUI view, Flutter page named or titled about health), and PHI004
  when personal or health data is handed to it;
- automatic event logging (Facebook SDK, Firebase Analytics) left on in an app with health
  screens: PHI002 at the flag that turns it on, or at the SDK dependency when no flag is set.

Whether a screen is behind login is not known from a mobile app's code, so no PHI001 is made.
React Native screens are JavaScript: the web pipeline reads them (their SDKs are in the
catalogue's `[[packages]]`).
"""

from __future__ import annotations

import os

from phi_lint.mobile.data import table

MOBILE = "mobile"  # the discovery kind of manifests, platform config, Swift, Objective-C and Dart


def mobile_kind(name: str) -> bool:
    """Whether a file (by its base name, any case) is read only as a mobile file."""
    lower = os.path.basename(name).lower()
    data = table()
    if lower in data.manifests or lower in data.platform_files:
        return True
    return lower.endswith((".swift", ".m", ".mm", ".dart"))


_APP_DECIDING_ECOSYSTEMS = ("gradle", "pub")  # their manifests say which directories are apps


def shared_input(kind: str, name: str) -> bool:
    """Whether a file's contents decide other mobile files' results (the cache's shared inputs):
    a platform config (automatic-logging flags) or a module's build file or pubspec (which
    directories are apps, phi_lint.mobile.apps)."""
    if kind != MOBILE:
        return False
    lower = os.path.basename(name).lower()
    data = table()
    # every Gradle and pub manifest of rules/mobile.toml: a name added there is a shared input too
    return (lower in data.platform_files or data.manifests.get(lower) in _APP_DECIDING_ECOSYSTEMS
            or lower in data.gradle_build_files or lower in data.flutter_files or lower in data.ios_target_files)


def reads_as_mobile(rel: str, kind: str, text: str) -> bool:
    """The cheap gate of the worker: a mobile file, Kotlin / Java that imports Android, or an
    Expo app.config.js / .ts that lists plugins (read by the web stages too)."""
    if kind == MOBILE:
        return True
    if kind == "script":
        return os.path.basename(rel).lower() in table().expo_configs and "plugins" in text
    return kind == "code" and rel.lower().endswith((".kt", ".java")) and "android" in text


def language_of(rel: str) -> str | None:
    """The tree-sitter language of mobile app code, by ending."""
    lower = rel.lower()
    if os.path.basename(lower) == "package.swift":
        return None
    for ending, language in table().code_endings.items():
        if lower.endswith(ending):
            return language
    return None
