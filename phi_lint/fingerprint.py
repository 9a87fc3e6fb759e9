"""Content-based finding fingerprints: stable when lines move or indentation changes.

Built from the rule, the repo-relative path, the vendor, the sighting kind, the normalised
snippet and the first page reached: never from line numbers. Identical material in one file
(the same snippet twice) is told apart by its order of appearance.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from phi_lint.lazyre import lazy_pattern

_SPACE = lazy_pattern(r"\s+")


def normalise_snippet(snippet: str) -> str:
    return _SPACE.sub(" ", snippet).strip()


def _material(finding) -> str:
    s = finding.sighting
    page = finding.pages[0].page if finding.pages else ""
    return "\x1f".join([finding.rule_id, s.path, s.vendor_id, s.kind, normalise_snippet(s.snippet), page])


def _digest(material: str) -> str:
    # surrogatepass: a file name whose bytes are not UTF-8 holds lone surrogates (os.fsdecode);
    # valid text encodes exactly as strict UTF-8 would, so existing fingerprints do not change
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprint(finding) -> str:
    """The finding's fingerprint (assigned by assign_fingerprints, else computed alone)."""
    if getattr(finding, "fingerprint", ""):
        return finding.fingerprint
    return _digest(_material(finding))


def assign_fingerprints(findings) -> None:
    """Set `finding.fingerprint` on every finding, numbering repeats of the same material."""
    seen: dict[str, int] = defaultdict(int)
    for finding in sorted(findings, key=lambda f: f.sort_key):
        material = _material(finding)
        count = seen[material]
        seen[material] += 1
        if count:
            material += f"\x1f#{count}"
        finding.fingerprint = _digest(material)
