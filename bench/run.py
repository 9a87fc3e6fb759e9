"""The benchmark: phi-lint against ripgrep (the I/O floor) and semgrep, on one corpus, one run.

    python bench/run.py                      # both corpus kinds, sizes 5000 20000 50000, writes bench/RESULTS.md
    python bench/run.py --kinds templates --sizes 20000 --reps 3 --no-semgrep
    python bench/run.py --corpus ~/src/shop ~/src/clinic --reps 3 --out /tmp/real.md   # real repositories

Two corpus kinds: `bench` (bench/corpus.py: a monorepo seeded from the fixtures, 1.4 KB files
with few template tags) and `templates` (the shared generator ../shared/bench/gen_corpus.py:
Jinja pages with extends, block and include tags in every file, ERB views, JS/TS modules, CSS
and Markdown, 7 KB a file). For each kind and size it builds the corpus, then times, alternating in
every repetition: phi-lint full scan (no cache), the same with a warm cache and nothing changed
(a CI job that restores its phi-lint cache folder), phi-lint on 10 changed files (the pre-commit shape),
`rg` with the catalogue's keywords (the I/O floor), the Python floor (bench/floor.py: walk, read
and prefilter, nothing parsed), and semgrep with equivalent rules for the top vendors
(bench/semgrep-rules.yml). It reports medians of wall-clock and of CPU time (user + sys of the
process and its children: on a shared machine wall time alone says more about the neighbours),
ratios, files/s, MB/s and peak RSS, with the machine, its load average and the commands, in bench/RESULTS.md: between the `bench:table` markers when the file has
them (the profile and the notes below them are kept), else as the whole file.

With `--corpus PATH ...` it times existing directories instead (real repositories), labelled by
their folder's name. Each is copied first (without its `.git`, with an empty `.git` marker so the copy
is its own project root): the 10-changed-files run touches the copy's files, never the original. The
10 files are the first template and JS files, sorted, of those phi-lint reads (`--show-files`).
The report then also lists, per repository, the cold scan's findings and notices.

ripgrep (Debian package) and semgrep (PyPI, in bench/.tools/) are installed here, never as
project dependencies.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TOOLS = BENCH / ".tools"
# the template-heavy corpus generator is shared tooling beside the repository, not part of it
SHARED_GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
KINDS = ("bench", "templates")
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))


def ensure_ripgrep() -> str:
    found = shutil.which("rg")
    if found:
        return found
    print("installing ripgrep from Debian (apt-get)...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "ripgrep"], check=True)
    return shutil.which("rg") or "rg"


def ensure_semgrep() -> str:
    venv = TOOLS / "semgrep"
    binary = venv / "bin" / "semgrep"
    if binary.exists():
        return str(binary)
    print("installing semgrep into bench/.tools/semgrep (PyPI)...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "semgrep"], check=True)
    return str(binary)


def keywords_file(path: Path) -> Path:
    from phi_lint.catalogue import load_catalogue

    words = set()
    for vendor in load_catalogue():
        words.update(vendor.keywords)
        words.update(p.name.lower() for p in vendor.packages)
    path.write_text("\n".join(sorted(words)) + "\n")
    return path


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit code) of one run of cmd. CPU is user + sys
    of the process and every child it waited for (phi-lint's workers, semgrep-core)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # wait4's usage counts the child and its waited-for descendants
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, proc.returncode


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def build_corpus(kind: str, out: Path, size: int) -> None:
    """Build one corpus of the given kind at out (a repository: `.git` marks its root, so a
    pre-commit run judges the files it names against the whole corpus)."""
    if kind == "bench":
        from corpus import build

        build(out, size)
        return
    if not SHARED_GENERATOR.exists():
        raise SystemExit(f"the template-heavy corpus needs {SHARED_GENERATOR} (shared tooling beside the repository)")
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([sys.executable, str(SHARED_GENERATOR), str(out), str(size)], check=True)
    (out / ".git").mkdir(exist_ok=True)


def changed_files(kind: str, corpus: Path) -> list[str]:
    """The 10 files of the pre-commit shape: template pages."""
    pages = corpus / "web" / "templates" if kind == "bench" else corpus / "app" / "templates"
    pattern = "page*.html" if kind == "bench" else "page_*.html"
    return sorted(str(p) for p in pages.rglob(pattern))[:10]


def corpus_size(root: Path) -> tuple[int, int]:
    """(regular files, bytes) under root; links are not followed (a real tree may hold links to
    folders, even loops), nor counted."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            if stat.S_ISREG(info.st_mode):
                files += 1
                size += info.st_size
    return files, size


def copy_existing(source: Path, corpus_dir: Path) -> Path:
    """A copy of an existing tree to benchmark: its own project (an empty `.git` marker, as the
    generated corpora have), and the 10-changed-files run may touch its files freely."""
    copy = corpus_dir / f"real-{source.name}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(source, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    (copy / ".git").mkdir()
    return copy


def changed_existing(corpus: Path, python: str, env: dict) -> list[str]:
    """The 10 files of the pre-commit shape in a real tree: the first template (markup) and JS
    files, sorted, of those phi-lint reads; other files it reads when there are fewer. Files in
    dot-folders and dotfiles come last: sorted first they would be tool files nobody edits
    (medusa's .yarn/releases/yarn-3.2.1.cjs, a 2 MiB bundle, and .yarn/plugins)."""
    from phi_lint.discovery import classify

    shown = subprocess.run([python, "-m", "phi_lint", "--show-files", str(corpus)], cwd=REPO, env=env,
                           capture_output=True, text=True)
    if shown.returncode != 0:
        print(f"  phi-lint --show-files {corpus} failed (exit {shown.returncode}): {shown.stderr.strip()}", flush=True)
    read = sorted(line for line in shown.stdout.splitlines() if line.strip())
    hidden = [path for path in read if any(part.startswith(".") for part in Path(path).relative_to(corpus).parts)]
    kept = [path for path in read if path not in set(hidden)]
    pages = [path for path in kept if classify(os.path.basename(path)) in ("markup", "script")]
    return (pages + [path for path in kept if path not in set(pages)] + hidden)[:10]


def corpus_label(path: Path) -> str:
    return path.resolve().name


def check_existing(paths: list[Path]) -> None:
    """Usage errors of --corpus, said in one line before anything is installed or copied."""
    labels: dict[str, Path] = {}
    for path in paths:
        if not path.is_dir():
            raise SystemExit(f"bench/run.py: error: --corpus {path}: not a directory")
        label = corpus_label(path)
        if label in labels:
            raise SystemExit(f"bench/run.py: error: --corpus {labels[label]} and {path} have the same name "
                             f"({label}): the label of a row is the folder's name")
        labels[label] = path


def cold_report_summary(report: Path) -> dict:
    """Findings and notices of a cold scan's JSON report, for the notes under the table."""
    import json

    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError) as exc:
        return dict(error=f"no readable report ({exc})")
    findings = data.get("findings", [])
    notices = data.get("notifications", [])
    return dict(
        findings=len(findings),
        rules=sorted(Counter(f.get("rule", "?") for f in findings).items()),
        notices=[(n.get("level", "?"), f"{n.get('path', '')}: {n.get('message', '')}") for n in notices],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 50000])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--semgrep-reps", type=int, default=2, help="semgrep is slow: fewer repetitions")
    parser.add_argument("--no-semgrep", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--corpus-dir", type=Path, default=Path(tempfile.gettempdir()) / "phi-lint-bench",
                        help="where corpora are built (outside the repository, so each is its own project)")
    parser.add_argument("--corpus", type=Path, nargs="+", metavar="PATH",
                        help="time these existing directories (a copy of each, in --corpus-dir) instead of "
                             "generated corpora; --kinds and --sizes are then ignored")
    args = parser.parse_args()
    if args.corpus:
        check_existing(args.corpus)

    rg = ensure_ripgrep()
    semgrep = None if args.no_semgrep else ensure_semgrep()
    TOOLS.mkdir(exist_ok=True)
    keywords = keywords_file(TOOLS / "keywords.txt")
    python = sys.executable
    # the cache base (each corpus gets its own folder in it), outside the corpus as by default
    env = dict(os.environ, PHI_LINT_CACHE_DIR=str(TOOLS / "phi-lint-cache"), SEMGREP_SEND_METRICS="off")
    # an installed package runs from compiled bytecode (pip writes it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile every module on every run and time that instead
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows = []
    summaries: dict[str, dict] = {}
    for kind, size, corpus, changed in corpora(args, python, env):
        files, nbytes = corpus_size(corpus)
        # a real file, not os.devnull: phi-lint writes reports to a temporary file renamed over the
        # target, and a version without the device check turned /dev/null into a regular file (as root)
        report = str(TOOLS / "phi-lint-report.json")
        commands = {
            "phi-lint full scan": [python, "-m", "phi_lint", "--exit-zero", "-q", "-f", "json", "-o", report, "--no-cache", str(corpus)],
            "phi-lint full scan (warm cache, nothing changed)": [
                python, "-m", "phi_lint", "--exit-zero", "-q", "-f", "json", "-o", report, str(corpus)],
            "phi-lint 10 changed files (warm cache)": [python, "-m", "phi_lint", "--exit-zero", "-q", *changed],
            "ripgrep (catalogue keywords)": [rg, "-i", "-F", "-c", "--no-ignore", "-f", str(keywords), str(corpus)],
            "python floor (walk, read, prefilter)": [python, str(BENCH / "floor.py"), str(corpus)],
            # the pre-commit target is a multiple of these: the bare interpreter, and phi-lint's own start-up
            "python start-up (-c pass)": [python, "-c", "pass"],
            "phi-lint start-up (--version)": [python, "-m", "phi_lint", "--version"],
        }
        if not changed:  # phi-lint with no paths would scan its working folder instead
            del commands["phi-lint 10 changed files (warm cache)"]
        if semgrep:
            commands["semgrep (top-vendor rules)"] = [
                semgrep, "scan", "--config", str(BENCH / "semgrep-rules.yml"), "--metrics=off",
                "--disable-version-check", "--no-git-ignore", "-q", "--json", "-o", os.devnull, str(corpus),
            ]
        # warm the phi-lint cache once for the pre-commit shape, and the OS page cache for everyone
        subprocess.run([python, "-m", "phi_lint", "--exit-zero", "-q", str(corpus)], env=env, cwd=REPO,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
        load_before = load_average()
        for rep in range(args.reps):
            for name, cmd in commands.items():
                if name.startswith("semgrep") and rep >= args.semgrep_reps:
                    continue
                if name.startswith("phi-lint 10 changed files"):
                    for path in changed:  # staged edits: new mtimes, so the cache has to analyse them again
                        os.utime(path)
                elapsed, cpu, rss, code = timed(cmd, REPO, env)
                results[name].append((elapsed, cpu, rss))
                if args.corpus and rep == 0 and name == "phi-lint full scan":
                    summaries[kind] = dict(cold_report_summary(Path(report)), exit=code)
                print(f"  {kind:<9} {size:>6} files  {name:<32} {elapsed:7.2f} s  {cpu:7.2f} s CPU  {rss:7.0f} MiB  "
                      f"(exit {code}, load {load_average()})", flush=True)
        load = f"{load_before} → {load_average()}"
        floor = statistics.median(t for t, _, _ in results["ripgrep (catalogue keywords)"])
        floor_cpu = statistics.median(c for _, c, _ in results["ripgrep (catalogue keywords)"])
        full = statistics.median(t for t, _, _ in results["phi-lint full scan"])
        for name, runs in results.items():
            median = statistics.median(t for t, _, _ in runs)
            cpu = statistics.median(c for _, c, _ in runs)
            rows.append(
                dict(kind=kind, size=size, files=files, mb=nbytes / 1e6, tool=name, median=median, cpu=cpu,
                     runs=len(runs), vs_rg=median / floor, cpu_vs_rg=cpu / floor_cpu, vs_phi=median / full,
                     files_s=files / median, mb_s=nbytes / 1e6 / median, rss=max(r for _, _, r in runs), load=load)
            )
    write_results(args.out, rows, commands, args, summaries)


def corpora(args, python: str, env: dict):
    """(label, size, folder, the 10 changed files) of each corpus to time: the generated ones of
    --kinds and --sizes, or copies of the --corpus directories (size: their file count)."""
    if args.corpus:
        for source in args.corpus:
            copy = copy_existing(source.resolve(), args.corpus_dir)
            yield corpus_label(source), corpus_size(copy)[0], copy, changed_existing(copy, python, env)
        return
    for kind, size in [(kind, size) for kind in args.kinds for size in args.sizes]:
        corpus = args.corpus_dir / (f"{size}" if kind == "bench" else f"{kind}-{size}")
        build_corpus(kind, corpus, size)
        yield kind, size, corpus, changed_files(kind, corpus)


def write_results(out: Path, rows: list[dict], commands: dict, args, summaries: dict | None = None) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    if args.corpus:
        chosen = "--corpus " + " ".join(str(path) for path in args.corpus)
        corpus_lines = [
            "Each tool ran alternately in every repetition on a copy of each existing directory (the corpus",
            "column is its folder's name; the 10 changed files are its first template and JS files that",
            "phi-lint reads, sorted); the OS page cache was warm. Times are medians of",
        ]
    else:
        chosen = f"--kinds {' '.join(args.kinds)} --sizes {' '.join(map(str, args.sizes))}"
        corpus_lines = [
            "Each tool ran alternately in every repetition on the same corpus (`bench`: bench/corpus.py;",
            "`templates`: ../shared/bench/gen_corpus.py); the OS page cache was warm. Times are medians of",
        ]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine}. Date: {time.strftime('%Y-%m-%d')}. Command: `python bench/run.py {chosen} --reps {args.reps}`.",
        "",
        *corpus_lines,
        "wall-clock seconds and of CPU seconds (user + sys, workers included); peak RSS is the largest of",
        "the runs. The load column is the machine's load average (1 / 5 / 15 min) before → after the",
        "size's runs: the machine is shared, so wall time depends on the neighbours and CPU time does not.",
        "",
        "| corpus | files | MB | tool | median s | CPU s | runs | × ripgrep | CPU × ripgrep | × phi-lint full | files/s | MB/s | peak RSS MiB | load |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['kind']} | {r['files']} | {r['mb']:.1f} | {r['tool']} | {r['median']:.2f} | {r['cpu']:.2f} | {r['runs']} | "
            f"{r['vs_rg']:.1f} | {r['cpu_vs_rg']:.1f} | {r['vs_phi']:.2f} | {r['files_s']:,.0f} | {r['mb_s']:.1f} | "
            f"{r['rss']:.0f} | {r['load']} |"
        )
    lines += ["", "Commands (for the last size):", ""]
    for name, cmd in commands.items():
        shown = " ".join(cmd[:12]) + (" …" if len(cmd) > 12 else "")
        lines.append(f"- {name}: `{shown}`")
    lines += summary_lines(summaries or {})
    table = "\n".join(lines) + "\n"
    begin, end = "<!-- bench:table -->\n", "<!-- /bench:table -->\n"
    previous = out.read_text() if out.exists() else ""
    if begin in previous and end in previous:
        head, rest = previous.split(begin, 1)
        table = head + begin + table + end + rest.split(end, 1)[1]
    out.write_text(table)
    print(f"wrote {out}")


NOTES_SHOWN = 10  # a real repository gives hundreds of page-graph notes; warnings are all shown


def summary_lines(summaries: dict) -> list[str]:
    """The cold scan's findings and notices per real repository (exit code, findings by rule,
    every warning and error, the first notes), so a crash or a skipped file is seen next to the times."""
    lines = []
    for label, summary in summaries.items():
        lines += ["", f"Cold scan of {label}: exit {summary['exit']}, " + (summary["error"] if "error" in summary else (
            f"{summary['findings']} findings" + "".join(f", {rule} × {count}" for rule, count in summary["rules"])
            + "; notices: " + (", ".join(f"{count} {level}" for level, count in
                                        sorted(Counter(level for level, _ in summary["notices"]).items())) or "none")))]
        notes = sorted(text for level, text in summary.get("notices", []) if level == "note")
        lines += [f"- {level}: {text}" for level, text in sorted(summary.get("notices", [])) if level != "note"]
        lines += [f"- note: {text}" for text in notes[:NOTES_SHOWN]]
        if len(notes) > NOTES_SHOWN:
            lines.append(f"- … and {len(notes) - NOTES_SHOWN} more notes")
    return lines


if __name__ == "__main__":
    main()
