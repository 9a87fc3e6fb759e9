"""Find the files to scan: walk the given paths, honour .gitignore and excludes, classify.

Symbolic links to directories are not followed (no loops, nothing outside the tree); links to
files are scanned under their target's path when the target is inside the tree. Everything
passed over for a reason the user may not expect becomes a notification.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.config import DEFAULT_EXCLUDES, Config
from phi_lint.dialects import dialect_for, project_dialect, project_endings
from phi_lint.generic.files import GENERIC, generic_by_name
from phi_lint.generic.frameworks import is_sign
from phi_lint.ignorespec import AnyCase, lenient_spec
from phi_lint.ignorespec import spec as _spec
from phi_lint.lang.endings import endings_of
from phi_lint.mobile import MOBILE, mobile_kind
from phi_lint.models import Notification
from phi_lint.safeio import file_type, head_of, read_inside
from phi_lint.siteconfig import may_be_config
from phi_lint.siteconfig.pages import HEAD_CHARS, MARKDOWN, content_pages, is_markdown

JS_ENDINGS = endings_of("javascript")  # the ending table's (phi_lint.lang.endings)


CODE_ENDINGS = (".py", ".rb", ".rake", ".groovy", ".java", ".kt", ".cs", ".go", ".ex", ".exs")
CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
# config files in no language phi-lint otherwise reads, named in rules/config-trackers.toml
# (_config.yml, hugo.toml, …); JS, Python and Ruby configs keep their language's kind
SITE_CONFIG_ENDINGS = (".toml", ".yml", ".yaml")
# dependency manifests of Python, Ruby and Java servers, read for the server SDKs they name
# Spring Security's XML config (spring-security.xml, applicationContext-security.xml): read only
# by phi_lint/frameworks/spring_security_xml.py, and only when it holds the schema's URL
SECURITY_XML_NAME_PART = "security"
SERVER_DEPENDENCY_FILES = frozenset({"pyproject.toml", "gemfile", "pom.xml"})

# kinds that hold sightings and are pages; the others are only read by the page graph and
# context inference (server code, path aliases); "generic" files are read as plain text
# (phi_lint.generic): pages whose graph and guards are unknown
SIGHTING_KINDS = ("markup", "script", "manifest", GENERIC)


def classify(name: str) -> str | None:
    """The kind of file: markup, script, manifest, mobile, code, config, json, server-config, site-config
    (a site generator's config), sign (a file that names a framework phi-lint does not model),
    generic (read as plain text), or None (not read at all)."""
    lower = name.lower()
    if lower == "package.json":
        return "manifest"
    if mobile_kind(lower):
        return MOBILE  # app manifests, platform config, Swift, Objective-C, Dart (phi_lint.mobile)
    if lower in CONFIG_NAMES or (lower.startswith("tsconfig.") and lower.endswith(".json")):
        return "config"
    if lower.endswith((".json", ".json.js")):
        return "json"  # read only to recognise committed tag-manager exports
    if lower.endswith(CODE_ENDINGS):
        return "code"
    if lower.endswith(JS_ENDINGS) and not lower.endswith(".d.ts"):
        return "script"
    dialect = dialect_for(lower)
    if dialect is not None and (not dialect.project_endings or project_dialect(lower) is None):
        return "markup"  # a template dialect of rules/dialects.toml (an ending a dialect owns only in
        # its projects, `.tmpl` below a go.mod, is decided after the walk: _claim_project_endings)
    if lower == ".htaccess" or lower.endswith(".conf") or lower == "web.config":
        return "server-config"  # read only for a committed Content-Security-Policy header, and
        # ASP.NET's <authorization> rules (phi_lint/frameworks/aspnet.py)
    if lower.endswith(".xml") and SECURITY_XML_NAME_PART in lower:
        return "server-config"  # Spring Security's <intercept-url> rules (phi_lint/frameworks/spring.py)
    if lower.endswith(SITE_CONFIG_ENDINGS) and may_be_config(lower):
        return "site-config"  # a site generator's config: read only for the trackers it switches on
    if is_markdown(lower):
        return MARKDOWN  # a page only in a static site's content folders: claim_site_pages
    if generic_by_name(lower):
        return GENERIC
    if lower in SERVER_DEPENDENCY_FILES or (lower.startswith("requirements") and lower.endswith(".txt")):
        return "sign"  # read only for the server SDKs it depends on (phi_lint.senders), like go.mod
    if is_sign(lower):
        return "sign"  # read only to say which unmodelled framework the repository uses
    return None


@dataclass
class SourceFile:
    path: Path | str  # absolute (a str when discovered: 20,000 Path objects cost a tenth of a second)
    rel: str  # relative to the project root, forward slashes
    kind: str
    data: bytes | None = None  # the contents when they come from standard input, not the disk

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


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
    paths: list[Path], config: Config, root: Path, default_excludes: bool = True, force_exclude: bool = False,
    stand_ins: frozenset[str] = frozenset(), memo=None,
) -> Discovery:
    """Files to scan under paths. Files named explicitly are scanned unless a config exclude
    matches them; with force_exclude (pre-commit) the default excludes apply to them too,
    relative to the project root, so the hook and `phi-lint .` agree. `stand_ins` are absolute
    paths that name a file whose contents come from standard input: treated as named files
    whether or not they exist on disk. `memo` (a cache.WalkStore) keeps the walk of the project
    folder, reused while the tree is unchanged (phi_lint.walkmemo)."""
    result = Discovery()
    seen: set[str] = set()
    user_patterns = list(config.exclude or []) + list(config.extend_exclude)
    user_spec = _spec(user_patterns) if user_patterns else None
    defaults = AnyCase(_spec(DEFAULT_EXCLUDES)) if (default_excludes and config.exclude is None) else None

    config_root = str(config.root)
    root_str = str(root)

    def user_excluded(path, is_dir: bool) -> bool:
        if user_spec is None:
            return False
        full = str(path)
        if full.startswith(config_root + os.sep):
            rel = _below(full, config_root)
        else:
            rel = rel_to(Path(full), config.root)
        return user_spec.match_file(rel + "/" if is_dir else rel)

    def add(path, display, resolved: bool = False, kind: str | None = None) -> None:
        full = str(path)
        kind = kind or classify(os.path.basename(full))
        if kind is None:
            return
        real = full if resolved else os.path.realpath(full)
        if real in seen:
            return
        seen.add(real)
        rel = _below(real, root_str) if real.startswith(root_str + os.sep) else rel_to(Path(real), root)
        result.files.append(SourceFile(real, rel, kind))

    def add_below_root(items: list[tuple[str, str]]) -> None:
        """add() of walked files, each (path below the root, kind): a replayed walk of the root."""
        prefix, files = root_str + os.sep, result.files
        for rel, kind in items:
            full = prefix + rel
            if full in seen:
                continue
            seen.add(full)
            files.append(SourceFile(full, rel, kind))

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

    named: set[str] = set()  # files given by name on the command line (a skip of one is said)
    for given in paths:
        absolute = Path(os.path.abspath(given))
        stand_in = str(absolute) in stand_ins
        if not stand_in and not os.path.lexists(given):
            raise FileNotFoundError(str(given))
        if absolute.is_symlink():
            target = link_target(absolute)
            if target is None:
                continue
        if stand_in or absolute.is_file():
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
            named.add(rel_to(absolute, root))
            continue
        top = absolute.resolve()
        if memo is not None and top in (root, config.root):
            _walk_memoised(memo, str(top), result, add, (link_target, user_excluded, defaults, root),
                           config, defaults is not None, add_below_root)
        else:
            _walk(top, result, add, link_target, user_excluded, defaults, root)
    _claim_project_endings(result.files, root)
    _claim_site_pages(result, named)
    result.files.sort(key=lambda f: f.rel)
    result.notifications.sort()
    return result


def _claim_project_endings(files: list[SourceFile], root: Path) -> None:
    """Files of an ending a dialect owns only inside its projects (`.tmpl` next to a go.mod)
    become markup where a folder from theirs up to the root holds one of its project files;
    elsewhere they keep the kind their name gives them (plain text)."""
    endings = project_endings()
    if not endings:
        return
    root_str = str(root)
    held: dict[tuple[str, str], bool] = {}

    def holds(folder: str, name: str) -> bool:
        key = (folder, name)
        if key not in held:
            held[key] = os.path.isfile(os.path.join(folder, name))
        return held[key]

    for index, source in enumerate(files):
        if source.kind == "markup" or source.data is not None or not source.rel.lower().endswith(endings):
            continue
        dialect = project_dialect(source.name)
        if dialect is None:
            continue
        folder = os.path.dirname(str(source.path))
        while True:
            if any(holds(folder, name) for name in dialect.project_files):
                files[index] = SourceFile(source.path, source.rel, "markup", source.data)
                break
            parent = os.path.dirname(folder)
            if folder == root_str or parent == folder or not folder.startswith(root_str):
                break
            folder = parent


def _claim_site_pages(result: Discovery, named: set[str]) -> None:
    """Markdown files that are pages of a static site of the run become markup; the others (a
    README, a CHANGELOG, another project's docs) are dropped: nothing reads them. One given by
    name is not dropped silently: the run says it was skipped and why; nor is one, named or
    walked, whose front matter could not be read to tell (silence is not safety)."""
    candidates = [source.rel for source in result.files if source.kind == MARKDOWN]
    if not candidates:
        return
    by_rel = {source.rel: source for source in result.files}
    unread: dict[str, str] = {}  # rel -> why its head could not be read

    def head(rel: str) -> str:
        source = by_rel[rel]
        if source.data is not None:
            return source.data[:HEAD_CHARS].decode("utf-8", "replace")
        read = head_of(str(source.path), HEAD_CHARS)
        if read.data is None:
            unread[rel] = (read.problem or "cannot read").removeprefix("skipped: ")
        return (read.data or b"").decode("utf-8", "replace")

    pages = content_pages(list(by_rel), candidates, head)
    for rel in candidates:
        if rel in pages:
            continue
        if rel in unread:
            result.notifications.append(Notification(
                rel, f"skipped: a Markdown file in a static site's folders could not be read ({unread[rel]}), "
                     "so whether it is one of the site's pages is unknown"))
        elif rel in named:
            result.notifications.append(Notification(
                rel, "skipped: a Markdown file is read only as a page of a static site phi-lint models "
                     "(Hugo, Jekyll, Docusaurus, VitePress, VuePress, Eleventy), and no such site holds this one",
                level="note"))
    result.files[:] = [
        SourceFile(source.path, source.rel, "markup", source.data) if source.rel in pages else source
        for source in result.files if source.kind != MARKDOWN or source.rel in pages
    ]


def _walk_memoised(memo, top: str, result: Discovery, add, walk_args: tuple, config: Config, defaults: bool,
                   add_below_root=None) -> None:
    """The walk of `top`: replayed from the memo while the tree is unchanged, else walked and kept.
    A replay of the root itself goes to add_below_root in one call (the memo's paths are already
    the files' paths below the root, and are neither classified nor resolved again)."""
    import time

    from phi_lint import walkmemo

    root = walk_args[3]
    key = walkmemo.memo_key(top, str(root), config, defaults, memo.code)
    log = walkmemo.decode(memo.read(), key, top)
    index_path = os.path.join(str(root), ".git", "index")
    if log is not None and log.unchanged(_Tracked(root), index_path):
        prefix = top.rstrip(os.sep) + os.sep
        if add_below_root is not None and top == str(root) != os.sep and os.sep == "/":
            add_below_root(log.files)
        else:
            for rel, kind in log.files:
                full = prefix + rel
                add(full, full, resolved=True, kind=kind)
        result.notifications.extend(log.notes)
        result.excluded += log.excluded
        return
    log = walkmemo.WalkLog(key, time.time_ns(), index=walkmemo.file_stat(index_path))
    part = Discovery()
    prefix = top.rstrip(os.sep) + os.sep

    def logged_add(path, display, resolved: bool = False, kind: str | None = None) -> None:
        if resolved and kind is not None:
            log.files.append((str(path)[len(prefix):], kind))
        add(path, display, resolved, kind)

    link_target, user_excluded, default_spec, _ = walk_args
    _walk(Path(top), part, logged_add, link_target, user_excluded, default_spec, root, log)
    result.notifications.extend(part.notifications)
    result.excluded += part.excluded
    if log.keepable:
        log.notes, log.excluded = part.notifications, part.excluded
        memo.write(walkmemo.encode(log))


class _Everything:
    def match(self, rel: str, name: str, is_dir: bool) -> bool:
        return True


_EVERYTHING = _Everything()


class _Tracked:
    """Whether a path git tracks (read from .git/index on the first .gitignore match only):
    a tracked file is deployed whatever .gitignore says, so it is judged."""

    def __init__(self, root: Path, asked: dict[str, bool] | None = None):
        self.root = str(root)
        self._files: frozenset[str] | None = None
        self._dirs: frozenset[str] = frozenset()
        self._loaded = False
        self._asked = asked  # every answer given, for the walk memo ("d:"/"f:" + path)

    def __call__(self, full: str, is_dir: bool) -> bool:
        answer = self._answer(full, is_dir)
        if self._asked is not None:
            self._asked[("d:" if is_dir else "f:") + full] = answer
        return answer

    def _answer(self, full: str, is_dir: bool) -> bool:
        if not self._loaded:
            from phi_lint.gitindex import tracked_dirs, tracked_paths

            self._loaded = True
            self._files = tracked_paths(self.root)
            if self._files:
                self._dirs = tracked_dirs(self._files)
        if not self._files or not full.startswith(self.root + os.sep):
            return False
        rel = _below(full, self.root)
        return rel in self._dirs if is_dir else rel in self._files


def _walk(top: Path, result: Discovery, add, link_target, user_excluded, defaults, root: Path, log=None) -> None:
    """Walk top; `log` (a walkmemo.WalkLog) notes the folders listed, the ignore files read,
    git's answers and any link met."""
    # iterative walk over path strings (Path objects only for what is kept):
    # (directory, [(base directory, gitignore spec), ...])
    top_str = str(top)
    tracked = _Tracked(root, None if log is None else log.tracked)
    stack: list[tuple[str, tuple]] = [(top_str, ())]
    while stack:
        directory, ignores = stack.pop()
        if log is not None:
            log.note_folder(directory)  # before listing it: a change while it is listed is seen next time
        gitignore = os.path.join(directory, ".gitignore")
        if os.path.lexists(gitignore):
            if log is not None:
                log.note_ignore_file(gitignore)
            matcher = _gitignore(gitignore, result, root)
            if matcher is not None:
                ignores = ignores + ((directory, matcher),)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except PermissionError:
            result.notifications.append(Notification(rel_to(Path(directory), root), "skipped directory: permission denied"))
            continue
        except OSError as exc:
            result.notifications.append(Notification(rel_to(Path(directory), root), f"skipped directory: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError as exc:
                result.notifications.append(Notification(rel_to(Path(entry.path), root), f"skipped: {_entry_problem(exc)}"))
                if log is not None:
                    log.keepable = False  # a type that could not be read may be readable next time
                continue
            if is_dir and name in (".git", ".phi-lint-cache"):
                continue
            full = entry.path
            if defaults is not None and defaults.match(_below(full, top_str), name, is_dir):
                result.excluded += 1
                continue
            ignored = any(spec.match(_below(full, base), name, is_dir) for base, spec in ignores)
            if ignored and not tracked(full, is_dir):
                result.excluded += 1
                continue
            if user_excluded(full, is_dir):
                result.excluded += 1
                continue
            if is_link:
                if log is not None:
                    log.keepable = False  # where a link leads changes without its folder changing
                path = Path(full)
                if classify(name) is None:
                    try:
                        if entry.is_dir():
                            result.notifications.append(
                                Notification(rel_to(path, root), "symlink to a directory not followed", level="note")
                            )
                    except OSError as exc:  # a loop, or a target we may not look at: it may be a folder
                        result.notifications.append(Notification(rel_to(path, root), f"skipped: {_entry_problem(exc)}"))
                    continue
                target = link_target(path)
                if target is not None and target.is_file():
                    add(target, path)
                continue
            if is_dir:
                # below an ignored directory git tracks, only the tracked files count
                subdirs.append((full, ignores + ((full, _EVERYTHING),) if ignored else ignores))
            else:
                kind = classify(name)
                if kind is None:
                    continue
                try:
                    regular = entry.is_file(follow_symlinks=False)
                    mode = 0 if regular else entry.stat(follow_symlinks=False).st_mode
                except OSError:
                    regular, mode = True, 0  # gone or unreadable: the read says why
                if not regular:
                    result.notifications.append(
                        Notification(rel_to(Path(full), root), f"skipped: {file_type(mode)}, not a regular file")
                    )
                    continue
                add(full, full, resolved=True, kind=kind)  # the walk follows no links: already real
        stack.extend(reversed(subdirs))


def _entry_problem(exc: OSError) -> str:
    """Why a listed entry could not be told file or folder, as the other skips say it."""
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot tell whether it is a file or a directory ({exc.strerror or exc})"


MAX_GITIGNORE_SIZE = 1024 * 1024


def _gitignore(path: str, result: Discovery, root: Path):
    """The matcher of a .gitignore, read like any file of the tree (regular, inside it, bounded);
    a line that is not a valid pattern is left out with a notice, the others apply."""
    read = read_inside(path, str(root), MAX_GITIGNORE_SIZE)
    display = rel_to(Path(path), root)
    if read.data is None:
        problem = (read.problem or "").removeprefix("skipped: ")
        result.notifications.append(Notification(display, f".gitignore not read ({problem}); its patterns do not apply"))
        return None
    matcher, invalid = lenient_spec(read.data.decode("utf-8", errors="replace").splitlines())
    for number in invalid:
        result.notifications.append(Notification(display, f"line {number}: not a valid gitignore pattern; left out", level="note"))
    return matcher


def _below(full: str, base: str) -> str:
    """`full` relative to its ancestor directory `base`, with forward slashes."""
    rel = full[len(base) + 1 :] if base != os.sep else full[1:]
    return rel.replace(os.sep, "/") if os.sep != "/" else rel
