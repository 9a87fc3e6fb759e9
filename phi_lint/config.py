"""Configuration: pyproject.toml [tool.phi-lint], or phi-lint.toml / .phi-lint.toml.

The file nearest to the scanned path wins. Unknown keys and bad values are user errors that
name the file and the key (exit status 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.config_keys import KEYS as _KEYS
from phi_lint.errors import UserError
from phi_lint.models import PAGE_LABELS
from phi_lint.profiles import DEFAULT_PROFILE, check_profile_name
from phi_lint.reporters.common import excerpt
from phi_lint.safeio import is_inside
from phi_lint.suggest import did_you_mean
from phi_lint.textio import DEFAULT_MAX_FILE_SIZE
from phi_lint.tomlread import TOMLDecodeError, load_toml

CONFIG_NAMES = ("phi-lint.toml", ".phi-lint.toml", "pyproject.toml")
MAX_FILE_SIZE_LIMIT = 1 << 30  # 1 GiB: files are read whole; a larger limit is a typo or an attack

# Excluded below every scanned directory unless --no-default-excludes (gitignore syntax, in
# lowercase: they match in any case, `Tests/` too; phi_lint.ignorespec.AnyCase).
DEFAULT_EXCLUDES = (
    ".git/", ".hg/", ".svn/", "node_modules/", "bower_components/", "jspm_packages/",
    "vendor/", "vendors/", "third_party/", "third-party/", "dist/", "build/", "out/",
    ".next/", ".nuxt/", ".output/", ".svelte-kit/", ".astro/", ".vercel/", ".netlify/",
    "coverage/", "__pycache__/", ".venv/", "venv/", ".tox/", ".cache/", ".parcel-cache/",
    # Yarn Berry's committed releases and plugins (minified bundles of 1-2 MB) and Plug'n'Play loaders
    ".yarn/", ".pnp.cjs", ".pnp.loader.mjs",
    "public/build/", "storage/framework/",
    "test/", "tests/", "__tests__/", "spec/", "specs/", "e2e/", "cypress/", "fixtures/", "__mocks__/",
    "*.min.js", "*.min.mjs", "*.bundle.js", "*.chunk.js", "*.map",
    "*.test.*", "*.spec.*", "*.stories.*", "*.d.ts",
)



@dataclass
class Config:
    path: Path | None = None  # the file it came from, None for defaults
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this directory
    exclude: list[str] | None = None  # None: the defaults
    extend_exclude: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    baa_vendors: list[str] = field(default_factory=list)
    vendor_dirs: list[Path] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)
    infer: bool = True
    strict: bool = False  # consent-gated trackers on health pages stay warnings
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    baseline: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # [frameworks.<id>] <key> = [names]: the user's guards, added to rules/frameworks/<id>.toml
    frameworks: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    first_party: list[str] = field(default_factory=list)  # the site's own hosts: `cdn.x.org`, `*.x.org`
    profile: str = DEFAULT_PROFILE  # rules/profiles/<id>.toml: the law the repository answers to

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "defaults"

    def key_origin(self, key: str) -> str:
        if self.path is None:
            return f"`{key}`"
        table = "[tool.phi-lint]" if self.path.name == "pyproject.toml" else ""
        key = excerpt(key)
        return f"{self.path}: {table}`{key}`" if table else f"{self.path}: `{key}`"


def _section(path: Path) -> dict | None:
    try:
        data = load_toml(path)
    except TOMLDecodeError as exc:
        raise UserError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise UserError(f"{path}: invalid TOML: line {line} is not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read configuration: {exc.strerror}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("phi-lint") if isinstance(tool, dict) else None
    return data


def find_config(start: Path, stop: Path | None = None) -> Path | None:
    """The nearest configuration file at or above start, looking no higher than `stop` (the
    repository root): a phi-lint.toml in a shared parent folder (/tmp, a home directory) is not
    the scanned repository's. A pyproject.toml whose TOML cannot be parsed is an error, not
    skipped: its [tool.phi-lint] table may be there."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    stop = stop.resolve() if stop is not None else None
    for candidate_dir in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file() or candidate.is_symlink():
                if stop is not None and not is_inside(str(candidate), str(stop)):
                    raise UserError(f"{candidate}: a symbolic link that leaves the repository; not read")
                if name == "pyproject.toml" and _section(candidate) is None:
                    continue
                return candidate
        if stop is not None and candidate_dir == stop:
            break
    return None


def _string_list(data: dict, key: str, origin) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"{origin(key)} must be a list of strings")
    return list(value)


def _why(exc: Exception) -> str:
    # re.error's own message (without "at position N": a position in the translated regex)
    return excerpt(getattr(exc, "msg", None) or str(exc))


def _check_selectors(codes: list[str], key: str, origin) -> None:
    """Rule ids or prefixes, checked here so that an unknown one names the file and the key."""
    if not codes:
        return
    from phi_lint.rulebook import select_rules

    try:
        select_rules(codes, [])
    except UserError as exc:
        raise UserError(f"{origin(key)}: {exc}") from None


def _check_paths(data: dict, origin) -> None:
    """vendor-dirs and baseline are paths: a NUL byte cannot be in one (the OS rejects it)."""
    for key in ("vendor-dirs", "baseline"):
        values = data.get(key)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and "\0" in value:
                raise UserError(f"{origin(key)}: `{excerpt(value)}` holds a NUL byte, which no path can hold")


def _check_excludes(patterns: list[str], key: str, origin) -> None:
    """Compile exclude patterns as discovery will, so a bad one is an error naming its key."""
    from phi_lint.ignorespec import spec as _spec

    for pattern in patterns:
        try:
            _spec([pattern])
        except (ValueError, re.error) as exc:
            raise UserError(f"{origin(key)}: `{excerpt(pattern)}` is not a valid pattern ({_why(exc)})") from None


def _check_globs(globs, key_of, origin) -> None:
    """Compile [pages] and per-file-ignores globs as they will be matched (pathspec's gitignore
    syntax, one spec per glob), so `[z-a]` is an error naming its key, not a crash mid-scan."""
    import pathspec

    for glob in globs:
        try:
            pathspec.GitIgnoreSpec.from_lines([glob])
        except (ValueError, re.error) as exc:
            raise UserError(f"{origin(key_of(glob))}: `{excerpt(glob)}` is not a valid glob ({_why(exc)})") from None


def _check_hosts(patterns: list[str], key: str, origin) -> None:
    """Host patterns as PHI006 matches them: `cdn.riverbend.org` or `*.riverbend.org`."""
    from phi_lint.thirdparty.hosts import parse_pattern

    for pattern in patterns:
        if parse_pattern(pattern) is None:
            raise UserError(
                f"{origin(key)}: `{excerpt(pattern)}` is not a host name or `*.domain` pattern "
                "(write `cdn.riverbend.org` or `*.riverbend.org`, no scheme, path or port)"
            )


def load_config(path: Path | None, default_root: Path) -> Config:
    if path is None:
        return Config(root=default_root.resolve())
    path = path.resolve()
    if not path.is_file():
        raise UserError(f"configuration file {path} does not exist")
    data = _section(path)
    config = Config(path=path, root=path.parent)
    if data is None:
        return config
    origin = config.key_origin
    for key in data:
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS)
            raise UserError(f"{origin(key)} is not a phi-lint setting{hint}; known settings: {', '.join(sorted(_KEYS))}")
    _check_paths(data, origin)
    if "exclude" in data:
        config.exclude = _string_list(data, "exclude", origin)
        _check_excludes(config.exclude, "exclude", origin)
    config.extend_exclude = _string_list(data, "extend-exclude", origin)
    _check_excludes(config.extend_exclude, "extend-exclude", origin)
    config.select = _string_list(data, "select", origin)
    _check_selectors(config.select, "select", origin)
    config.ignore = _string_list(data, "ignore", origin)
    _check_selectors(config.ignore, "ignore", origin)
    config.baa_vendors = _string_list(data, "baa-vendors", origin)
    config.vendor_dirs = [
        (path.parent / d).resolve() for d in _string_list(data, "vendor-dirs", origin)
    ]
    for directory in config.vendor_dirs:
        if not directory.is_dir():
            raise UserError(f"{origin('vendor-dirs')}: {directory} is not a directory")
    if "infer" in data:
        if not isinstance(data["infer"], bool):
            raise UserError(f"{origin('infer')} must be true or false")
        config.infer = data["infer"]
    if "strict" in data:
        if not isinstance(data["strict"], bool):
            raise UserError(f"{origin('strict')} must be true or false")
        config.strict = data["strict"]
    if "profile" in data:
        config.profile = check_profile_name(data["profile"], origin("profile"))
    if "max-file-size" in data:
        size = data["max-file-size"]
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise UserError(f"{origin('max-file-size')} must be a positive number of bytes")
        if size > MAX_FILE_SIZE_LIMIT:
            raise UserError(f"{origin('max-file-size')} must be at most {MAX_FILE_SIZE_LIMIT} bytes (1 GiB)")
        config.max_file_size = size
    per_file = data.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise UserError(f"{origin('per-file-ignores')} must be a table of glob = [rule ids]")
    for glob, _rules in per_file.items():
        config.per_file_ignores[glob] = _string_list(per_file, glob, lambda k: origin(f"per-file-ignores.{k}"))
    if config.per_file_ignores:
        _check_globs(config.per_file_ignores, lambda glob: f"per-file-ignores.{glob}", origin)
    if "baseline" in data:
        if not isinstance(data["baseline"], str):
            raise UserError(f"{origin('baseline')} must be a path to the baseline file")
        config.baseline = (path.parent / data["baseline"]).resolve()
    if "frameworks" in data:
        from phi_lint.frameworks_data import check_additions, shipped

        config.frameworks = check_additions(data["frameworks"], shipped(), origin)
    config.first_party = _string_list(data, "first-party", origin)
    _check_hosts(config.first_party, "first-party", origin)
    pages = data.get("pages", {})
    if not isinstance(pages, dict):
        raise UserError(f"{origin('pages')} must be a table with keys {', '.join(PAGE_LABELS)}")
    for label, _globs in pages.items():
        if label not in PAGE_LABELS:
            raise UserError(f"{origin('pages.' + label)} is not a page label; use one of {', '.join(PAGE_LABELS)}")
        config.pages[label] = _string_list(pages, label, lambda k: origin("pages." + k))
        _check_globs(config.pages[label], lambda glob, label=label: f"pages.{label}", origin)
    return config
