"""How much of issue 17's time budget one native multi-pattern pass per file leaves to Python.

    python bench/native_floor.py CORPUS [--reps 3] [--jobs 1 2] [--semgrep-seconds 9.14]

bench/RESULTS.md ("Why the ratio targets are out of reach") claims the targets (a cold scan
≤ 5× ripgrep over the catalogue keywords and ≥ 10× faster than semgrep) need one native pass
per file that finds every per-file reader's syntax, with Python touching only the hits. This
script measures that design's floor instead of arguing it, in fresh processes (interpreter
start-up included, as in ripgrep's and phi-lint's rows), one process and 2 worker processes:

  a   walk, read and decode every file (the floor any Python tool pays; cf. bench/floor.py);
  b   a + ONE pass per file over every opener phi-lint's readers look for, either
      b-re2   google-re2's Set (phi-lint's engine today: which openers occur, no positions),
      b-hs1   hyperscan, each opener reported once (the native scan with few Python callbacks), or
      b-hs    a hyperscan database reporting every match's opener id and end offset;
  c   b-hs + a minimal Python step per hit (slice the hit's line and look at it once): what
      "Python touching only the hits" costs before any reader does real work.

The openers are collected from phi-lint's own data, not retyped: the catalogue's prefilter
keywords and package names; the literal gates registered once a scan of the repository's
fixtures has warmed every stage up (phi_lint/literalgates.py); the comment openers of every
dialect in rules/dialects.toml (an indentation-block form only at a line's start, as the blanker
reads it); and the literal prefix of every page-graph / comment-blanking pattern in
pagegraph/templates_python.py, pagegraph/templates_other.py and parsers/template_comments.py.
A one-character opener that is not anchored to a line start is left out (it would report every
`/` of a file; the gate `/` is Slim's comment opener, kept anchored).

Each row: medians of --reps runs of wall and CPU seconds (user + sys of the process and its
workers), CPU µs per file, hits per file, and ratios to ripgrep (`rg -i -F -c --no-ignore -f
KEYWORDS CORPUS`, timed in the same repetitions) and to semgrep's recorded wall time. The last
lines turn the targets into a budget: the CPU per file left for the real readers (page-graph
edges, routes, inference, sightings) after the a, b-hs and c rows, against what phi-lint's own
cold scan spends beyond the floor a (with --phi-lint, timed in the same repetitions).
The hits are also broken down by where their openers came from, and the most frequent openers
named: they are the ones a real design would have to anchor better.

hyperscan is installed for this benchmark only (ensure_hyperscan), never as a phi-lint dependency.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

MODES = ("a", "b-re2", "b-hs1", "b-hs", "c")
ABOUT = {
    "a": "walk + read + decode",
    "b-re2": "a + RE2 set of openers (ids)",
    "b-hs1": "a + hyperscan, each opener once (ids)",
    "b-hs": "a + hyperscan of openers (ids, ends)",
    "c": "b-hs + Python slices each hit's line",
}
# the modules whose patterns are the page-graph and comment readers' syntax
READER_MODULES = ("phi_lint.pagegraph.templates_python", "phi_lint.pagegraph.templates_other", "phi_lint.parsers.template_comments")
NAMES = {"ripgrep": "ripgrep (catalogue keywords)", "phi-lint": "phi-lint cold scan (--no-cache)"}


@dataclass(frozen=True)
class Opener:
    source: str  # where it was collected from
    literal: str
    caseless: bool
    line_start: bool = False  # only at a line's start, after blanks (an indentation-block comment)


def ensure_hyperscan() -> None:
    """The benchmark's own setup, like bench/run.py's ensure_semgrep: never a phi-lint dependency."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        print("installing hyperscan into this interpreter for the benchmark (pip)...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hyperscan"], check=True)


# ------------------------------------------------------------------------------ the openers


def opener_literal(pattern: str) -> str:
    """The literal text every match of a regex starts with (`<script\\b` → `<script`,
    `\\{%-?\\s*static` → `{%`, `(?<!\\{)\\{#` → `{#`), '' when it starts with no literal: phi-lint's
    own reader of opener literals, letters kept."""
    from phi_lint.parsers.template_comments import leading_literal

    return leading_literal(pattern, letters=True)


def _reader_patterns(module) -> list[tuple[str, int]]:
    """(source, flags) of the module-level patterns of a reader module (lazy or compiled, alone or
    in a dict)."""
    from phi_lint.lazyre import LazyPattern

    found = []
    for value in vars(module).values():
        for item in value.values() if isinstance(value, dict) else (value,):
            if isinstance(item, LazyPattern):
                found.append((item.pattern, item._flags))
            elif isinstance(item, re.Pattern) and isinstance(item.pattern, str):
                found.append((item.pattern, item.flags))
    return found


def collect_openers(warm: Path) -> list[Opener]:
    """Every opener of phi-lint's per-file readers, from its own data (see the docstring)."""
    import importlib

    from phi_lint import literalgates
    from phi_lint.catalogue import load_catalogue
    from phi_lint.dialects import table
    from phi_lint.scan import ScanOptions, scan

    openers: list[Opener] = []
    for vendor in load_catalogue():
        for word in sorted(set(vendor.keywords) | {p.name.lower() for p in vendor.packages}):
            openers.append(Opener("prefilter keyword", word, True))
    scan(ScanOptions(paths=[warm], jobs=1, use_cache=False))  # registers every stage's gates
    openers += [Opener("literal gate", literal, False) for literal in literalgates._EXACT]
    openers += [Opener("literal gate", literal, True) for literal in literalgates._FOLDED]
    for forms in table().comment_forms.values():
        for form in forms:
            openers.append(Opener("dialect comment opener", opener_literal(form.open), True, form.indent))
    for name in READER_MODULES:
        for pattern, flags in _reader_patterns(importlib.import_module(name)):
            multiline_start = bool(flags & re.MULTILINE) and pattern.startswith("^")
            literal = opener_literal(re.sub(r"^\^(?:\[ \\t\]\*)?", "", pattern) if multiline_start else pattern)
            openers.append(Opener(f"reader pattern ({name.rsplit('.', 1)[1]})", literal, bool(flags & re.IGNORECASE), multiline_start))
    return _distinct(openers)


def _distinct(openers: list[Opener]) -> list[Opener]:
    """Each opener once (a caseless one covers the same literal with case), in a stable order;
    no empty literal and no one-character literal that is not anchored to a line start."""
    seen: dict[tuple[str, bool], Opener] = {}
    for opener in openers:
        if not opener.literal or (len(opener.literal) < 2 and not opener.line_start):
            continue
        key = (opener.literal.lower(), opener.line_start)
        held = seen.get(key)
        if held is None or (opener.caseless and not held.caseless):
            seen[key] = opener if held is None else Opener(held.source, opener.literal, True, opener.line_start)
    return sorted(seen.values(), key=lambda o: (o.source, o.literal, o.line_start))


def escaped(literal: str) -> bytes:
    """The literal's UTF-8 bytes as a regex both RE2 (Latin-1) and hyperscan read byte for byte."""
    return b"".join(bytes([b]) if chr(b).isalnum() and b < 128 else b"\\x%02x" % b for b in literal.encode("utf-8"))


LINE_START = rb"^[ \t]*"


# ------------------------------------------------------------------------------ one measured run


def walk(root: str) -> list[str]:
    """Every regular file under root, hidden folders (.git) skipped as ripgrep and phi-lint do."""
    stack, paths = [root], []
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                paths.append(entry.path)
    return paths


def re2_set(openers: list[Opener]):
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.max_mem = 64 << 20
    options.log_errors = False
    literal_set = re2.Set.SearchSet(options)
    for opener in openers:
        pattern = escaped(opener.literal)
        if opener.caseless:
            pattern = b"(?i:" + pattern + b")"
        if opener.line_start:
            pattern = b"(?m:" + LINE_START + b")" + pattern
        literal_set.Add(pattern)
    literal_set.Compile()
    return literal_set


def hyperscan_database(openers: list[Opener], once: bool = False):
    """A block-mode database of the openers, the i-th opener's id i; `once`: each reported at its
    first match only (HS_FLAG_SINGLEMATCH), as a set reports it."""
    import hyperscan

    expressions, flags = [], []
    for opener in openers:
        expressions.append((LINE_START if opener.line_start else b"") + escaped(opener.literal))
        flags.append((hyperscan.HS_FLAG_CASELESS if opener.caseless else 0) | (hyperscan.HS_FLAG_MULTILINE if opener.line_start else 0)
                     | (hyperscan.HS_FLAG_SINGLEMATCH if once else 0))
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), flags=flags)
    return database


_ENGINE: list = [None]  # the mode's compiled set or database, built before the workers fork


def _collect(opener_id, start, end, flags, hits):
    hits.append((opener_id, end))


def read_files(mode: str, paths: list[str]) -> tuple[int, int, int]:
    """(files, hits, lines looked at) of one worker's share of the files."""
    engine, files, hits, looked = _ENGINE[0], 0, 0, 0
    scratch = None
    if mode in ("b-hs1", "b-hs", "c"):
        import hyperscan

        scratch = hyperscan.Scratch(engine)
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8", errors="replace")
        files += 1
        if mode == "b-re2":
            hits += len(engine.Match(data) or ())
        elif scratch is not None:
            found: list[tuple[int, int]] = []
            engine.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
            hits += len(found)
            if mode == "c":
                looked += _look_at_lines(data, text, found)
    return files, hits, looked


def _look_at_lines(data: bytes, text: str, found: list[tuple[int, int]]) -> int:
    """The minimal Python step per hit: the hit's line as text, looked at once (is a quote on it)."""
    quoted = 0
    same_offsets = len(text) == len(data)  # ASCII: byte offsets are character offsets
    for _, end in found:
        if same_offsets:
            line = text[text.rfind("\n", 0, end) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1]
        else:
            stop = data.find(b"\n", end)
            line = data[data.rfind(b"\n", 0, end) + 1 : stop if stop >= 0 else len(data)].decode("utf-8", errors="replace")
        quoted += '"' in line
    return quoted


def run_mode(mode: str, jobs: int, corpus: str, openers_file: str) -> None:
    """One measured run (a fresh process): prints files, hits and lines looked at."""
    if mode != "a":
        openers = [Opener(**item) for item in json.loads(Path(openers_file).read_text())]
        _ENGINE[0] = re2_set(openers) if mode == "b-re2" else hyperscan_database(openers, once=mode == "b-hs1")
    paths = walk(corpus)
    if jobs == 1:
        files, hits, looked = read_files(mode, paths)
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.starmap(read_files, [(mode, paths[i::jobs]) for i in range(jobs)])
            pool.close()
            pool.join()  # the workers are waited for, so their CPU counts in this process's children
        files, hits, looked = (sum(part[i] for part in parts) for i in range(3))
    print(json.dumps({"files": files, "hits": hits, "looked": looked}))


# ------------------------------------------------------------------------------ the benchmark


def hits_by_opener(openers: list[Opener], paths: list[str]) -> dict[int, int]:
    """How often each opener occurs over the files (untimed: which openers make the hits)."""
    database = hyperscan_database(openers)
    counts: dict[int, int] = {}

    def count(opener_id, start, end, flags, context):
        counts[opener_id] = counts.get(opener_id, 0) + 1

    for path in paths:
        with open(path, "rb") as handle:
            database.scan(handle.read(), match_event_handler=count)
    return counts


def hits_summary(openers: list[Opener], counts: dict[int, int], files: int) -> str:
    by_source: dict[str, int] = {}
    for opener_id, n in counts.items():
        by_source[openers[opener_id].source] = by_source.get(openers[opener_id].source, 0) + n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return ("hits per file by source: " + ", ".join(f"{source} {n / files:.1f}" for source, n in sorted(by_source.items()))
            + "\nmost frequent openers (hits per file): "
            + ", ".join(f"{openers[i].literal!r}{' (line start)' if openers[i].line_start else ''} {n / files:.1f}" for i, n in top))


def _measure(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of one run, CPU of the process and its waited-for workers."""
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # rg -c exits 1 when nothing matched
        raise SystemExit(f"error: {' '.join(cmd[:4])}… failed: {err.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, out


def _row(cells: list) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--semgrep-seconds", type=float, default=None, help="semgrep's recorded wall time on this corpus")
    parser.add_argument("--phi-lint", action="store_true", help="time phi-lint's cold scan (--no-cache) in the same repetitions")
    parser.add_argument("--warm", type=Path, default=REPO / "fixtures", help="repository scanned once to register every literal gate")
    parser.add_argument("--run", nargs=4, metavar=("MODE", "JOBS", "CORPUS", "OPENERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run_mode(args.run[0], int(args.run[1]), args.run[2], args.run[3])
        return
    if not args.corpus.is_dir():
        print(f"error: {args.corpus} is not a folder (bench/run.py builds the corpora)", file=sys.stderr)
        raise SystemExit(2)
    ensure_hyperscan()
    from run import keywords_file

    work = Path(tempfile.mkdtemp(prefix="native-floor-"))
    openers = collect_openers(args.warm)
    openers_file = work / "openers.json"
    openers_file.write_text(json.dumps([asdict(o) for o in openers]))
    keywords = keywords_file(work / "keywords.txt")
    sources: dict[str, int] = {}
    for opener in openers:
        sources[opener.source] = sources.get(opener.source, 0) + 1
    print(f"{len(openers)} openers: " + ", ".join(f"{n} {source}" for source, n in sources.items()), flush=True)

    commands: dict[tuple[str, int], list[str]] = {
        (mode, jobs): [sys.executable, str(Path(__file__).resolve()), str(args.corpus), "--run", mode, str(jobs), str(args.corpus), str(openers_file)]
        for mode in MODES
        for jobs in args.jobs
    }
    rg = shutil.which("rg")
    if rg:
        commands[("ripgrep", 0)] = [rg, "-i", "-F", "-c", "--no-ignore", "-f", str(keywords), str(args.corpus)]
    if args.phi_lint:
        for jobs in args.jobs:
            commands[("phi-lint", jobs)] = [sys.executable, "-m", "phi_lint", "--exit-zero", "-q", "-f", "json", "-o", str(work / "report.json"),
                                            "--no-cache", "-j", str(jobs), str(args.corpus)]
    # this checkout's phi-lint, run from bytecode as an installed package is
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(hits_summary(openers, hits_by_opener(openers, walk(str(args.corpus))), len(walk(str(args.corpus)))), flush=True)
    samples: dict[tuple[str, int], list[tuple[float, float]]] = {key: [] for key in commands}
    counts: dict[tuple[str, int], dict] = {}
    for _ in range(args.reps):  # alternating, so every row sees the same neighbours
        for key, cmd in commands.items():
            wall, cpu, out = _measure(cmd, env)
            samples[key].append((wall, cpu))
            if key[0] in ABOUT:
                counts[key] = json.loads(out.strip().splitlines()[-1])
    shutil.rmtree(work, ignore_errors=True)
    print(report(args.corpus, samples, counts, args.semgrep_seconds))


def report(corpus: Path, samples, counts, semgrep: float | None) -> str:
    median = {key: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)) for key, runs in samples.items()}
    rg = median.get(("ripgrep", 0))
    lines = [f"\n{corpus} (medians of {len(next(iter(samples.values())))}; load {os.getloadavg()[0]:.1f})\n"]
    lines.append(_row(["run", "jobs", "wall s", "CPU s", "CPU µs/file", "hits/file", "× rg wall", "× rg CPU", "semgrep wall ÷ this"]))
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    files = max((c["files"] for c in counts.values()), default=0) or 1
    for key, (wall, cpu) in median.items():
        mode, jobs = key
        hits = f"{counts[key]['hits'] / files:.1f}" if key in counts and mode != "a" else ""
        lines.append(_row([
            f"{mode}: {ABOUT[mode]}" if mode in ABOUT else NAMES[mode], jobs or "", f"{wall:.2f}", f"{cpu:.2f}",
            f"{cpu / files * 1e6:.0f}", hits, f"{wall / rg[0]:.1f}" if rg else "n/a", f"{cpu / rg[1]:.1f}" if rg else "n/a",
            f"{semgrep / wall:.1f}" if semgrep else "n/a",
        ]))
    hits = counts.get(("b-hs", 1), {}).get("hits")
    lines += budget(median, files, rg, semgrep, hits)
    return "\n".join(lines)


def budget(median, files: int, rg, semgrep: float | None, hits: int | None = None) -> list[str]:
    """What the targets leave for the real readers after the a, b and c rows, in CPU time (the
    machine is shared: wall time there measures the neighbours too).

    5× ripgrep is taken as CPU ≤ 5 × ripgrep's CPU of the same repetitions. 10× faster than
    semgrep is a wall time (semgrep's recorded one ÷ 10); on `jobs` processes that keep their
    cores busy it allows at most jobs × that much CPU: a floor generous to the design, since the
    measured walls of the worker rows are above CPU ÷ jobs (start-up, the walk, the pool)."""
    if rg is None:
        return ["", "no ripgrep on PATH: no budget"]
    semgrep_wall = semgrep / 10 if semgrep else None
    lines = ["", f"Targets: 5× ripgrep's CPU = {5 * rg[1]:.2f} CPU s (5× its wall = {5 * rg[0]:.2f} s)"
             + (f"; semgrep ÷ 10 = {semgrep_wall:.2f} s of wall" if semgrep_wall else "") + "."]
    lines += ["", _row(["after", "processes", "CPU s", "CPU µs/file left under 5× ripgrep", "CPU µs/file left under 10× semgrep",
                         "phi-lint now: CPU µs/file beyond a"]), "|---|---:|---:|---:|---:|---:|"]
    for jobs in sorted({j for _, j in median if j}):
        for mode in ("a", "b-re2", "b-hs", "c"):
            if (mode, jobs) not in median:
                continue
            cpu = median[(mode, jobs)][1]
            under_rg = (5 * rg[1] - cpu) / files * 1e6
            under_semgrep = f"{(jobs * semgrep_wall - cpu) / files * 1e6:.0f}" if semgrep_wall else "n/a"
            phi = median.get(("phi-lint", jobs))
            now = f"{(phi[1] - median[('a', jobs)][1]) / files * 1e6:.0f}" if phi and ("a", jobs) in median else "n/a"
            lines.append(_row([mode, jobs, f"{cpu:.2f}", f"{under_rg:.0f}", under_semgrep, now]))
    lines += ["", per_hit(median, hits)]
    return lines


def per_hit(median, hits: int | None) -> str:
    """CPU per hit of the Python callbacks (b-hs over b-hs1) and of the step per hit (c over b-hs),
    from the one-process rows, per the hits their run counted."""
    if not hits or ("c", 1) not in median or ("b-hs1", 1) not in median:
        return ""
    callback = (median[("b-hs", 1)][1] - median[("b-hs1", 1)][1]) / hits * 1e6
    step = (median[("c", 1)][1] - median[("b-hs", 1)][1]) / hits * 1e6
    return f"Per hit (one process): the Python callback that receives it {callback:.2f} µs, the line step {step:.2f} µs."


if __name__ == "__main__":
    main()
