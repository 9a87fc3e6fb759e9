"""The apps of a repository, so that each app's automatic event logging is judged on its own.

A repository can hold several apps (a phone app and a Wear OS app, two white-label apps, a
Flutter app next to a native one). An auto-logging flag set in app A says nothing about app B,
and health screens only in app B do not make app A's automatic events about health.

An app root is a directory holding (rules/mobile.toml `[apps]`, names included): a Gradle build file that applies
the Android application plugin, a Flutter pubspec.yaml, or an iOS target's Info.plist (a
"Supporting Files" kind of folder stands for its parent). Platform folders inside a Flutter app
(android/app, ios/Runner) are that app's, not apps of their own. A file belongs to the nearest app
root above it; a file of an Android library module (a directory with a Gradle build file that is
not an app) belongs to the apps whose build file names it (`project(":feature:symptoms")`); any
other file (a root version catalog, a root Podfile, a library no app names) is shared by every app
of its part of the repository. A repository with no app root found is one app (the whole tree).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from phi_lint.lazyre import lazy_pattern
from phi_lint.mobile.data import table

WHOLE = ""  # the app root of a repository without one found: every file is its
_PROJECT = lazy_pattern(r"""project\(\s*(?:path\s*[:=]\s*)?["']:?([\w.:\-]+)["']""")


@dataclass(frozen=True)
class Apps:
    roots: tuple[str, ...]  # app root directories ("" is the repository root), longest first
    libraries: dict[str, tuple[str, ...]]  # library module directory -> the app roots naming it
    build_files: dict[str, str]  # app root -> its Gradle build file's text ("" when none)
    # apps_of's answers, asked once per file and config (a monorepo of hundreds of modules asks
    # for each dependency line and each screen)
    _answers: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    _longest_first: list[str] = field(default_factory=list, compare=False, repr=False)

    def app_of(self, rel: str) -> str | None:
        """The app root a file is inside, or None for a file outside every app."""
        for root in self.roots:
            if _under(rel, root):
                return root
        return None

    def apps_of(self, rel: str) -> tuple[str, ...]:
        """The apps a file's contents ship in: its own app, the apps naming its library module,
        or (a shared file) every app under the file's directory, or every app."""
        known = self._answers.get(rel)
        if known is None:
            known = self._answers[rel] = self._apps_of(rel)
        return known

    def _apps_of(self, rel: str) -> tuple[str, ...]:
        own = self.app_of(rel)
        if own is not None:
            return (own,)
        if not self._longest_first and self.libraries:
            self._longest_first.extend(sorted(self.libraries, key=len, reverse=True))
        for library in self._longest_first:
            if _under(rel, library) and self.libraries[library]:
                return self.libraries[library]
        scope = _scope_dir(rel)
        inside = tuple(r for r in self.roots if _under(r + "/", scope)) if scope else ()
        return inside or self.roots

    def naming(self, apps: tuple[str, ...], accessor: str) -> tuple[str, ...]:
        """Of some apps, those whose build file uses a version-catalog accessor (`libs.firebase.analytics`);
        all of them when none does (a bundle, a plugin, a build file not read)."""
        using = tuple(a for a in apps if accessor and re.search(re.escape(accessor) + r"\b", self.build_files.get(a, "")))
        return using or apps


def _under(rel: str, directory: str) -> bool:
    return directory == WHOLE or rel.startswith(directory + "/")


def _scope_dir(rel: str) -> str:
    """The part of the repository a shared file speaks for: its directory (a version catalog's
    `gradle/` folder speaks for the Gradle project above it)."""
    directory = posixpath.dirname(rel)
    return posixpath.dirname(directory) if posixpath.basename(directory) == "gradle" else directory


def find_apps(files: list[str], read) -> Apps:
    """The apps of a repository from its file list; `read(rel)` gives a build file's text (or None)."""
    data = table()
    android: dict[str, str] = {}
    libraries: dict[str, str] = {}
    flutter: set[str] = set()
    ios: set[str] = set()
    for rel in files:
        base = posixpath.basename(rel).lower()
        directory = posixpath.dirname(rel)
        if base in data.gradle_build_files:
            text = read(rel) or ""
            (android if any(m in text for m in data.android_app_markers) else libraries)[directory] = text
        elif base in data.flutter_files:
            if re.search(data.flutter_app_marker, read(rel) or ""):
                flutter.add(directory)
        elif base in data.ios_target_files:
            ios.add(posixpath.dirname(directory) if posixpath.basename(directory).lower() in data.plist_support_folders else directory)
    nested = [r for r in sorted(set(android) | ios) if any(_under(r, f) and r != f for f in flutter)]
    roots = tuple(sorted((set(android) | ios | flutter) - set(nested), key=lambda r: (-len(r), r)))
    if not roots:
        return Apps((WHOLE,), {}, {})
    build_files = {root: android.get(root, "") for root in roots}
    named: dict[str, list[str]] = {}
    for root, text in build_files.items():
        for project in _PROJECT.finditer(text):
            suffix = project.group(1).strip(":").replace(":", "/")
            for library in libraries:
                if library == suffix or library.endswith("/" + suffix):
                    named.setdefault(library, []).append(root)
    return Apps(roots, {lib: tuple(sorted(named.get(lib, ()))) for lib in libraries}, build_files)


def catalog_accessor(text: str, offset: int) -> str:
    """The `libs.` accessor of the version-catalog entry at an offset (`firebase-analytics = {…}`
    → `libs.firebase.analytics`), or "" for a line that is not a catalog entry."""
    start = text.rfind("\n", 0, offset) + 1
    match = re.match(r"\s*([A-Za-z][\w.\-]*)\s*=", text[start:offset + 1])
    return "libs." + re.sub(r"[-_.]", ".", match.group(1)) if match else ""
