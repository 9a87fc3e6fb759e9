"""Where a full scan spends its time, by pipeline stage (cProfile, one process, no cache).

    python bench/stage_profile.py /tmp/phi-lint-bench/20000 >> bench/RESULTS.md

The profiler counts CPU time (time.process_time), not wall-clock time: on a shared machine a
wall-clock profile charges the neighbours' time to whatever function was running.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from phi_lint.scan import ScanOptions, scan  # noqa: E402

STAGES = [
    ("discover files", "discovery.py", "discover"),
    ("read and decode", "textio.py", "read_source"),
    ("prefilter + parse + sightings", "analyzer.py", "sightings"),
    ("  of which the prefilter (every file)", "prefilter.py", "vendors_in"),
    ("template comments blanked (inside the graph, parser and inference rows)", "template_comments.py", "blank_comments"),
    ("page-graph edges (pass 1, every file)", "build.py", "add_file"),
    ("route inference (pass 1, every file)", "run.py", "add_file"),
    ("page inference (pass 2, pages a tracker reaches)", "run.py", "page_inferences"),
    ("page-graph project passes", "build.py", "finish"),
    ("inference project passes", "run.py", "finish"),
    ("page contexts", "context.py", "context"),
    ("policy", "policy.py", "decide"),
]


def main() -> None:
    corpus = Path(sys.argv[1])
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    scan(ScanOptions(paths=[corpus], jobs=1, use_cache=False))
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(ct for (_, _, _), (_, _, _, ct, _) in stats.stats.items())
    print(f"\n## Profile of one full scan ({corpus.name} files, one process, no cache)\n")
    print(f"Total {total:.2f} CPU s (cProfile adds overhead; shares matter, not absolutes).\n")
    print("| stage | cumulative CPU s | share |")
    print("|---|---:|---:|")
    for label, filename, function in STAGES:
        seconds = sum(
            ct for (file, _, name), (_, _, _, ct, _) in stats.stats.items() if file.endswith(filename) and name == function
        )
        print(f"| {label} | {seconds:.2f} | {seconds / total:.0%} |")
    print("\nTop functions by own time:\n")
    print("| function | own CPU s |")
    print("|---|---:|")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:10]
    for (file, line, name), (_, _, tt, _, _) in rows:
        short = "/".join(Path(file).parts[-2:]) if file.startswith("/") else file
        print(f"| `{short}:{line} {name}` | {tt:.2f} |")


if __name__ == "__main__":
    main()
