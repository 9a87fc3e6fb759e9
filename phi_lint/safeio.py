"""Reading files of a repository that may be hostile.

A scanned repository controls its file types and links: a named pipe called `x.html` blocks a
plain `open()` forever, a link called `.phi-lint-ignore` can point at `/proc/self/environ`, a
3 GB file can claim to be a template. Everything phi-lint reads from the scanned tree goes
through `read_regular` (only regular files, never through a final symbolic link, never more than
`max_size` bytes, checked before reading) or `read_inside` (the same, and the real path must lie
inside the tree).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_READ_FLAGS = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC | _O_BINARY
_CHUNK = 1 << 20


@dataclass
class Bytes:
    data: bytes | None  # None when the file was not read
    problem: str | None = None  # why not, for a notification ("skipped: …")


def file_type(mode: int) -> str:
    """A reader's name for a non-regular file type."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def size_problem(size: int, max_size: int) -> str:
    return (
        f"skipped: {size / 1048576:.1f} MiB is larger than max-file-size "
        f"({max_size / 1048576:.1f} MiB); raise max-file-size in config to scan it"
    )


def _open_no_follow(path: str) -> int | Bytes:
    """A descriptor for reading path without following a final symbolic link and without
    blocking on a FIFO, or why it cannot be opened (the words every skip notice uses)."""
    try:
        return os.open(path, _READ_FLAGS)
    except PermissionError:
        return Bytes(None, "skipped: permission denied")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Bytes(None, "skipped: a symbolic link (not followed)")
        return Bytes(None, f"skipped: cannot read ({exc.strerror or exc})")


def read_regular(path: str, max_size: int) -> Bytes:
    """The bytes of a regular file of at most max_size bytes.

    Opened without following a final symbolic link and without blocking (a FIFO opened for
    reading with no writer would wait forever), then checked with fstat on the open descriptor,
    so the file read is the file checked.
    """
    fd = _open_no_follow(path)
    if isinstance(fd, Bytes):
        return fd
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Bytes(None, f"skipped: {file_type(info.st_mode)}, not a regular file")
        if info.st_size > max_size:
            return Bytes(None, size_problem(info.st_size, max_size))
        chunks = []
        remaining = max_size + 1
        while remaining > 0:
            chunk = os.read(fd, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_size:  # grew while being read
            return Bytes(None, size_problem(len(data), max_size))
        return Bytes(data)
    except OSError as exc:
        return Bytes(None, f"skipped: cannot read ({exc.strerror or exc})")
    finally:
        os.close(fd)


def read_head(path: str, limit: int) -> bytes:
    """At most the first `limit` bytes of a regular file, opened as read_regular opens it (no
    final link followed, no wait on a FIFO); b"" for anything else or an error."""
    return head_of(path, limit).data or b""


def head_of(path: str, limit: int) -> Bytes:
    """At most the first `limit` bytes of a regular file, opened as read_regular opens it, or
    why it was not read (the same problems read_regular names), for a caller that must say so."""
    fd = _open_no_follow(path)
    if isinstance(fd, Bytes):
        return fd
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Bytes(None, f"skipped: {file_type(info.st_mode)}, not a regular file")
        return Bytes(os.read(fd, limit))
    except OSError as exc:
        return Bytes(None, f"skipped: cannot read ({exc.strerror or exc})")
    finally:
        os.close(fd)


def is_inside(path: str, root: str) -> bool:
    """Whether the real path of `path` (links resolved) lies in the real directory `root`."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_inside(path: str, root: str, max_size: int) -> Bytes:
    """read_regular, for a file phi-lint looks for by name in the tree (ignore file, baseline,
    configuration): a link is followed only when its target stays inside `root`."""
    if not is_inside(path, root):
        return Bytes(None, "skipped: a symbolic link that leaves the scanned tree")
    return read_regular(os.path.realpath(path), max_size)


_STREAM_NAMES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def replace_bytes(path, data: bytes, mode: int = 0o644) -> None:
    """Replace a file of the project (`--add-ignore`) with data, exactly these bytes, by a
    temporary file beside it renamed over it, with the given permission bits. OSError on failure
    (the temporary file is removed)."""
    import tempfile

    target = os.fspath(path)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(target)), prefix=".phi-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _is_device(target: str) -> bool:
    """A character device such as /dev/null or /dev/tty (not a link to one): written to, never
    replaced. A rename over it would swap the device for a regular file, and as root that breaks
    every program on the machine that discards output (`-o /dev/null` in a benchmark did). A
    repository cannot hold a device (git stores none, and making one needs root)."""
    try:
        return stat.S_ISCHR(os.lstat(target).st_mode)
    except OSError:
        return False


def write_atomic(path, text: str) -> None:
    """Write a report, baseline or starter config: to a temporary file beside it, then renamed
    over it. A committed link at `path` (`.phi-lint-baseline.json -> ~/.bashrc`) is replaced by
    the new file, never written through; a reader never sees half a file. OSError on failure
    (the temporary file is removed)."""
    target = os.fspath(path)
    if target.startswith(_STREAM_NAMES) or _is_device(target):
        # the user's own stream (-o /dev/stdout, a process substitution's /dev/fd/63): written
        # as it is; a link committed in a repository never has such a name
        with open(target, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text)
        return
    replace_bytes(target, text.encode("utf-8", "surrogateescape"), 0o644)
