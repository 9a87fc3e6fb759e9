"""What a run could not read as pages: the files read only as plain text and the web frameworks
recognised but not modelled. Every report says it ("Silence is not safety", DESIGN.md): the text
and Markdown summaries, the JSON `unread` field, SARIF notifications, so that a clean run is never
announced as "No trackers on authenticated or health pages." while some pages were not placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phi_lint.generic.files import ending_of
from phi_lint.generic.frameworks import Detected
from phi_lint.models import Notification

EXAMPLES = 3  # paths a notification names of each ending
PLAIN_TEXT_CODE = "plain-text"
UNMODELLED_CODE = "unmodelled-framework"


def _files(n: int, ending: str) -> str:
    """`12 .cfm files`, `1 .haml file`."""
    return f"{n} {ending} file" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Unread:
    plain_text: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ending -> paths, sorted
    frameworks: tuple[Detected, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.plain_text or self.frameworks)

    @property
    def plain_text_count(self) -> int:
        return sum(len(paths) for paths in self.plain_text.values())

    def _by_count(self) -> list[tuple[str, tuple[str, ...]]]:
        return sorted(self.plain_text.items(), key=lambda item: (-len(item[1]), item[0]))

    def plain_text_phrase(self) -> str:
        """`12 .cfm files, 1 .haml file`: the most first."""
        return ", ".join(_files(len(paths), ending) for ending, paths in self._by_count())

    def frameworks_phrase(self) -> str:
        """`Phoenix (Elixir) (mix.exs), ASP.NET (Web/Web.csproj)`."""
        return ", ".join(f"{found.name} ({found.path})" for found in self.frameworks)

    def caveat(self) -> str:
        """The clause a clean headline carries: what phi-lint could not place."""
        parts = []
        if self.plain_text:
            verb = "was" if self.plain_text_count == 1 else "were"
            parts.append(f"{self.plain_text_phrase()} {verb} read as plain text (pages unknown)")
        if self.frameworks:
            names = ", ".join(found.name for found in self.frameworks)
            verb = "is" if len(self.frameworks) == 1 else "are"
            parts.append(f"{names} {verb} detected but not modelled (routes and guards unknown)")
        return "; ".join(parts)

    def summary_lines(self) -> list[str]:
        """One line each for the files read as plain text and the unmodelled frameworks."""
        lines = []
        if self.plain_text:
            lines.append(f"Read as plain text (pages and guards unknown): {self.plain_text_phrase()}.")
        if self.frameworks:
            lines.append(f"Detected but not modelled (routes, layouts and guards unknown): {self.frameworks_phrase()}.")
        return lines

    def notifications(self) -> list[Notification]:
        notes = []
        for ending, paths in self._by_count():
            shown = ", ".join(paths[:EXAMPLES]) + (f", … and {len(paths) - EXAMPLES} more" if len(paths) > EXAMPLES else "")
            notes.append(Notification(
                ".", f"{_files(len(paths), ending)} read as plain text: pages and guards "
                f"unknown; trackers in them are reported, the pages they reach are not ({shown})",
                level="warning", code=PLAIN_TEXT_CODE,
            ))
        for found in self.frameworks:
            notes.append(Notification(
                found.path, f"{found.name} detected but not modelled: its routes, layouts and guards are unknown, "
                "so trackers in its files are placed only by their own path and tags",
                level="warning", code=UNMODELLED_CODE,
            ))
        return notes

    def as_json(self) -> dict:
        return {
            "plainText": [{"ending": ending, "files": len(paths), "paths": list(paths)} for ending, paths in self._by_count()],
            "unmodelledFrameworks": [
                {"id": found.framework_id, "name": found.name, "path": found.path} for found in self.frameworks
            ],
        }


def build_unread(plain_text_paths, frameworks) -> Unread:
    grouped: dict[str, list[str]] = {}
    for rel in plain_text_paths:
        grouped.setdefault(ending_of(rel), []).append(rel)
    return Unread({ending: tuple(sorted(paths)) for ending, paths in sorted(grouped.items())}, tuple(frameworks))


def modelled_ids() -> frozenset[str]:
    """The ids of the framework modules phi-lint has (phi_lint.frameworks): never "unmodelled"."""
    from phi_lint.frameworks import registered

    return frozenset(framework.id for framework in registered())


def caveat_of(result) -> Unread | None:
    """A run result's Unread, when it has one that says anything."""
    unread = getattr(result, "unread", None)
    return unread if unread else None
