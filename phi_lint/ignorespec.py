"""Gitignore-style pattern matching for the walk: .gitignore files, excludes and default excludes."""

from __future__ import annotations


def spec(lines):
    """A gitignore-style matcher: `match(rel, name, is_dir)` for an entry the walk reaches."""
    lines = [line for line in lines if line.strip() and not line.startswith("#")]
    fast = NameSpec.of(lines)
    return fast if fast is not None else PathSpec(lines)


def lenient_spec(lines) -> tuple[object, list[int]]:
    """spec() of the lines that are valid patterns, and the 1-based numbers of those that are not
    (a repository's .gitignore may hold anything)."""
    try:
        return spec(lines), []
    except ValueError:
        pass
    import pathspec

    valid, invalid = [], []
    for number, line in enumerate(lines, start=1):
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except ValueError:
            invalid.append(number)
        else:
            valid.append(line)
    return spec(valid), invalid


class PathSpec:
    def __init__(self, lines):
        import pathspec

        self._spec = pathspec.GitIgnoreSpec.from_lines(lines)

    def match(self, rel: str, name: str, is_dir: bool) -> bool:
        return self._spec.match_file(rel + "/" if is_dir else rel)

    def match_file(self, rel: str) -> bool:
        return self._spec.match_file(rel)


_GLOB = frozenset("*?[")


class NameSpec:
    """Gitignore patterns of the simple kinds (a name or name glob, `name/`, an anchored literal
    path), matched on the entry's name: the walk tests every directory before entering it, so a
    pattern without a slash need only be tested against the last path component. Same answers
    as pathspec's GitIgnoreSpec for these patterns (tests/test_discovery.py compares them), at a
    fraction of the cost: one set look-up and at most one regex per entry."""

    def __init__(self):
        self.names: set[str] = set()  # any entry with this name
        self.dir_names: set[str] = set()  # directories with this name
        self.paths: set[str] = set()  # this path, relative to the base
        self.dir_paths: set[str] = set()
        self.globs: list[str] = []
        self.dir_globs: list[str] = []
        self._glob = self._dir_glob = None

    @classmethod
    def of(cls, lines) -> NameSpec | None:
        import fnmatch
        import re

        spec = cls()
        for raw in lines:
            line = raw.rstrip()
            if (line != raw or not line or line.startswith(("!", " ", "\t")) or any(c in line for c in "\\[]")
                    or "**" in line or "//" in line):
                return None  # negations, escapes, classes, `**`, odd spaces or slashes: pathspec
            dir_only = line.endswith("/")
            body = line.rstrip("/")
            if not body:
                return None
            if "/" in body:  # a slash before the end anchors the pattern to the base directory
                body = body.lstrip("/")
                if not body or any(c in _GLOB for c in body):
                    return None
                (spec.dir_paths if dir_only else spec.paths).add(body)
            elif any(c in _GLOB for c in body):
                (spec.dir_globs if dir_only else spec.globs).append(fnmatch.translate(body))
            else:
                (spec.dir_names if dir_only else spec.names).add(body)
        if spec.globs:
            spec._glob = re.compile("|".join(spec.globs))
        if spec.dir_globs:
            spec._dir_glob = re.compile("|".join(spec.dir_globs))
        return spec

    def match(self, rel: str, name: str, is_dir: bool) -> bool:
        if name in self.names or rel in self.paths:
            return True
        if is_dir and (name in self.dir_names or rel in self.dir_paths):
            return True
        if self._glob is not None and self._glob.match(name):
            return True
        return is_dir and self._dir_glob is not None and self._dir_glob.match(name) is not None

    def match_file(self, rel: str) -> bool:
        """A path named explicitly (not reached by the walk): test every component."""
        parts = rel.strip("/").split("/")
        is_dir = rel.endswith("/")
        for index in range(len(parts)):
            last = index == len(parts) - 1
            if self.match("/".join(parts[: index + 1]), parts[index], is_dir or not last):
                return True
        return False


class AnyCase:
    """A spec whose patterns match in any letter case: the default excludes name folders by
    convention (`tests/`, `vendor/`), and `Tests/` (PHPUnit's habit) or `Vendor/` are the same
    folders; on macOS and Windows they are the same path. The patterns are written lowercase."""

    def __init__(self, inner):
        self._inner = inner

    def match(self, rel: str, name: str, is_dir: bool) -> bool:
        return self._inner.match(rel.lower(), name.lower(), is_dir)

    def match_file(self, rel: str) -> bool:
        return self._inner.match_file(rel.lower())
