"""Committed tag-manager artefacts: Google Tag Manager container exports (and compiled runtimes
in `runtime`), read as data so the tags they fire are judged by the pages they reach.

- `looks_like_export(text)`: cheap content sniff for a GTM export.
- `analyze_export(rel, text, analyzer) -> ExportResult`: container ids, one sighting (kind
  "tag-manager-tag") per tag and vendor, problems; never raises.
- `policy.decide_tag`: PHI005 / PHI100 for those sightings.
"""

from __future__ import annotations

from phi_lint.tagmanager.gtm import ExportResult, analyze_export, looks_like_export

__all__ = ["ExportResult", "analyze_export", "looks_like_export"]
