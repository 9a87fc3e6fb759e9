"""The vendor catalogue: data files in rules/vendors/ loaded and compiled once per run.

Two engines, by where a file comes from:

- the shipped files (rules/vendors/) compile with Python's `re`. Their patterns are reviewed in
  this repository (no nested quantifiers), and `re` is what the hot path can afford: a URL
  signature is searched for every URL of every file the prefilter lets through, and a search
  costs about a microsecond in `re` against about twenty through google-re2's Python binding;
- files from `vendor-dirs` compile with RE2 (`phi_lint.untrusted_regex`), which matches in time
  linear in the text. The configuration that names them may come with the scanned repository (a
  pull request can add a vendor file), so `(a+)+$` must not be able to hang the scan. RE2 has no
  look-around and no back-references: a user pattern RE2 rejects is a configuration error (exit
  2) naming the file, the key and RE2's reason, not a pattern silently run in another engine or
  dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from phi_lint.errors import UserError
from phi_lint.lazyre import data_pattern, lazy_pattern
from phi_lint.regexdata import compile_data
from phi_lint.replay_rules import ReplayReader, ReplayRuleError, load_readers
from phi_lint.resources import rules_dir
from phi_lint.tomlread import TOMLDecodeError, load_toml
from phi_lint.untrusted_regex import compile_linear

CATEGORIES = {
    "advertising",
    "analytics",
    "tag-manager",
    "session-replay",
    "cdp",
    "marketing-automation",
    "rum",
    "error-monitoring",
    "call-tracking",
    "identity",
    "experimentation",
    "customer-engagement",
    "accessibility-overlay",
    "embed",
    "location",  # precise-location and geofencing SDKs (the consumer-health profile reports them)
}
CAPABILITIES = {
    "session-replay",
    "keystroke-capture",
    "form-autocapture",
    "advanced-matching",
    "identify",
    "cross-site-tracking",
    "heatmaps",
    "call-recording",
}
ROLES = {"init", "track", "identify"}
# dependency ecosystems of mobile SDKs (`[[sdks]]`); the manifests of each are in rules/mobile.toml
ECOSYSTEMS = {"gradle", "cocoapods", "swiftpm", "carthage", "pub", "expo"}
BAA_VALUES = {"yes", "conditional", "no", "unknown"}
_ID_RE = lazy_pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_VENDOR_KEYS = {
    "id", "name", "category", "description", "docs", "baa", "capabilities", "keywords",
    "id_pattern", "urls", "calls", "assignments", "packages", "notes", "gtm_types", "gtm_templates",
    "tag_names", "gtm_type_details", "hosts", "replay", "sdks", "mobile_calls", "servers",
}
_URL_KEYS = {"pattern", "capabilities", "note"}
_CALL_KEYS = {"callee", "args", "id_arg", "role", "capabilities", "note"}
_ASSIGN_KEYS = {"target", "capabilities", "note"}
_PACKAGE_KEYS = {"name", "imports", "uses", "capabilities", "note"}
_SDK_KEYS = {"ecosystem", "name", "capabilities", "note"}
_MOBILE_CALL_KEYS = {"method", "receiver", "role", "capabilities", "note"}
_SERVER_KEYS = {"label", "keywords", "endpoint", "modules", "calls", "aliases", "packages", "note"}


class SignaturePattern(Protocol):
    """What the scan asks of a signature's pattern: a `re.Pattern`, a lazyre.LazyPattern (the shipped
    catalogue, compiled on first use) or an RE2 pattern (a user's vendor file)."""

    pattern: Any
    flags: int
    groupindex: Any

    def search(self, *args: Any) -> Any: ...

    def finditer(self, *args: Any) -> Any: ...

    def fullmatch(self, *args: Any) -> Any: ...


@dataclass(frozen=True)
class UrlSignature:
    pattern: SignaturePattern
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallSignature:
    callee: str
    args: tuple[SignaturePattern | None, ...] = ()  # None = any argument or none
    id_arg: int | None = None
    role: str = "init"
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssignmentSignature:
    target: str
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackageSignature:
    name: str
    imports: tuple[str, ...] | None = None  # None = every binding
    uses: tuple[str, ...] | None = None  # None = any use
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class SdkSignature:
    """A mobile SDK as a dependency manifest names it: a Gradle `group:artifact`, a CocoaPod, a
    Swift package product or repository, a Carthage repository, a pub package, an Expo plugin."""

    ecosystem: str
    name: str
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class MobileCallSignature:
    """An SDK call in app code (Kotlin, Java, Swift, Objective-C, Dart): the method (for
    Objective-C the selector's first part) and a pattern searched in the receiver's text
    (`AppEventsLogger.newLogger(this)`, `Firebase.analytics`); None: any receiver."""

    method: str
    receiver: SignaturePattern | None = None
    role: str = "track"
    capabilities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerSignature:
    """A server-side sender of the vendor (phi_lint.senders): an HTTP endpoint its conversion or
    collection API answers at (`endpoint`), or a server SDK (`modules` name it in an import,
    require, use or dependency; `calls` are the shapes of its sending calls). `keywords` are the
    literals that let a file through to the sender analysis; `aliases` names the short-key family
    of rules/personal-data.toml its payloads use (`em` for email in Meta's)."""

    label: str
    keywords: tuple[str, ...]
    endpoint: SignaturePattern | None = None
    modules: tuple[str, ...] = ()
    calls: tuple[SignaturePattern, ...] = ()
    aliases: str = ""
    packages: tuple[str, ...] = ()  # registry names in dependency manifests (npm, Composer, Go, NuGet, PyPI, gems, Maven)


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    category: str
    description: str
    docs: str
    baa: str
    capabilities: tuple[str, ...]
    keywords: tuple[str, ...]
    id_pattern: SignaturePattern | None
    urls: tuple[UrlSignature, ...] = ()
    calls: tuple[CallSignature, ...] = ()
    assignments: tuple[AssignmentSignature, ...] = ()
    packages: tuple[PackageSignature, ...] = ()
    source: str = ""
    gtm_types: tuple[str, ...] = ()  # built-in Google Tag Manager tag type codes (gaawc, hjtc, …)
    gtm_templates: tuple[str, ...] = ()  # GTM community template gallery refs (owner/repository)
    # display-name words that name the vendor in a tag-manager template or extension ("ga4")
    tag_names: tuple[str, ...] = ()
    # per built-in GTM type code: (readable label, parameters that hold the account id)
    gtm_type_details: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict, hash=False)
    hosts: tuple[str, ...] = ()  # the vendor's own hosts beyond those its URL patterns name (PHI006)
    # what its init options or page attributes say of input masking (phi_lint.replay_rules)
    replay: tuple[ReplayReader, ...] = ()
    sdks: tuple[SdkSignature, ...] = ()  # mobile SDK dependencies (phi_lint.mobile)
    mobile_calls: tuple[MobileCallSignature, ...] = ()  # SDK calls in app code (phi_lint.mobile)
    servers: tuple[ServerSignature, ...] = ()  # server-side senders: conversion APIs, server SDKs

    def valid_id(self, value: str | None) -> str | None:
        """An account id is kept only when it looks like the vendor's id format."""
        if not value:
            return None
        value = value.strip()
        if self.id_pattern is None:
            return value if re.fullmatch(r"[\w.\-/:+]{2,80}", value) else None
        return value if self.id_pattern.fullmatch(value) else None


# callee → (vendor id, reader, argument that holds the options, sub-object read)
ReplayCalls = dict[str, list[tuple[str, ReplayReader, int, "str | None"]]]


@dataclass
class Catalogue:
    vendors: dict[str, Vendor] = field(default_factory=dict)
    _replay_calls: ReplayCalls | None = field(default=None, repr=False, compare=False)

    def __iter__(self):
        return iter(self.vendors.values())

    def replay_calls(self) -> ReplayCalls:
        """The init calls whose options a vendor's `[[replay]]` readers look at, by callee (made
        once per catalogue: every script of a run asks)."""
        if self._replay_calls is None:
            calls: ReplayCalls = {}
            for vendor in sorted(self.vendors.values(), key=lambda v: v.id):
                for reader in vendor.replay:
                    for call in reader.calls:
                        calls.setdefault(call.callee, []).append((vendor.id, reader, call.argument, call.under))
            self._replay_calls = calls
        return self._replay_calls

    def __len__(self) -> int:
        return len(self.vendors)

    def get(self, vendor_id: str) -> Vendor | None:
        return self.vendors.get(vendor_id)


class CatalogueError(UserError):
    pass


def _fail(path: Path, key: str, problem: str) -> CatalogueError:
    return CatalogueError(f"{path}: `{key}`: {problem}")


def _str(data: dict, key: str, path: Path, required: bool = True, default: str = "") -> str:
    value = data.get(key, None)
    if value is None:
        if required:
            raise _fail(path, key, "is required")
        return default
    if not isinstance(value, str):
        raise _fail(path, key, f"must be a string, not {type(value).__name__}")
    return value


def _str_list(data: dict, key: str, path: Path, allowed: set[str] | None = None) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, key, "must be a list of strings")
    if allowed is not None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise _fail(path, key, f"unknown value(s) {unknown}; allowed: {sorted(allowed)}")
    return tuple(value)


def _regex(value: str, path: Path, key: str, linear: bool = False, lazy: bool = False):
    """A case-insensitive pattern: Python's `re` (compiled on first use when `lazy`: the shipped
    catalogue), or RE2 (`linear`) for a user's vendor file.

    The shipped patterns are lazy because compiling the catalogue's ~380 took 0.3 s of every run
    (a 10-file pre-commit run included), in the main process and again in every worker, while a
    run uses those of the vendors its files name, a handful. They are checked by the test suite
    (tests/test_catalogue_patterns.py compiles each); a broken one in an edited install is a
    CatalogueError naming the file and key when first used."""
    if lazy and not linear:
        return data_pattern(value, re.IGNORECASE, where=f"{path}: `{key}`", error=CatalogueError)
    if linear:
        compiled, why = compile_linear(value, ignore_case=True)
        if compiled is None:
            shown = value if len(value) <= 80 else value[:79] + "…"
            raise _fail(
                path, key,
                f"regular expression {shown!r} is not supported by RE2 ({why}); patterns of vendor files "
                "from vendor-dirs run in RE2, which has no look-around or back-references",
            )
        return compiled
    return compile_data(value, re.IGNORECASE, where=f"{path}: `{key}`", error=CatalogueError)


def _tables(data: dict, key: str, path: Path, allowed_keys: set[str]) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(path, key, f"must be an array of tables ([[{key}]])")
    for index, table in enumerate(value):
        unknown = sorted(set(table) - allowed_keys)
        if unknown:
            raise _fail(path, f"{key}[{index}]", f"unknown key(s) {unknown}")
    return value


def load_vendor(path: Path, linear: bool = False, lazy: bool = False) -> Vendor:
    """One vendor file; `linear`: its patterns run in RE2 (a file from vendor-dirs); `lazy`:
    Python patterns are compiled when first used (the shipped catalogue, checked by the tests)."""
    try:
        data = load_toml(path)
    except TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read: {exc.strerror}") from None
    unknown = sorted(set(data) - _VENDOR_KEYS)
    if unknown:
        raise _fail(path, unknown[0], f"unknown key; allowed keys: {sorted(_VENDOR_KEYS)}")
    vendor_id = _str(data, "id", path)
    if not _ID_RE.match(vendor_id):
        raise _fail(path, "id", f"{vendor_id!r} is not kebab-case")
    if vendor_id != path.stem:
        raise _fail(path, "id", f"{vendor_id!r} must equal the file name {path.stem!r}")
    category = _str(data, "category", path)
    if category not in CATEGORIES:
        raise _fail(path, "category", f"{category!r} is not one of {sorted(CATEGORIES)}")
    baa = _str(data, "baa", path, required=False, default="unknown")
    if baa not in BAA_VALUES:
        raise _fail(path, "baa", f"{baa!r} is not one of {sorted(BAA_VALUES)}")
    keywords = _str_list(data, "keywords", path)
    if not keywords:
        raise _fail(path, "keywords", "at least one prefilter keyword is required")
    if any(len(k.strip()) < 3 for k in keywords):
        raise _fail(path, "keywords", "each keyword needs at least 3 characters")
    id_pattern_text = _str(data, "id_pattern", path, required=False)

    urls = _urls(data, path, linear, lazy)
    calls = _calls(data, path, linear, lazy)
    assignments = _assignments(data, path)
    packages = _packages(data, path)
    gtm_types, gtm_templates, tag_names = _tag_manager_names(data, path)
    hosts = _hosts(data, path)
    sdks = _sdks(data, path)
    mobile_calls = _mobile_calls(data, path, linear, lazy)
    servers = _servers(data, path, linear, lazy)
    if not (urls or calls or assignments or packages or sdks or mobile_calls):
        raise CatalogueError(f"{path}: a vendor needs at least one of urls, calls, assignments, packages, sdks, mobile_calls")
    return Vendor(
        id=vendor_id,
        name=_str(data, "name", path),
        category=category,
        description=_str(data, "description", path, required=False),
        docs=_str(data, "docs", path, required=False),
        baa=baa,
        capabilities=_str_list(data, "capabilities", path, CAPABILITIES),
        keywords=tuple(k.lower() for k in keywords),
        id_pattern=_regex(id_pattern_text, path, "id_pattern", linear, lazy) if id_pattern_text else None,
        urls=urls,
        calls=tuple(calls),
        assignments=assignments,
        packages=packages,
        source=str(path),
        gtm_types=gtm_types,
        gtm_templates=gtm_templates,
        tag_names=tag_names,
        gtm_type_details=_gtm_type_details(data, path, gtm_types),
        hosts=hosts,
        replay=_replay_readers(data, path),
        sdks=sdks,
        mobile_calls=mobile_calls,
        servers=servers,
    )


def _replay_readers(data: dict, path: Path) -> tuple[ReplayReader, ...]:
    try:
        return load_readers(data.get("replay"), path, set(CAPABILITIES))
    except ReplayRuleError as exc:
        raise CatalogueError(str(exc)) from None


def _urls(data: dict, path: Path, linear: bool, lazy: bool) -> tuple[UrlSignature, ...]:
    """[[urls]]: the script URLs and hits of the vendor."""
    return tuple(
        UrlSignature(
            pattern=_regex(_str(t, "pattern", path), path, f"urls[{i}].pattern", linear, lazy),
            capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
        )
        for i, t in enumerate(_tables(data, "urls", path, _URL_KEYS))
    )


def _calls(data: dict, path: Path, linear: bool, lazy: bool) -> tuple[CallSignature, ...]:
    """[[calls]]: the vendor's global or SDK calls, each callee a dotted name."""
    calls = []
    for i, t in enumerate(_tables(data, "calls", path, _CALL_KEYS)):
        callee = _str(t, "callee", path)
        if callee != "<iife>" and not re.fullmatch(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*", callee):
            raise _fail(path, f"calls[{i}].callee", f"{callee!r} is not a dotted name")
        args = tuple(
            None if a == "*" else _regex(a, path, f"calls[{i}].args", linear, lazy)
            for a in _str_list(t, "args", path)
        )
        id_arg = t.get("id_arg")
        if id_arg is not None and (not isinstance(id_arg, int) or id_arg < 0):
            raise _fail(path, f"calls[{i}].id_arg", "must be a non-negative integer")
        role = _str(t, "role", path, required=False, default="init")
        if role not in ROLES:
            raise _fail(path, f"calls[{i}].role", f"{role!r} is not one of {sorted(ROLES)}")
        calls.append(
            CallSignature(
                callee=callee,
                args=args,
                id_arg=id_arg,
                role=role,
                capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
            )
        )
    return tuple(calls)


def _assignments(data: dict, path: Path) -> tuple[AssignmentSignature, ...]:
    """[[assignments]]: the snippet globals the vendor's loader assigns."""
    return tuple(
        AssignmentSignature(
            target=_str(t, "target", path),
            capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
        )
        for t in _tables(data, "assignments", path, _ASSIGN_KEYS)
    )


def _packages(data: dict, path: Path) -> tuple[PackageSignature, ...]:
    """[[packages]]: the vendor's npm packages and the bindings that count."""
    return tuple(
        PackageSignature(
            name=_str(t, "name", path),
            imports=_str_list(t, "imports", path) if "imports" in t else None,
            uses=_str_list(t, "uses", path) if "uses" in t else None,
            capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
        )
        for t in _tables(data, "packages", path, _PACKAGE_KEYS)
    )


def _tag_manager_names(data: dict, path: Path) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(gtm_types, gtm_templates, tag_names): how tag managers name the vendor, checked."""
    gtm_types = _str_list(data, "gtm_types", path)
    for code in gtm_types:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,40}", code):
            raise _fail(path, "gtm_types", f"{code!r} is not a GTM tag type code (letters, digits, _)")
    gtm_templates = _str_list(data, "gtm_templates", path)
    for ref in gtm_templates:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", ref):
            raise _fail(path, "gtm_templates", f"{ref!r} is not a gallery reference (owner/repository)")
    tag_names = tuple(n.lower() for n in _str_list(data, "tag_names", path))
    if any(len(n.strip()) < 2 for n in tag_names):
        raise _fail(path, "tag_names", "each name needs at least 2 characters")
    return gtm_types, gtm_templates, tag_names


def _hosts(data: dict, path: Path) -> tuple[str, ...]:
    """hosts: the vendor's own host names, checked."""
    hosts = tuple(h.lower() for h in _str_list(data, "hosts", path))
    for host in hosts:
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host):
            raise _fail(path, "hosts", f"{host!r} is not a host name (a host and its subdomains: `vendor.com`)")
    return hosts


def _sdks(data: dict, path: Path) -> tuple[SdkSignature, ...]:
    """[[sdks]]: the vendor's mobile SDK dependencies, per ecosystem (phi_lint.mobile)."""
    return tuple(
        SdkSignature(
            ecosystem=_one_of(t, "ecosystem", path, f"sdks[{i}].ecosystem", ECOSYSTEMS),
            name=_str(t, "name", path),
            capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
        )
        for i, t in enumerate(_tables(data, "sdks", path, _SDK_KEYS))
    )


def _mobile_calls(data: dict, path: Path, linear: bool, lazy: bool) -> tuple[MobileCallSignature, ...]:
    """[[mobile_calls]]: the vendor's SDK calls in app code (phi_lint.mobile)."""
    return tuple(
        MobileCallSignature(
            method=_str(t, "method", path),
            receiver=_regex(t["receiver"], path, f"mobile_calls[{i}].receiver", linear, lazy) if "receiver" in t else None,
            role=_one_of(t, "role", path, f"mobile_calls[{i}].role", ROLES, "track"),
            capabilities=_str_list(t, "capabilities", path, CAPABILITIES),
        )
        for i, t in enumerate(_tables(data, "mobile_calls", path, _MOBILE_CALL_KEYS))
    )


def _one_of(table: dict, key: str, path: Path, where: str, allowed: set[str], default: str | None = None) -> str:
    """A string key whose value is one of `allowed` (required unless it has a default)."""
    value = _str(table, key, path, required=default is None, default=default or "")
    if value not in allowed:
        raise _fail(path, where, f"{value!r} is not one of {sorted(allowed)}")
    return value


def _servers(data: dict, path: Path, linear: bool, lazy: bool) -> tuple[ServerSignature, ...]:
    """[[servers]]: each an endpoint pattern or an SDK (modules and call shapes), with keywords."""
    out = []
    for i, t in enumerate(_tables(data, "servers", path, _SERVER_KEYS)):
        key = f"servers[{i}]"
        keywords = tuple(k.lower() for k in _str_list(t, "keywords", path))
        if not keywords or any(len(k.strip()) < 4 for k in keywords):
            raise _fail(path, f"{key}.keywords", "at least one keyword of 4 or more characters is required")
        endpoint_text = _str(t, "endpoint", path, required=False)
        modules = _str_list(t, "modules", path)
        calls = tuple(_regex(c, path, f"{key}.calls", linear, lazy) for c in _str_list(t, "calls", path))
        if bool(endpoint_text) == bool(calls):
            raise _fail(path, key, "a server signature is either an `endpoint` or an SDK (`calls`, and the `modules` that name it)")
        out.append(ServerSignature(
            label=_str(t, "label", path),
            keywords=keywords,
            endpoint=_regex(endpoint_text, path, f"{key}.endpoint", linear, lazy) if endpoint_text else None,
            modules=modules,
            calls=calls,
            aliases=_str(t, "aliases", path, required=False),
            packages=_str_list(t, "packages", path),
        ))
    return tuple(out)


def _gtm_type_details(data: dict, path: Path, gtm_types: tuple[str, ...]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """[gtm_type_details.<code>] label = "GA4 Configuration", account_keys = ["measurementId"],
    for a code of the vendor's gtm_types."""
    table = data.get("gtm_type_details", {})
    if not isinstance(table, dict):
        raise _fail(path, "gtm_type_details", "must be a table of [gtm_type_details.<type code>] tables")
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for code, item in table.items():
        key = f"gtm_type_details.{code}"
        if code not in gtm_types:
            raise _fail(path, key, f"{code!r} is not one of this vendor's gtm_types {list(gtm_types)}")
        if not isinstance(item, dict):
            raise _fail(path, key, "must be a table with label and account_keys")
        unknown = sorted(set(item) - {"label", "account_keys"})
        if unknown:
            raise _fail(path, key, f"unknown key(s) {unknown}; allowed: ['account_keys', 'label']")
        out[code.lower()] = (_str(item, "label", path, required=False), _str_list(item, "account_keys", path))
    return out


def load_catalogue(extra_dirs: list[Path] | None = None) -> Catalogue:
    """The shipped vendors plus any user directories; a user file may replace a shipped id."""
    catalogue = Catalogue()
    shipped = rules_dir() / "vendors"
    directories = [(shipped, False), *((d, True) for d in extra_dirs or [])]
    for directory, linear in directories:
        if not directory.is_dir():
            raise CatalogueError(f"vendor directory {directory} does not exist")
        for path in sorted(directory.glob("*.toml")):
            vendor = load_vendor(path, linear, lazy=not linear)
            catalogue.vendors[vendor.id] = vendor
    return catalogue
