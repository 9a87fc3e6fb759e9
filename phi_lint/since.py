"""`--since REF`: report only the findings that are new since a git ref.

Both sides are whole-repository scans: today's tree as usual, and the tree of REF written to a
temporary folder and scanned the same way, so a page is judged by every layout and include at
each point in time. A finding of today whose fingerprint (content-based, no line numbers: see
fingerprint.py) some finding at REF had is marked suppressed with kind `since`, as the baseline
does; JSON and SARIF show it with --include-suppressed.

This is the one place phi-lint runs a program, and only because the user asked for it by name.
The scanned repository is still untrusted (SECURITY.md), so git is run:
  - with a fixed argument list and no shell; REF is checked first (no leading `-`, no control
    characters, no whitespace) and passed after `--end-of-options`;
  - only as `rev-parse`, `ls-tree` and `cat-file --batch`: commands that read objects, never
    check files out, apply no clean/smudge filters, textconv or `export-subst` (which
    `git archive` and `git show` would), and read no index (so no `core.fsmonitor` program);
  - with `core.fsmonitor`, `core.hooksPath`, replace objects, lazy fetching and every transport
    switched off, the system configuration ignored, no pager, no prompts, and the search for a
    repository stopped at the project root (`GIT_CEILING_DIRECTORIES`);
  - with a time limit.
Only regular files of at most max-file-size bytes are written, by name checks that keep every
path inside the temporary folder (no `..`, no absolute paths, no `.git`, no links).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from phi_lint.errors import UserError
from phi_lint.models import Suppression
from phi_lint.reporters.common import excerpt

GIT_TIMEOUT = float(os.environ.get("PHI_LINT_GIT_TIMEOUT", "120"))
MAX_REF_LENGTH = 256
_HARDENING = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "protocol.allow=never",
    "-c", "core.pager=cat",
    "--no-replace-objects",
)


@dataclass(frozen=True)
class GitTree:
    commit: str  # full object name REF resolves to
    folder: Path  # the temporary copy of REF's tree (remove with shutil.rmtree)


def check_ref(ref: str) -> str:
    """REF as the user typed it, or a UserError: an option-looking or malformed ref is refused
    before git sees it."""
    if not ref or not ref.strip():
        raise UserError("--since needs a git ref, such as origin/main or HEAD~1")
    if ref.startswith("-"):
        raise UserError(f"--since `{excerpt(ref)}`: a ref cannot start with `-`")
    if len(ref) > MAX_REF_LENGTH or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in ref):
        raise UserError(f"--since `{excerpt(ref)}` is not a git ref")
    return ref


def _environment(root: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CEILING_DIRECTORIES=str(root.parent),
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="/bin/false" if os.path.exists("/bin/false") else "",
        GIT_PAGER="cat",
        GIT_NO_LAZY_FETCH="1",
        GIT_ALLOW_PROTOCOL="phi-lint-none",  # no transport at all, ext:: and file:// included
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
    )
    return env


class _Git:
    def __init__(self, root: Path):
        self.root = root
        git = shutil.which("git")
        if git is None:
            raise UserError("--since needs git, and no `git` program was found on PATH")
        self.git = git
        self.env = _environment(root)
        self.deadline = time.monotonic() + GIT_TIMEOUT

    def argv(self, *args: str) -> list[str]:
        return [self.git, *_HARDENING, "-C", str(self.root), *args]

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise UserError(f"--since: git took longer than {GIT_TIMEOUT:.0f} s (PHI_LINT_GIT_TIMEOUT)")
        return left

    def run(self, *args: str) -> bytes:
        try:
            done = subprocess.run(
                self.argv(*args), env=self.env, stdin=subprocess.DEVNULL, capture_output=True,
                timeout=self.remaining(), check=False,
            )
        except subprocess.TimeoutExpired:
            raise UserError(f"--since: git took longer than {GIT_TIMEOUT:.0f} s (PHI_LINT_GIT_TIMEOUT)") from None
        if done.returncode != 0:
            raise _git_error(done.stderr)
        return done.stdout


def _git_error(stderr: bytes) -> UserError:
    message = stderr.decode("utf-8", errors="replace").strip().splitlines()
    first = next((line for line in message if line.startswith(("fatal:", "error:"))), message[0] if message else "")
    if "not a git repository" in first:
        return UserError("--since works in a git repository, and the scanned project is not one")
    if "dubious ownership" in first:
        return UserError("--since: git refuses this repository (owned by another user; see `git config safe.directory`)")
    return UserError(f"--since: git failed: {excerpt(first, 200)}")


def resolve(git: _Git, ref: str) -> str:
    try:
        out = git.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except UserError as exc:
        if "git failed" in str(exc) and "not a git repository" not in str(exc):
            raise UserError(f"--since `{excerpt(ref)}`: no such commit, branch or tag in this repository") from None
        raise
    commit = out.decode("ascii", errors="replace").strip()
    if not commit:
        raise UserError(f"--since `{excerpt(ref)}`: no such commit, branch or tag in this repository")
    return commit


def _safe_rel(path: bytes) -> str | None:
    """A tree path as a relative path that stays inside the folder, or None to skip it."""
    try:
        text = os.fsdecode(path)
    except (UnicodeError, ValueError):
        return None
    parts = text.split("/")
    if text.startswith("/") or "\\" in text or "\x00" in text:
        return None
    if any(part in ("", ".", "..") or part.lower() == ".git" for part in parts):
        return None
    if parts[-1] == ".gitignore":
        return None  # every file of REF's tree is tracked: none is ignored, as in today's scan
    return text


def _blobs(git: _Git, commit: str, max_size: int) -> list[tuple[str, str]]:
    """(object name, path) of REF's regular files of at most max_size bytes."""
    listing = git.run("ls-tree", "-r", "-z", "--long", "--full-tree", "--end-of-options", commit)
    out = []
    for entry in listing.split(b"\x00"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) != 4 or fields[1] != b"blob" or fields[0] not in (b"100644", b"100755"):
            continue  # links (120000), submodules (commit) and anything odd are not files
        if not fields[3].isdigit() or int(fields[3]) > max_size:
            continue
        rel = _safe_rel(path)
        if rel is not None:
            out.append((fields[2].decode("ascii"), rel))
    return out


def _write(folder: Path, rel: str, data: bytes) -> None:
    target = folder.joinpath(*rel.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _fill(git: _Git, blobs: list[tuple[str, str]], folder: Path) -> None:
    """Write each blob's raw bytes (`cat-file --batch` applies no filter) under folder."""
    if not blobs:
        return
    process = subprocess.Popen(
        git.argv("cat-file", "--batch"), env=git.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    stdin, stdout = process.stdin, process.stdout
    assert stdin is not None and stdout is not None  # both were asked for as pipes
    import threading

    def feed() -> None:
        try:
            for name, _ in blobs:
                stdin.write(name.encode("ascii") + b"\n")
            stdin.close()
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for _, rel in blobs:
            git.remaining()
            header = stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
                raise UserError("--since: git cat-file answered something unexpected")
            data = stdout.read(int(header[2]))
            stdout.read(1)  # the newline after the content
            try:
                _write(folder, rel, data)
            except OSError:
                continue  # a name that is also a folder, or not writable here: that file is left out
    finally:
        process.kill()
        process.wait()
        writer.join(timeout=1)


def checkout_tree(root: Path, ref: str, max_size: int) -> GitTree:
    """REF's files (raw, regular, bounded) in a new temporary folder; the caller removes it."""
    git = _Git(root)
    commit = resolve(git, check_ref(ref))
    blobs = _blobs(git, commit, max_size)
    folder = Path(tempfile.mkdtemp(prefix="phi-lint-since-"))
    try:
        (folder / ".git").mkdir()  # an empty marker: the project root of the copy is the copy
        _fill(git, blobs, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return GitTree(commit, folder)


def scan_at(options, result, ref: str):
    """The result of the same scan of REF's tree (its own configuration unless --config named one)."""
    from phi_lint.scan import scan

    tree = checkout_tree(result.root, ref, result.config.max_file_size)
    try:
        paths = []
        for path in options.paths or [Path(".")]:
            try:
                rel = Path(os.path.realpath(path)).relative_to(result.root)
            except ValueError:
                rel = Path(".")
            old_path = tree.folder / rel
            if old_path.exists():
                paths.append(old_path)
        if not paths:
            return tree.commit, []
        old_options = replace(options, paths=paths, use_cache=False, progress=False, baseline=None)
        old = scan(old_options)
        return tree.commit, old.findings + old.suppressed
    finally:
        shutil.rmtree(tree.folder, ignore_errors=True)


def apply_since(options, result, ref: str) -> None:
    """Mark today's findings that REF already had as suppressed (kind `since`)."""
    commit, before = scan_at(options, result, ref)
    known = {f.fingerprint for f in before}
    justification = f"present at {ref} ({commit[:12]})"
    kept = []
    for finding in result.findings:
        if finding.fingerprint in known:
            finding.suppression = Suppression("since", justification, f"--since {ref}")
            result.suppressed.append(finding)
        else:
            kept.append(finding)
    result.findings = kept
    result.suppressed.sort(key=lambda f: f.sort_key)
