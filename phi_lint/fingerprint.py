"""Content-based finding fingerprints: stable when lines move or indentation changes.

Built from the rule, the repo-relative path, the vendor, the normalised snippet and the first
sensitive page: never from line numbers.
"""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def normalise_snippet(snippet: str) -> str:
    return _SPACE.sub(" ", snippet).strip()


def fingerprint(finding) -> str:
    s = finding.sighting
    page = finding.pages[0].page if finding.pages else ""
    material = "\x1f".join([finding.rule_id, s.path, s.vendor_id, s.kind, normalise_snippet(s.snippet), page])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
