"""The Python floor: what any Python tool pays before analysing anything.

    python bench/floor.py CORPUS

Walks the corpus with os.scandir, reads and decodes every file, and runs phi-lint's prefilter
(one RE2 set of the catalogue's keywords) over each: interpreter start-up, the
catalogue, reading and the multi-literal search, in one process, with nothing parsed. The
benchmark times it next to ripgrep so the ratio of a full scan can be read against it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from phi_lint.catalogue import load_catalogue
    from phi_lint.prefilter import Prefilter

    prefilter = Prefilter(load_catalogue())
    stack, files, hits = [sys.argv[1]], 0, 0
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
                continue
            if not entry.is_file(follow_symlinks=False):
                continue  # a link (ripgrep follows none either; a real tree may hold broken ones)
            with open(entry.path, "rb") as handle:
                text = handle.read().decode("utf-8", errors="replace")
            files += 1
            hits += bool(prefilter.vendors_in(text))
    print(f"{files} files, {hits} with a keyword")


if __name__ == "__main__":
    main()
