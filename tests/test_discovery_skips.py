"""Silence is not safety: every entry the file walk passes over, and every Markdown file it
could not read to tell whether it is a site's page, is reported as a notification.

Tests run as root, where chmod does not make a file unreadable: a real symlink loop stands for
an entry whose type cannot be read, and a patched OS call for the errors a loop cannot make."""

from __future__ import annotations

import errno
import os

from helpers import write_tree

from phi_lint.config import Config
from phi_lint.discovery import discover


def _notes(found) -> dict[str, str]:
    return {n.path: n.message for n in found.notifications}


def test_a_symlink_loop_of_no_scanned_kind_is_reported_not_passed_over(tmp_path):
    """`assets` → `assets`: it may stand for a folder of pages; whether it does cannot be read."""
    write_tree(tmp_path, {"index.html": "<h1>Hi</h1>\n"})
    os.symlink("assets", tmp_path / "assets")
    found = discover([tmp_path], Config(root=tmp_path), tmp_path)
    assert [f.rel for f in found.files] == ["index.html"]
    assert _notes(found) == {"assets": "skipped: symlink loop"}


class _Unlistable:
    """A directory entry whose type cannot be read (as on a file system that gives no type and
    refuses the stat)."""

    def __init__(self, entry):
        self._entry = entry
        self.name, self.path = entry.name, entry.path

    def is_symlink(self):
        raise PermissionError(errno.EACCES, "Permission denied", self.path)

    def is_dir(self, follow_symlinks=True):
        raise PermissionError(errno.EACCES, "Permission denied", self.path)


def test_an_entry_whose_type_cannot_be_read_is_reported(tmp_path, monkeypatch):
    write_tree(tmp_path, {"index.html": "<h1>Hi</h1>\n", "portal/records.html": "<h1>Records</h1>\n"})
    real_scandir = os.scandir

    def scandir(path):
        return [_Unlistable(e) if e.name == "portal" else e for e in real_scandir(path)]

    monkeypatch.setattr("phi_lint.discovery.os.scandir", scandir)
    found = discover([tmp_path], Config(root=tmp_path), tmp_path)
    assert [f.rel for f in found.files] == ["index.html"]
    assert _notes(found) == {"portal": "skipped: permission denied"}


def test_a_walked_markdown_file_of_a_site_that_cannot_be_read_is_reported(tmp_path, monkeypatch):
    """A Jekyll page needs front matter: a file whose front matter cannot be read may be a page,
    so it is not dropped as a README would be without a word."""
    write_tree(tmp_path, {"_config.yml": "title: Clinic\n", "index.md": "---\ntitle: Hi\n---\n",
                          "notes.md": "---\ntitle: Notes\n---\n", "README.md": "# Clinic\n"})
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if str(path).endswith("notes.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("phi_lint.safeio.os.open", refusing_open)
    found = discover([tmp_path], Config(root=tmp_path), tmp_path)
    assert sorted(f.rel for f in found.files if f.rel.endswith(".md")) == ["index.md"]
    notes = _notes(found)
    assert list(notes) == ["notes.md"]  # the README, read and not a page, is dropped as before
    assert notes["notes.md"].startswith("skipped:") and "permission denied" in notes["notes.md"]
    assert [n.level for n in found.notifications] == ["warning"]
