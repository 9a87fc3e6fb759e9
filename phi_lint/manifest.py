"""package.json: a dependency on a tracker SDK is inventory (PHI100), never a page finding."""

from __future__ import annotations

import json
import re

from phi_lint.models import Sighting, Span
from phi_lint.textio import LineIndex

_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def manifest_sightings(text: str, path: str, index, vendor_ids: set[str]) -> tuple[list[Sighting], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; skipped"]
    if not isinstance(data, dict):
        return [], []
    lines = LineIndex(text)
    found: list[Sighting] = []
    for section in _SECTIONS:
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        section_match = re.search(rf'"{re.escape(section)}"\s*:', text)
        after = section_match.end() if section_match else 0
        for name in deps:
            for vendor, sig in index.packages.get(name, ()):
                if vendor.id not in vendor_ids or sig.imports is not None:
                    continue  # a shared SDK restricted to some exports says nothing on its own
                match = re.compile(rf'"{re.escape(name)}"\s*:').search(text, after)
                start = match.start() if match else 0
                end = match.end() if match else 0
                line, column = lines.position(start)
                end_line, end_column = lines.position(max(end, start + 1))
                found.append(
                    Sighting(
                        vendor_id=vendor.id,
                        path=path,
                        span=Span(line, column, end_line, end_column),
                        kind="dependency",
                        snippet=f'"{name}": "{deps[name]}"',
                        capabilities=tuple(sorted(set(vendor.capabilities) | set(sig.capabilities))),
                        signature=f"package {name}",
                        lines=(line,),
                    )
                )
                break
    return found, []
