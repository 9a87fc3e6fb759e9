"""The files a full scan spends most time on (CPU seconds per file, one process, no cache).

    python bench/slowest_files.py /tmp/phi-lint-bench/real-saleor [--top 20]

Wraps the per-file work of a scan (pass 1: every file, `FileProcessor.process`; pass 2: what each
page a tracker reaches says of itself, `infer_pages`) with a CPU-time clock, runs one single-process
scan without the cache, and prints the slowest files of each pass with their size, then the time of
the whole scan and of the project-wide work around the passes. On a real repository this finds the
one generated bundle or huge template that dominates a cold scan, which the medians of bench/run.py
cannot show. The first file of each language also pays for loading its parser (a few
tenths of a second): a file that stays slow in the second place or below is the one to look at.
CPU time (time.process_time), as in bench/stage_profile.py: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phi_lint.scan import ScanResult

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed_passes(root: Path) -> tuple[dict[str, float], dict[str, float], float, ScanResult]:
    """(pass-1 seconds by file, pass-2 seconds by page, whole scan seconds, the scan's result)."""
    import phi_lint.filepasses as filepasses
    from phi_lint.fileworker import FileProcessor
    from phi_lint.scan import ScanOptions, scan

    first: dict[str, float] = {}
    second: dict[str, float] = {}
    process, infer = FileProcessor.process, filepasses.infer_pages

    def timed_process(self, source):
        start = time.process_time()
        try:
            return process(self, source)
        finally:
            first[source.rel] = first.get(source.rel, 0.0) + time.process_time() - start

    def timed_infer(pages, *args):
        results = []
        for page in pages:  # one page a call, so each gets its own clock
            start = time.process_time()
            results += infer([page], *args)
            second[page[0]] = second.get(page[0], 0.0) + time.process_time() - start
        return results

    FileProcessor.process = timed_process  # type: ignore[method-assign]
    filepasses.infer_pages = timed_infer
    try:
        start = time.process_time()
        result = scan(ScanOptions(paths=[root], jobs=1, use_cache=False))
        return first, second, time.process_time() - start, result
    finally:
        FileProcessor.process = process  # type: ignore[method-assign]
        filepasses.infer_pages = infer


def size_of(root: Path, rel: str) -> str:
    try:
        return f"{os.path.getsize(root / rel) / 1024:,.0f} KiB"
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    root = args.root.resolve()
    first, second, whole, result = timed_passes(root)
    print(f"{root}: {whole:.2f} CPU s in all; pass 1 {sum(first.values()):.2f} s over {len(first)} files, "
          f"pass 2 {sum(second.values()):.2f} s over {len(second)} pages, the rest (discovery, project "
          f"passes, policy) {whole - sum(first.values()) - sum(second.values()):.2f} s; "
          f"{len(result.findings)} findings, {len(result.notifications)} notices")
    for title, times in (("pass 1 (every file)", first), ("pass 2 (pages a tracker reaches)", second)):
        print(f"\nslowest of {title}:")
        for rel, seconds in sorted(times.items(), key=lambda item: (-item[1], item[0]))[:args.top]:
            print(f"  {seconds:7.3f} s  {size_of(result.root, rel):>10}  {rel}")


if __name__ == "__main__":
    main()
