"""The baseline: a file of known findings so a large repository fails only on new ones.

`.phi-lint-baseline.json` is sorted, has no timestamps and no line numbers: one entry per
finding with its fingerprint, rule, path and vendor, and optional `reason`, `owner` and
`expires` (YYYY-MM-DD; an expired entry no longer hides its finding).
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from phi_lint.errors import UserError
from phi_lint.models import Suppression
from phi_lint.reporters.common import excerpt, json_utf8
from phi_lint.safeio import read_inside, write_atomic

DEFAULT_BASELINE = ".phi-lint-baseline.json"
FORMAT_VERSION = 1
_OPTIONAL = ("reason", "owner", "expires")
_DESCRIPTIVE = ("rule", "path", "vendor")  # written by phi-lint, read back to sort and prune


@dataclass
class Baseline:
    path: Path
    entries: dict[str, dict] = field(default_factory=dict)  # fingerprint -> entry

    def expired(self, entry: dict, today: _dt.date) -> bool:
        expires = entry.get("expires")
        if not expires:
            return False
        return _dt.date.fromisoformat(expires) < today


MAX_BASELINE_SIZE = 256 * 1024 * 1024


def load_baseline(path: Path, root: Path | None = None) -> Baseline:
    """The baseline file; read only when it is a regular file (inside `root` when given, links
    included) of bounded size."""
    if not path.exists() and not path.is_symlink():
        raise UserError(f"baseline {path} does not exist; create it with `phi-lint baseline write`")
    read = read_inside(str(path), str(root if root is not None else path.absolute().parent), MAX_BASELINE_SIZE)
    if read.data is None:
        raise UserError(f"{path}: cannot read the baseline ({(read.problem or '').removeprefix('skipped: ')})")
    try:
        data = json.loads(read.data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: cannot read the baseline ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: the baseline is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise UserError(f"{path}: the baseline is nested too deeply to be a baseline") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise UserError(f"{path}: a baseline is an object with a `findings` list")
    baseline = Baseline(path)
    for index, entry in enumerate(data["findings"]):
        _check_entry(path, index, entry)
        baseline.entries[entry["fingerprint"]] = entry
    return baseline


def _check_entry(path: Path, index: int, entry) -> None:
    """Every field the baseline is read for has the type it is used as: an error naming the
    file, the entry and the key (not a crash when a finding meets the entry)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
        raise UserError(f"{path}: findings[{index}] needs a `fingerprint` string")
    for key in _DESCRIPTIVE:
        if key in entry and not isinstance(entry[key], str):
            raise UserError(f"{path}: findings[{index}].{key} must be a string, not {_json_type(entry[key])}")
    for key in _OPTIONAL:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise UserError(f"{path}: findings[{index}].{key} must be a string, not {_json_type(entry[key])}")
    expires = entry.get("expires")
    if expires is not None:
        try:
            _dt.date.fromisoformat(expires)
        except ValueError:
            raise UserError(
                f"{path}: findings[{index}].expires `{excerpt(expires)}` is not a date (YYYY-MM-DD)"
            ) from None


def _json_type(value) -> str:
    names = {type(None): "null", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def apply_baseline(findings, baseline: Baseline, today: _dt.date | None = None) -> None:
    today = today or _dt.date.today()
    for finding in findings:
        if finding.suppression is not None:
            continue
        entry = baseline.entries.get(finding.fingerprint)
        if entry is None or baseline.expired(entry, today):
            continue
        reason = entry.get("reason") or "in the baseline"
        finding.suppression = Suppression("baseline", reason, str(baseline.path.name))


def unmatched_entries(baseline: Baseline, live: set[str], rules: set[str], reported) -> list[dict]:
    """The baseline entries this run can tell match no finding any more (fixed, or moved out of
    the code): those of rules it ran, on files it reports on (see stale_entries)."""
    return [
        entry for fingerprint, entry in baseline.entries.items()
        if fingerprint not in live and entry.get("rule", "") in rules and reported(entry.get("path", ""))
    ]


MAX_PATHS_NAMED = 5  # a notice about stale entries names this many paths, then counts the rest


def stale_entries(baseline: Baseline, live: set[str], rules: set[str], reported) -> list:
    """A warning about baseline entries that match no finding, judged only where this run looked:
    entries of rules it left out, or of files it does not report on (pre-commit names the
    staged files), cannot be told stale. `reported(path)` says whether a path was reported on."""
    from phi_lint.models import Notification

    stale = unmatched_entries(baseline, live, rules, reported)
    if not stale:
        return []
    paths = sorted({entry.get("path", "") for entry in stale})
    named = ", ".join(excerpt(path) for path in paths[:MAX_PATHS_NAMED])
    more = f" and {len(paths) - MAX_PATHS_NAMED} more files" if len(paths) > MAX_PATHS_NAMED else ""
    entries = "entry matches" if len(stale) == 1 else "entries match"
    return [Notification(
        str(baseline.path.name),
        f"{len(stale)} {entries} no finding ({named}{more}); `phi-lint baseline prune` removes them",
        level="warning",
        code="unused-suppression",
    )]


def entries_for(findings, previous: Baseline | None = None) -> list[dict]:
    """Baseline entries for findings, keeping reason/owner/expires of entries already known."""
    entries = {}
    for finding in findings:
        entry = {
            "fingerprint": finding.fingerprint,
            "rule": finding.rule_id,
            "path": finding.sighting.path,
            "vendor": finding.sighting.vendor_id,
        }
        old = previous.entries.get(finding.fingerprint) if previous else None
        if old:
            for key in _OPTIONAL:
                if old.get(key):
                    entry[key] = old[key]
        entries[finding.fingerprint] = entry
    return sorted(entries.values(), key=lambda e: (e["path"], e["rule"], e["vendor"], e["fingerprint"]))


def write_baseline(path: Path, entries: list[dict]) -> None:
    document = {"version": FORMAT_VERSION, "tool": "phi-lint", "findings": entries}
    write_atomic(path, json_utf8(json.dumps(document, indent=2, ensure_ascii=False)) + "\n")


def prune(baseline: Baseline, findings) -> tuple[list[dict], int]:
    """Entries that still match a finding; and how many were dropped."""
    live = {f.fingerprint for f in findings}
    kept = [entry for fp, entry in baseline.entries.items() if fp in live]
    kept.sort(key=lambda e: (e.get("path", ""), e.get("rule", ""), e.get("vendor", ""), e["fingerprint"]))
    return kept, len(baseline.entries) - len(kept)
