"""Facts a parser extracts from one file, with character offsets into the host file.

A fact is not yet a sighting: the catalogue decides which facts belong to which vendor.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UrlFact:
    value: str
    start: int
    end: int
    context: str  # script, img, iframe, link, source, embed, js


@dataclass(frozen=True)
class CallFact:
    callee: str  # dotted, window./globalThis./self. stripped
    args: tuple[str | None, ...]  # string literal values; None for anything else
    start: int
    end: int


@dataclass(frozen=True)
class AssignmentFact:
    target: str
    start: int
    end: int


@dataclass(frozen=True)
class PackageUseFact:
    module: str
    binding: str  # "default", "*", or the imported name
    member: str | None  # for binding.member(...) uses
    start: int
    end: int
    jsx: bool = False
    side_effect: bool = False


@dataclass
class FileFacts:
    urls: list[UrlFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    assignments: list[AssignmentFact] = field(default_factory=list)
    package_uses: list[PackageUseFact] = field(default_factory=list)
    # offsets ranges of inline code (script bodies, handlers) inside markup
    inline_ranges: list[tuple[int, int]] = field(default_factory=list)
    # catalogue package imports: (module, binding, local name), for template component uses
    imports: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def extend(self, other: FileFacts) -> None:
        self.urls.extend(other.urls)
        self.calls.extend(other.calls)
        self.assignments.extend(other.assignments)
        self.package_uses.extend(other.package_uses)
        self.inline_ranges.extend(other.inline_ranges)
        self.imports.extend(other.imports)
        self.problems.extend(other.problems)

    def shifted(self, delta: int) -> FileFacts:
        """The same facts with every offset moved by delta (embedded code to host file)."""
        if not delta:
            return self
        return FileFacts(
            urls=[UrlFact(f.value, f.start + delta, f.end + delta, f.context) for f in self.urls],
            calls=[CallFact(f.callee, f.args, f.start + delta, f.end + delta) for f in self.calls],
            assignments=[
                AssignmentFact(f.target, f.start + delta, f.end + delta) for f in self.assignments
            ],
            package_uses=[
                PackageUseFact(
                    f.module, f.binding, f.member, f.start + delta, f.end + delta, f.jsx, f.side_effect
                )
                for f in self.package_uses
            ],
            inline_ranges=[(a + delta, b + delta) for a, b in self.inline_ranges],
            imports=list(self.imports),
            problems=list(self.problems),
        )


def looks_like_url(value: str) -> bool:
    """A string that could be a URL: short, no white space, has a dot or slash."""
    return 4 <= len(value) <= 4096 and ("/" in value or "." in value) and not any(
        c.isspace() for c in value
    )


def looks_like_markup(value: str) -> bool:
    low = value.lower()
    return any(tag in low for tag in ("<script", "<img", "<iframe", "<noscript", "<link"))
