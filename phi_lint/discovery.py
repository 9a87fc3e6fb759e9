"""Find the files to scan: walk the given paths, honour .gitignore and excludes, classify.

Symbolic links to directories are not followed (no loops, nothing outside the tree); links to
files are scanned under their target's path when the target is inside the tree. Everything
passed over for a reason the user may not expect becomes a notification.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.config import DEFAULT_EXCLUDES, Config
from phi_lint.models import Notification
from phi_lint.parsers.template_comments import markup_flavour

JS_ENDINGS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")


CODE_ENDINGS = (".py", ".rb", ".rake", ".groovy", ".java", ".kt", ".cs")
CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")

# kinds that hold sightings and are pages; the others are only read by the page graph and
# context inference (server code, path aliases)
SIGHTING_KINDS = ("markup", "script", "manifest")


def classify(name: str) -> str | None:
    """The kind of file: markup, script, manifest, code, config, or None (not read at all)."""
    lower = name.lower()
    if lower == "package.json":
        return "manifest"
    if lower in CONFIG_NAMES or (lower.startswith("tsconfig.") and lower.endswith(".json")):
        return "config"
    if lower.endswith((".json", ".json.js")):
        return "json"  # read only to recognise committed tag-manager exports
    if lower.endswith(CODE_ENDINGS):
        return "code"
    if lower.endswith(JS_ENDINGS) and not lower.endswith(".d.ts"):
        return "script"
    if markup_flavour(lower) is not None:
        return "markup"
    return None


def _spec(lines):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


@dataclass
class SourceFile:
    path: Path  # absolute
    rel: str  # relative to the project root, forward slashes
    kind: str


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    excluded: int = 0


def project_root(start: Path) -> Path:
    """The repository root (nearest .git above start), else start's directory."""
    directory = (start if start.is_dir() else start.parent).resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def rel_to(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    paths: list[Path], config: Config, root: Path, default_excludes: bool = True, force_exclude: bool = False
) -> Discovery:
    """Files to scan under paths. Files named explicitly are scanned unless a config exclude
    matches them; with force_exclude (pre-commit) the default excludes apply to them too,
    relative to the project root, so the hook and `phi-lint .` agree."""
    result = Discovery()
    seen: set[Path] = set()
    user_patterns = list(config.exclude or []) + list(config.extend_exclude)
    user_spec = _spec(user_patterns) if user_patterns else None
    defaults = _spec(DEFAULT_EXCLUDES) if (default_excludes and config.exclude is None) else None

    def user_excluded(path: Path, is_dir: bool) -> bool:
        if user_spec is None:
            return False
        rel = rel_to(path, config.root)
        return user_spec.match_file(rel + "/" if is_dir else rel)

    def add(path: Path, display: Path, resolved: bool = False) -> None:
        kind = classify(path.name)
        if kind is None:
            return
        real = path if resolved else path.resolve()
        if real in seen:
            return
        seen.add(real)
        result.files.append(SourceFile(real, rel_to(real, root), kind))

    def link_target(path: Path) -> Path | None:
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = "symlink loop" if isinstance(exc, RuntimeError) or getattr(exc, "errno", 0) == 40 else "broken symlink"
            result.notifications.append(Notification(rel_to(path.absolute(), root), f"skipped: {reason}"))
            return None
        try:
            target.relative_to(root)
        except ValueError:
            result.notifications.append(
                Notification(rel_to(path.absolute(), root), f"skipped: symlink leaves the scanned tree (to {target})")
            )
            return None
        return target

    for given in paths:
        if not os.path.lexists(given):
            raise FileNotFoundError(str(given))
        absolute = Path(os.path.abspath(given))
        if absolute.is_symlink():
            target = link_target(absolute)
            if target is None:
                continue
        if absolute.is_file():
            if classify(absolute.name) is None:
                result.notifications.append(
                    Notification(rel_to(absolute, root), "skipped: not a file kind phi-lint scans", level="note")
                )
                continue
            if user_excluded(absolute.resolve(), False) or (
                force_exclude and defaults is not None and defaults.match_file(rel_to(absolute.resolve(), root))
            ):
                result.excluded += 1
                continue
            add(absolute, absolute)
            continue
        _walk(absolute.resolve(), result, add, link_target, user_excluded, defaults, root)
    result.files.sort(key=lambda f: f.rel)
    result.notifications.sort()
    return result


def _walk(top: Path, result: Discovery, add, link_target, user_excluded, defaults, root: Path) -> None:
    # iterative walk: (directory, [(base directory, gitignore spec), ...])
    stack: list[tuple[Path, tuple]] = [(top, ())]
    while stack:
        directory, ignores = stack.pop()
        gitignore = directory / ".gitignore"
        if gitignore.is_file():
            try:
                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                ignores = ignores + ((directory, _spec(lines)),)
            except OSError as exc:
                result.notifications.append(
                    Notification(rel_to(gitignore, root), f"could not read .gitignore: {exc.strerror}")
                )
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            result.notifications.append(Notification(rel_to(directory, root), "skipped directory: permission denied"))
            continue
        except OSError as exc:
            result.notifications.append(Notification(rel_to(directory, root), f"skipped directory: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and entry.name in (".git", ".phi-lint-cache"):
                continue
            rel_top = path.relative_to(top).as_posix()
            if defaults is not None and defaults.match_file(rel_top + "/" if is_dir else rel_top):
                result.excluded += 1
                continue
            if any(spec.match_file(path.relative_to(base).as_posix() + ("/" if is_dir else "")) for base, spec in ignores):
                result.excluded += 1
                continue
            if user_excluded(path, is_dir):
                result.excluded += 1
                continue
            if is_link:
                if classify(entry.name) is None:
                    try:
                        if entry.is_dir():
                            result.notifications.append(
                                Notification(rel_to(path, root), "symlink to a directory not followed", level="note")
                            )
                            continue
                    except OSError:
                        pass
                    continue
                target = link_target(path)
                if target is not None and target.is_file():
                    add(target, path)
                continue
            if is_dir:
                subdirs.append((path, ignores))
            elif classify(entry.name) is not None:
                add(path, path, resolved=True)  # the walk follows no links: already real
        stack.extend(reversed(subdirs))
