"""Screens of a mobile app, and whether each is about health.

A screen is a class (or SwiftUI struct) whose name ends with a screen suffix of
rules/mobile.toml (`SymptomCheckerActivity`, `LabResultsViewController`, `MedicationPage`). It is
a health screen when the words before the suffix, or a title the screen sets
(`setTitle("Lab results")`, `.navigationTitle("Symptoms")`, `AppBar(title: Text('…'))`), hold a
strong term of rules/health-terms.txt or name a health section (`symptom-checker`).
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern
from phi_lint.mobile.data import table

_DECLARATION = lazy_pattern(r"(?:\bclass|\bstruct|@implementation|@interface)\s+([A-Z]\w*)")


@dataclass(frozen=True)
class Screen:
    name: str
    start: int  # where its declaration starts in the file
    health: str | None  # why it is a health screen ("its name names `symptom checker`"), or None


def screen_words(name: str) -> str | None:
    """The words of a screen's name before its suffix (`SymptomCheckerActivity` → "Symptom
    Checker"), or None when the name has no screen suffix."""
    for suffix in table().screen_suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return " ".join(re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", stem))
    return None


def health_term(words: str) -> str | None:
    """The strong health term in some words, or None."""
    from phi_lint.inference import health

    strong = [hit.term.text for hit in health.vocabulary().find(words) if not hit.term.weak]
    if strong:
        return strong[0]
    key = "-".join(health.number_stem(w) for w in health.words(words))
    return words.lower() if key in health.health_segments() else None


def screens_in(code: str) -> list[Screen]:
    """The screens declared in a file, with why each is about health."""
    declarations = list(_DECLARATION.finditer(code))
    found = []
    for i, match in enumerate(declarations):
        name = match.group(1)
        words = screen_words(name)
        if words is None:
            continue
        why = None
        term = health_term(words)
        if term:
            why = f"screen {name} names `{term}`"
        else:
            end = declarations[i + 1].start() if i + 1 < len(declarations) else len(code)
            why = _title_health(name, code[match.start() : end])
        found.append(Screen(name, match.start(), why))
    return found


def _title_health(name: str, body: str) -> str | None:
    for pattern in table().title_patterns:
        for title in pattern.finditer(body):
            term = health_term(title.group(1))
            if term:
                return f"screen {name} has the title \"{title.group(1)}\" (`{term}`)"
    return None


def screen_at(screens: list[Screen], offset: int) -> Screen | None:
    """The screen whose declaration is the last one before `offset`."""
    starts = [s.start for s in screens]
    i = bisect.bisect_right(starts, offset) - 1
    return screens[i] if i >= 0 else None


def health_screens_by_name(files: list[str]) -> list[tuple[str, str]]:
    """(path, why) of the app's screen files whose file name is about health: what the
    automatic-logging judgement names, from the file list alone (no file is read for it)."""
    endings = tuple(table().code_endings)
    found = []
    for rel in files:
        base = os.path.basename(rel)
        if not base.lower().endswith(endings):
            continue
        name = base.rsplit(".", 1)[0]
        if "_" in name or name.islower():  # Dart files: medication_log_page.dart holds MedicationLogPage
            name = "".join(part[:1].upper() + part[1:] for part in name.split("_"))
        words = screen_words(name)
        term = health_term(words) if words else None
        if term:
            found.append((rel, f"screen {name} names `{term}`"))
    return found


def screen_inferences(rel: str, code: str) -> list:
    """The `health` label of a mobile code file that declares a health screen, as an Inference
    (the page contexts give it to the file, as to a health page)."""
    from phi_lint.mobile import language_of

    if language_of(rel) is None:
        return []
    from phi_lint.inference.model import Inference

    found = []
    for screen in screens_in(code):
        if screen.health:
            line = code.count("\n", 0, screen.start) + 1
            found.append(Inference(rel, "health", screen.health, rel, line))
    return found
