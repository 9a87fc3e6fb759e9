"""Session-replay privacy settings: what a replay or autocapture tool is configured to record.

Each finding becomes `details["replay"] = {setting, value, line, masked}` plus a sentence in
`details["notes"]` on the vendor's sighting in the same file. A configuration that turns replay
on (Datadog `sessionReplaySampleRate > 0`, Mixpanel `record_sessions_percent`, PostHog
`session_recording`, Amplitude's replay plugin) also adds the session-replay capability, so the
sighting is judged as replay (PHI003) on sensitive pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phi_lint.datasent.flow import Flow, arguments
from phi_lint.datasent.options import literal, missing, prop, shown


@dataclass
class ReplaySetting:
    vendor_id: str
    offset: int  # host offset of the call or marker
    setting: str
    value: object
    masked: bool
    notes: list[str]
    capabilities: tuple[str, ...] = ()
    replay: bool = True  # False: autocapture, reported as a note only


def _value(value):
    return None if missing(value) else value


def _logrocket(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[1] if len(args) > 1 else None
    if literal(prop(flow, options, "dom.isEnabled")) is False:
        return [ReplaySetting("logrocket", offset, "dom.isEnabled", False, True, ["LogRocket DOM recording is off (dom.isEnabled: false)."])]
    inputs = literal(prop(flow, options, "dom.inputSanitizer"))
    text = literal(prop(flow, options, "dom.textSanitizer"))
    request = prop(flow, options, "network.requestSanitizer")
    response = prop(flow, options, "network.responseSanitizer")
    notes = []
    masked = inputs is True or (isinstance(inputs, str) and inputs)
    if masked:
        notes.append(f"Inputs are sanitised (dom.inputSanitizer: {shown(inputs)}).")
    else:
        notes.append("LogRocket is initialised without dom.inputSanitizer (line {line}): what patients type is recorded.")
    if text is not True and not (isinstance(text, str) and text):
        notes.append("Page text is recorded (no dom.textSanitizer).")
    if request is None and response is None:
        notes.append("Network requests and responses are recorded without requestSanitizer/responseSanitizer.")
    return [ReplaySetting("logrocket", offset, "dom.inputSanitizer", _value(inputs), bool(masked), notes)]


def _datadog(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[0] if args else None
    rate = literal(prop(flow, options, "sessionReplaySampleRate"))
    rate_name = "sessionReplaySampleRate"
    for legacy in ("replaySampleRate", "premiumSampleRate"):
        if missing(rate):
            rate = literal(prop(flow, options, legacy))
            rate_name = legacy
    privacy = literal(prop(flow, options, "defaultPrivacyLevel"))
    interactions = literal(prop(flow, options, "trackUserInteractions"))
    if missing(interactions):
        interactions = literal(prop(flow, options, "trackInteractions"))
    replay_on = isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0
    if not replay_on and privacy != "allow":
        return []
    notes = []
    if replay_on:
        sentence = f"Datadog RUM records session replays ({rate_name}: {shown(rate)}, line {{line}})"
        if interactions is True:
            sentence += " with trackUserInteractions: true (clicks are named after the text of what is clicked)"
        notes.append(sentence + ".")
    masked = privacy in ("mask", "mask-user-input") or missing(privacy)
    if privacy == "allow":
        notes.append(f"defaultPrivacyLevel: 'allow'{' (line {line})' if not replay_on else ''}: page text and inputs are recorded unmasked.")
    elif privacy == "mask-user-input":
        notes.append("Inputs are masked (defaultPrivacyLevel: 'mask-user-input'); other page text is recorded.")
    elif privacy == "mask":
        notes.append("Text and inputs are masked (defaultPrivacyLevel: 'mask').")
    else:
        notes.append("defaultPrivacyLevel is not set (the SDK masks text and inputs by default).")
    return [ReplaySetting("datadog-rum", offset, "defaultPrivacyLevel", _value(privacy), bool(masked), notes,
                          ("session-replay",) if replay_on else ())]


def _sentry(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[0] if args else None
    text = literal(prop(flow, options, "maskAllText"))
    media = literal(prop(flow, options, "blockAllMedia"))
    inputs = literal(prop(flow, options, "maskAllInputs"))
    off = [f"{name}: false" for name, value in (("maskAllText", text), ("maskAllInputs", inputs), ("blockAllMedia", media)) if value is False]
    if off:
        what = []
        if text is False:
            what.append("page text")
        if inputs is False:
            what.append("what patients type")
        if media is False:
            what.append("images and media")
        note = f"Sentry Replay is configured with {', '.join(off)} (line {{line}}): {', '.join(what)} {'is' if len(what) == 1 else 'are'} recorded."
        masked = text is not False and inputs is not False
        return [ReplaySetting("sentry-replay", offset, "maskAllText", _value(text), masked, [note])]
    return [ReplaySetting("sentry-replay", offset, "maskAllText", _value(text), True,
                          ["Sentry Replay masks all text and inputs and blocks media (maskAllText, blockAllMedia)."])]


def _posthog(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[1] if len(args) > 1 else None
    if literal(prop(flow, options, "disable_session_recording")) is True:
        return []
    recording = prop(flow, options, "session_recording")
    inputs = literal(prop(flow, options, "session_recording.maskAllInputs"))
    text_selector = literal(prop(flow, options, "session_recording.maskTextSelector"))
    if recording is None and literal(prop(flow, options, "disable_session_recording")) is not False:
        return []
    if inputs is False:
        note = "PostHog session recording is configured with maskAllInputs: false (line {line}): what patients type is recorded."
        return [ReplaySetting("posthog", offset, "session_recording.maskAllInputs", False, False, [note], ("session-replay",))]
    text_note = "" if isinstance(text_selector, str) and text_selector else " page text is not masked (no maskTextSelector)."
    note = f"PostHog session recording is on (line {{line}}); inputs are masked (maskAllInputs: {shown(inputs) if not missing(inputs) else 'default true'});{text_note}"
    return [ReplaySetting("posthog", offset, "session_recording.maskAllInputs", _value(inputs), True, [note.rstrip(";") if not text_note else note], ("session-replay",))]


def _amplitude_init(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[1] if len(args) > 1 else None
    autocapture_node = prop(flow, options, "autocapture")
    out = []
    if autocapture_node is not None:
        value = literal(autocapture_node)
        forms = literal(prop(flow, options, "autocapture.formInteractions"))
        if value is True or forms is True or (missing(value) and not missing(forms) and forms is not False):
            out.append(ReplaySetting("amplitude", offset, "autocapture", True if value is True else {"formInteractions": _value(forms)}, False,
                                     ["Amplitude autocapture is on (line {line}): form interactions are captured."], ("form-autocapture",), replay=False))
    replay = prop(flow, options, "sessionReplay")
    if replay is not None:
        out.extend(_amplitude_replay_options(flow, replay, offset))
    return out


def _amplitude_replay_options(flow, options, offset) -> list[ReplaySetting]:
    rate = literal(prop(flow, options, "sampleRate"))
    level = literal(prop(flow, options, "privacyConfig.defaultMaskLevel"))
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate <= 0:
        return []
    sentence = f"Amplitude Session Replay is on (sampleRate: {shown(rate)}, line {{line}})"
    if level == "light":
        return [ReplaySetting("amplitude", offset, "privacyConfig.defaultMaskLevel", level, False,
                              [sentence + "; defaultMaskLevel: 'light' masks only passwords and sensitive fields."], ("session-replay",))]
    if level == "conservative":
        return [ReplaySetting("amplitude", offset, "privacyConfig.defaultMaskLevel", level, True,
                              [sentence + "; all text and inputs are masked (defaultMaskLevel: 'conservative')."], ("session-replay",))]
    return [ReplaySetting("amplitude", offset, "privacyConfig.defaultMaskLevel", _value(level), True,
                          [sentence + (f"; inputs are masked (defaultMaskLevel: {shown(level)})" if not missing(level) else "; inputs are masked (the default mask level)") + ", other page text is recorded."], ("session-replay",))]


def _amplitude_plugin(flow, call, args, offset) -> list[ReplaySetting]:
    return _amplitude_replay_options(flow, args[0] if args else None, offset)


def _mixpanel(flow, call, args, offset) -> list[ReplaySetting]:
    options = args[1] if len(args) > 1 else None
    out = []
    rate = literal(prop(flow, options, "record_sessions_percent"))
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 0:
        out.append(ReplaySetting("mixpanel", offset, "record_sessions_percent", rate, True,
                                 [f"Mixpanel Session Replay is on (record_sessions_percent: {shown(rate)}, line {{line}})."], ("session-replay",)))
    autocapture = literal(prop(flow, options, "autocapture"))
    if autocapture is True or prop(flow, options, "autocapture") is not None and missing(autocapture):
        out.append(ReplaySetting("mixpanel", offset, "autocapture", True, False,
                                 ["Mixpanel autocapture is on (line {line}): clicks, inputs and form submissions are captured."], ("form-autocapture",), replay=False))
    return out


CONFIG_CALLS = {
    "LogRocket.init": _logrocket,
    "DD_RUM.init": _datadog,
    "datadogRum.init": _datadog,
    "Sentry.replayIntegration": _sentry,
    "replayIntegration": _sentry,
    "Sentry.Replay": _sentry,
    "Replay": _sentry,
    "posthog.init": _posthog,
    "amplitude.init": _amplitude_init,
    "amplitude.initAll": _amplitude_init,
    "sessionReplay.plugin": _amplitude_plugin,
    "amplitude.sessionReplayPlugin": _amplitude_plugin,
    "sessionReplayPlugin": _amplitude_plugin,
    "mixpanel.init": _mixpanel,
}

_FS_MASKS = {"fs-exclude", "fs-mask", "fs-block", "data-fs-exclude"}


def initialises(vendor, text: str) -> bool:
    """The file loads or sets up the vendor (loader URL, snippet global, SDK import), not only calls it."""
    if vendor is None:
        return False
    if any(sig.pattern.search(text) for sig in vendor.urls):
        return True
    for sig in vendor.assignments:
        if re.search(re.escape(sig.target) + r"""['"]?\]?\s*=[^=]""", text):
            return True
    return any(f"'{p.name}'" in text or f'"{p.name}"' in text for p in vendor.packages)


def markup_settings(info, sightings, catalogue=None) -> list[ReplaySetting]:
    """Replay tools whose masking is set by attributes on the page (FullStory, Hotjar, Clarity)."""
    out = []
    vendors = {s.vendor_id: s for s in reversed(sightings) if s.kind != "data-sent"}
    if catalogue is not None:
        vendors = {v: s for v, s in vendors.items() if initialises(catalogue.get(v), info.text)}
    markers: dict[str, list[int]] = {}
    for marker, offset in info.attributes:
        markers.setdefault(marker, []).append(offset)
    if "fullstory" in vendors:
        offset = -1
        masks = [m for m in _FS_MASKS if m in markers]
        if "fs-unmask" in markers:
            out.append(ReplaySetting("fullstory", markers["fs-unmask"][0], "fs-unmask", True, False,
                                     ["Elements marked fs-unmask (line {line}) are recorded unmasked."]))
        elif masks:
            first = min(markers[m][0] for m in masks)
            out.append(ReplaySetting("fullstory", first, masks[0], True, True,
                                     [f"Elements marked {', '.join(sorted(masks))} are excluded or masked (line {{line}})."]))
        else:
            out.append(ReplaySetting("fullstory", offset, "fs-exclude", None, False,
                                     ["FullStory runs without masking or exclusion of inputs in this file (line {line}): "
                                      "unless Private by Default is on in FullStory's settings, what patients type is recorded."]))
    if "hotjar" in vendors:
        if "data-hj-allow" in markers:
            out.append(ReplaySetting("hotjar", markers["data-hj-allow"][0], "data-hj-allow", True, False,
                                     ["Hotjar keystroke suppression is turned off for inputs marked data-hj-allow (line {line})."]))
        else:
            out.append(ReplaySetting("hotjar", -1, "data-hj-allow", None, True,
                                     ["Hotjar suppresses keystrokes in inputs by default (no data-hj-allow in this file); page text is still recorded."]))
    if "microsoft-clarity" in vendors:
        if "data-clarity-unmask" in markers:
            out.append(ReplaySetting("microsoft-clarity", markers["data-clarity-unmask"][0], "data-clarity-unmask", True, False,
                                     ["Content marked data-clarity-unmask (line {line}) is recorded unmasked."]))
        elif "data-clarity-mask" in markers:
            out.append(ReplaySetting("microsoft-clarity", markers["data-clarity-mask"][0], "data-clarity-mask", True, True,
                                     ["Content marked data-clarity-mask is masked (line {line}); the rest follows the project's masking mode."]))
        else:
            out.append(ReplaySetting("microsoft-clarity", -1, "data-clarity-mask", None, False,
                                     ["Clarity runs without data-clarity-mask in this file (line {line}); only the project's masking mode in the Clarity dashboard protects text and inputs."]))
    return out


def config_settings(unit, flow: Flow, naming) -> list[ReplaySetting]:
    out = []
    for node in unit.nodes("call_expression", "new_expression"):
        callee = node.child_by_field_name("function") if node.type == "call_expression" else node.child_by_field_name("constructor")
        name = naming(callee)
        check = CONFIG_CALLS.get(name or "")
        if check is None:
            continue
        offset = unit.host_range(node)[0]
        out.extend(check(flow, node, arguments(node), offset))
    return out
