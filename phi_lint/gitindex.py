"""The paths git tracks, read from `.git/index` without running git.

A tracked file is deployed whatever `.gitignore` says (a pattern added after the file was
committed does not untrack it), so discovery must judge it. Running `git ls-files` in a hostile
repository is not an option: the repository's `.git/config` can name commands git runs
(`core.fsmonitor`). The index is a documented binary format (versions 2, 3 and 4), read here
with hard bounds; anything unexpected means "unknown" (None), never an exception.
"""

from __future__ import annotations

import os
import struct

from phi_lint.safeio import read_regular

MAX_INDEX_SIZE = 256 * 1024 * 1024
_HEADER = struct.Struct(">4sII")
_STAT_LEN = 62  # ctime, mtime, dev, ino, mode, uid, gid, size (10 × 4 bytes), sha-1 (20), flags (2)
_EXTENDED = 0x4000


def tracked_paths(root: str) -> frozenset[str] | None:
    """Repository-relative paths (forward slashes) of the files in root/.git/index, or None
    when there is no readable index (not a git checkout, a worktree whose .git is a file, an
    unknown version or a damaged index)."""
    git_dir = os.path.join(root, ".git")
    if os.path.islink(git_dir) or not os.path.isdir(git_dir):
        return None
    read = read_regular(os.path.join(git_dir, "index"), MAX_INDEX_SIZE)
    if read.data is None:
        return None
    try:
        return frozenset(_parse(read.data))
    except (ValueError, struct.error, IndexError, UnicodeDecodeError):
        return None


def _parse(data: bytes) -> list[str]:
    signature, version, count = _HEADER.unpack_from(data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        raise ValueError("not a git index")
    if count > len(data) // 40:  # each entry takes far more than 40 bytes
        raise ValueError("entry count larger than the file")
    paths: list[str] = []
    offset = _HEADER.size
    previous = b""
    for _ in range(count):
        start = offset
        flags = struct.unpack_from(">H", data, offset + _STAT_LEN - 2)[0]
        offset += _STAT_LEN
        if version >= 3 and flags & _EXTENDED:
            offset += 2
        if version == 4:
            strip, offset = _varint(data, offset)
            if strip > len(previous):
                raise ValueError("bad path compression")
            end = data.index(b"\x00", offset)
            name = previous[: len(previous) - strip] + data[offset:end]
            offset = end + 1
        else:
            end = data.index(b"\x00", offset)
            name = data[offset:end]
            # entries are padded with 1 to 8 NUL bytes to a multiple of eight
            offset = start + ((end - start) // 8 + 1) * 8
        if offset > len(data):
            raise ValueError("entry past the end")
        previous = name
        paths.append(os.fsdecode(name))
    return paths


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """git's offset encoding (index v4): 7 bits a byte, each continuation adds one."""
    byte = data[offset]
    offset += 1
    value = byte & 0x7F
    steps = 0
    while byte & 0x80:
        steps += 1
        if steps > 9:
            raise ValueError("varint too long")
        byte = data[offset]
        offset += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, offset


def tracked_dirs(paths: frozenset[str]) -> frozenset[str]:
    """Every directory (relative, no trailing slash) that holds a tracked file."""
    dirs: set[str] = set()
    for path in paths:
        parent = path.rpartition("/")[0]
        while parent and parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return frozenset(dirs)
