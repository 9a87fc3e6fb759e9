"""The sightings of one mobile file: SDK dependencies, platform flags and SDK calls.

Judgements that need the rest of the app (is automatic event logging turned off somewhere, which
screens are about health) read it through the run's RepoIndex: the platform config files (a few,
read once per worker) and the list of file names (no screen file is read for it).
"""

from __future__ import annotations

import re

from phi_lint.mobile import calls as mobile_calls
from phi_lint.mobile import language_of
from phi_lint.mobile.apps import Apps, catalog_accessor, find_apps
from phi_lint.mobile.data import Flags, table
from phi_lint.mobile.expoconfig import is_expo_config, notices, plugins_of
from phi_lint.mobile.manifests import declared, ecosystem_of
from phi_lint.mobile.platform import Setting, platform_of, settings
from phi_lint.mobile.screens import health_screens_by_name, screen_at, screens_in
from phi_lint.models import Sighting, Span
from phi_lint.textio import LineIndex

# which platforms' config decides the automatic logging of an SDK declared in an ecosystem
_PLATFORMS = {"gradle": ("android",), "cocoapods": ("ios",), "swiftpm": ("ios",), "carthage": ("ios",), "pub": ("android", "ios")}
MAX_SCREENS_LISTED = 5


def mobile_sightings(rel: str, text: str, catalogue, vendor_ids: set[str], repo=None, parsed=None):
    """(sightings, problems) of a mobile file; `vendor_ids`: the vendors the prefilter found
    (code files are read for calls only when one is there); `repo`: the run's RepoIndex, None when
    the file is judged alone (the case tests)."""
    lines = LineIndex(text)
    if is_expo_config(rel):
        return _expo_config(rel, text, catalogue, lines, parsed)
    found = declared(rel, text)
    if found is not None:
        return _dependencies(rel, text, found[0], found[1], catalogue, lines, repo), []
    if platform_of(rel) is not None:
        return _platform(rel, text, catalogue, lines, repo), []
    language = language_of(rel)
    if language is None or not vendor_ids:
        return [], []
    return _code(rel, text, language, catalogue, vendor_ids, lines, parsed)


# ------------------------------------------------------------------ dependencies
def _sdk_index(catalogue) -> dict[tuple[str, str], list]:
    index: dict[tuple[str, str], list] = {}
    for vendor in catalogue:
        for sdk in vendor.sdks:
            index.setdefault((sdk.ecosystem, sdk.name.lower()), []).append((vendor, sdk))
    return index


def _dependencies(rel, text, ecosystem, items, catalogue, lines, repo) -> list[Sighting]:
    index = _sdk_index(catalogue)
    out: list[Sighting] = []
    seen: set[str] = set()
    for item in items:
        for vendor, sdk in index.get((ecosystem, item.name.lower()), ()):
            if vendor.id in seen:
                continue
            seen.add(vendor.id)
            span = _span(lines, item.start, item.end)
            line_text = _line(text, item.start)
            out.append(Sighting(
                vendor_id=vendor.id, path=rel, span=span, kind="dependency", snippet=line_text,
                capabilities=tuple(sorted(set(vendor.capabilities) | set(sdk.capabilities))),
                signature=f"sdk {ecosystem} {sdk.name}", lines=(span.line,),
            ))
            flags = _auto_logging(vendor.id)
            if flags is not None and flags.default and ecosystem in _PLATFORMS and repo is not None:
                apps = _apps(repo)
                targets = apps.apps_of(rel)
                if ecosystem_of(rel) == "gradle" and rel.lower().endswith(".toml"):
                    targets = apps.naming(targets, catalog_accessor(text, item.start))
                undecided = tuple(a for a in targets if not _decided_in(repo, apps, a, flags, _PLATFORMS[ecosystem]))
                if undecided:
                    out.append(_auto_log_sighting(vendor, rel, span, line_text, flags, _health_screens(repo, undecided),
                                                  f"{sdk.name} is a dependency and no platform flag "
                                                  f"{_of_apps(undecided, targets)}turns automatic logging off"))
    return out


def _of_apps(undecided: tuple[str, ...], targets: tuple[str, ...]) -> str:
    """Which apps a judgement is about, when it is not every app the dependency ships in."""
    if undecided == targets:
        return ""
    return "of " + ", ".join(a or "the root app" for a in undecided) + " "


def _expo_config(rel, text, catalogue, lines, parsed):
    """An Expo app.config.js / .ts: its config plugins, as app.json's are read; what it builds at
    run time is said, not passed over."""
    from phi_lint.lang import Source

    script = parsed.script if parsed is not None else None
    if script is None:
        script = Source(rel, text).script
    if script is None:
        return [], []
    plugins = plugins_of(script.tree, text)
    return _dependencies(rel, text, "expo", plugins.declared, catalogue, lines, None), notices(plugins)


def _auto_logging(vendor_id: str) -> Flags | None:
    return next((f for f in table().auto_logging if f.vendor == vendor_id), None)


def _platform_settings(repo) -> dict[str, list[tuple[str, dict[str, Setting]]]]:
    """Every platform config file of the repository with its settings, read once per run."""
    def read() -> dict[str, list[tuple[str, dict[str, Setting]]]]:
        found: dict[str, list[tuple[str, dict[str, Setting]]]] = {}
        for rel in repo.files:
            platform = platform_of(rel)
            if platform is None:
                continue
            text = repo.read(rel)
            if text is not None:
                found.setdefault(platform, []).append((rel, settings(rel, text)))
        return found

    return repo.memo(__name__ + ":platform", read)


def _apps(repo) -> Apps:
    return repo.memo(__name__ + ":apps", lambda: find_apps(repo.files, repo.read))


def _decided_in(repo, apps: Apps, app: str, flags: Flags, platforms: tuple[str, ...]) -> bool:
    """Whether a platform config of an app (its own, or a library's merged into it) sets the
    automatic-logging flag (either way): then that file, not the dependency, is where the
    decision is made and reported."""
    return app in _deciding_apps(repo, apps, flags, platforms)


def _deciding_apps(repo, apps: Apps, flags: Flags, platforms: tuple[str, ...]) -> frozenset[str]:
    """The apps one of whose platform configs sets a vendor's automatic-logging flag, worked out
    once per run and vendor (not once per dependency line and app)."""
    def read() -> frozenset[str]:
        deciding: set[str] = set()
        for platform in platforms:
            for config, found in _platform_settings(repo).get(platform, []):
                if any(name in found and found[name].on is not None for name in flags.names(platform)):
                    deciding.update(apps.apps_of(config))
        return frozenset(deciding)

    return repo.memo(f"{__name__}:deciding:{flags.vendor}:{','.join(platforms)}", read)


def _health_screens(repo, apps_judged: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, why) of the health screens of some apps of the repository, in path order."""
    if repo is None:
        return []
    every = repo.memo(__name__ + ":health-screens", lambda: health_screens_by_name(repo.files))
    apps = _apps(repo)
    return repo.memo(f"{__name__}:health-screens-of:{chr(0).join(apps_judged)}",
                     lambda: [screen for screen in every if any(a in apps_judged for a in apps.apps_of(screen[0]))])


def _auto_log_sighting(vendor, rel, span, snippet, flags: Flags, screens: list[tuple[str, str]], why: str) -> Sighting:
    return Sighting(
        vendor_id=vendor.id, path=rel, span=span, kind="config", snippet=snippet,
        capabilities=tuple(vendor.capabilities), signature=f"auto-logging {vendor.id}", lines=(span.line,),
        details={"mobile": "auto-logging", "why": why, "what": flags.what,
                 "healthScreens": [list(s) for s in screens]},
    )


# ------------------------------------------------------------------ platform config
def _platform(rel, text, catalogue, lines, repo) -> list[Sighting]:
    platform = platform_of(rel) or ""
    found = settings(rel, text)
    out: list[Sighting] = []
    data = table()
    for flags in data.app_ids:
        vendor = catalogue.get(flags.vendor)
        setting = next((found[n] for n in flags.names(platform) if n in found), None)
        if vendor is None or setting is None:
            continue
        span = _span(lines, setting.start, setting.end)
        out.append(Sighting(
            vendor_id=vendor.id, path=rel, span=span, kind="config", snippet=_line(text, setting.start),
            account_id=vendor.valid_id(setting.value), capabilities=tuple(vendor.capabilities),
            signature=f"app-id {setting.name}", lines=(span.line,),
            details={"mobile": "app-id", "why": f"{setting.name} is set"},
        ))
    for flags in data.auto_logging:
        vendor = catalogue.get(flags.vendor)
        setting = next((found[n] for n in flags.names(platform) if n in found), None)
        if vendor is None or setting is None or setting.on is not True:
            continue
        span = _span(lines, setting.start, setting.end)
        screens = _health_screens(repo, _apps(repo).apps_of(rel)) if repo is not None else []
        out.append(_auto_log_sighting(vendor, rel, span, _line(text, setting.start), flags, screens,
                                      f"{setting.name} is set to {setting.value}"))
    return sorted(out, key=lambda s: (s.span, s.vendor_id, s.signature))


# ------------------------------------------------------------------ SDK calls
def _code(rel, text, language, catalogue, vendor_ids, lines, parsed):
    from phi_lint.lang.treesitter import GrammarMissing

    vendors = [v for v in catalogue if v.id in vendor_ids and v.mobile_calls]
    if not vendors:
        return [], []
    try:
        tree = parsed.tree(language) if parsed is not None else None
        if tree is None:
            from phi_lint.lang.treesitter import parse

            tree = parse(text, language)
    except GrammarMissing as exc:
        return [], [f"mobile SDK calls not read: {exc}"]
    if tree is None:
        return [], ["mobile SDK calls not read: the file is too large to parse"]
    screens = screens_in(text)
    out: list[Sighting] = []
    for call in mobile_calls.calls(tree, language):
        match = _match(call, vendors, text)
        if match is None:
            continue
        vendor, sig = match
        start = _char_offset(text, call.node.start_byte)
        end = _char_offset(text, call.node.end_byte)
        span = _span(lines, start, end)
        screen = screen_at(screens, start)
        details = {"mobile": "call", "call": f"{call.receiver}.{call.method}" if call.receiver else call.method,
                   "role": sig.role}
        if screen is not None:
            details["screen"] = screen.name
            if screen.health:
                details["healthScreen"] = screen.health
        snippet = _line(text, start)
        out.append(Sighting(
            vendor_id=vendor.id, path=rel, span=span, kind="call", snippet=snippet,
            capabilities=tuple(sorted(set(vendor.capabilities) | set(sig.capabilities))),
            signature=f"mobile-call {sig.method}", lines=(span.line,), details=details,
        ))
        sent = _sent(call, text, sig.role)
        if sent and sig.role != "init":
            out.append(Sighting(
                vendor_id=vendor.id, path=rel, span=span, kind="data-sent", snippet=snippet,
                capabilities=tuple(vendor.capabilities), signature=f"data-sent {details['call']}", lines=(span.line,),
                details={**details, "sent": sent, "what": "user identity" if sig.role == "identify" else "event parameters"},
            ))
    return out, []


def _match(call, vendors, text: str):
    """The vendor call signature a call matches: its method, and a receiver that names the SDK
    itself or is a variable declared as one (`val logger = AppEventsLogger.newLogger(this)`,
    `private lateinit var analytics: FirebaseAnalytics`)."""
    declared_as = None
    for vendor in vendors:
        for sig in vendor.mobile_calls:
            if sig.method != call.method:
                continue
            if sig.receiver is not None and not sig.receiver.search(call.receiver):
                if declared_as is None:
                    declared_as = _declarations(text, call.receiver)
                if not any(sig.receiver.search(d) for d in declared_as):
                    continue
            return vendor, sig
    return None


def _declarations(text: str, name: str) -> list[str]:
    """What a plain variable is declared as in the file: the value it is assigned and its type."""
    name = name.removeprefix("self.").removeprefix("this.")
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        return []
    word = re.escape(name)
    found = [m.group(1) for m in re.finditer(rf"\b{word}\s*(?::[^=\n]*)?=\s*([^\n;]+)", text)]
    found += [m.group(1) for m in re.finditer(rf"\b{word}\s*:\s*([\w.]+)", text)]
    found += [m.group(1) for m in re.finditer(rf"([\w.]+)\s*\*?\s*{word}\s*[=;]", text)]
    return found


def _sent(call, text: str, role: str) -> list[dict]:
    """The personal or health data a call is handed, as the data-sent model lists it."""
    from phi_lint.datasent.sources import NEGATED, classify_chain, classify_name

    items: dict[tuple[str, str], dict] = {}
    keyed: set[str] = set()  # values already listed under their key
    for name in mobile_calls.handed(call, text):
        if name.key == name.source and name.source in keyed:
            continue
        segments = [s for s in name.key.replace("?.", ".").replace("!!", "").replace("()", "").split(".") if s]
        if not segments:
            continue
        if name.key == name.source and len(segments) > 1:
            source = classify_chain(segments, name.source, "id" if role == "identify" else "data")
            cls = source.cls if source else None
        else:
            match = classify_name(segments[-1])
            cls = match.cls if match and match is not NEGATED else None
        if cls is None and role == "identify" and name.key == name.source:
            cls = "identity"  # the identity of an identify call: any value that is not a constant
        if cls is not None and (name.key, name.source) not in items:
            items[(name.key, name.source)] = {"key": name.key, "source": name.source, "class": cls}
            if name.key != name.source:
                keyed.add(name.source)
    return list(items.values())


# ------------------------------------------------------------------ positions
def _char_offset(text: str, byte_offset: int) -> int:
    if text.isascii():
        return byte_offset
    return len(text.encode("utf-8", "surrogatepass")[:byte_offset].decode("utf-8", "replace"))


def _span(lines: LineIndex, start: int, end: int) -> Span:
    line, column = lines.position(start)
    end_line, end_column = lines.position(max(end, start + 1))
    return Span(line, column, end_line, end_column)


def _line(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    piece = text[start : end if end != -1 else len(text)].strip()
    return piece if len(piece) <= 120 else piece[:117] + "..."

