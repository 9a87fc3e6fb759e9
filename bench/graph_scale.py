"""How the page graph scales: build a template repo with thousands of pages, scan it, and
count how often each file is read.

    python bench/graph_scale.py --pages 5000

The repo has one base layout with a tracking partial, 20 section layouts extending it (some
under portal/), and N pages extending a section layout and including 3 of 50 partials. Pass 1 reads
every file once, however many pages include it; pass 2 reads the pages the tracking partial
reaches once more (here: all of them) for what each says of itself. No file is read more than
twice.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from phi_lint import textio  # noqa: E402
from phi_lint.scan import ScanOptions, scan  # noqa: E402

TRACKING = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag('config', 'G-ABCD123456');</script>
"""


def build(root: Path, pages: int) -> None:
    t = root / "templates"
    (t / "partials").mkdir(parents=True)
    (t / "layouts").mkdir()
    (t / "partials" / "tracking.html").write_text(TRACKING)
    for i in range(50):
        (t / "partials" / f"widget{i}.html").write_text(f"<div class='w{i}'>{{{{ item{i} }}}}</div>\n")
    (t / "layouts" / "base.html").write_text(
        "<html><head><title>{% block title %}{% endblock %}</title>\n{% include 'partials/tracking.html' %}\n"
        "</head><body>{% block body %}{% endblock %}</body></html>\n"
    )
    for s in range(20):
        folder = "portal" if s < 5 else f"section{s}"
        tag = "{# phi-lint: authenticated #}\n" if s < 5 else ""
        (t / "layouts" / f"{folder}_{s}.html").write_text(
            f"{tag}{{% extends 'layouts/base.html' %}}\n{{% block body %}}<nav>{folder}</nav>{{% block content %}}{{% endblock %}}{{% endblock %}}\n"
        )
    for p in range(pages):
        s = p % 20
        folder = "portal" if s < 5 else f"section{s}"
        d = t / folder
        d.mkdir(exist_ok=True)
        includes = "".join(f"{{% include 'partials/widget{(p + k) % 50}.html' %}}\n" for k in range(3))
        (d / f"page{p}.html").write_text(
            f"{{% extends 'layouts/{folder}_{s}.html' %}}\n{{% block content %}}\n<h1>Page {p}</h1>\n{includes}{{% endblock %}}\n"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the generated repo")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="phi-lint-graph-"))
    try:
        build(root, args.pages)
        reads: collections.Counter = collections.Counter()
        real = textio.read_source

        def counting(path, *a, **kw):
            reads[path] += 1
            return real(path, *a, **kw)

        textio.read_source = counting
        import phi_lint.fileworker as fileworker_module
        import phi_lint.pagegraph.repo as repo_module

        fileworker_module.read_source = counting
        repo_module.read_source = counting
        start = time.perf_counter()
        result = scan(ScanOptions(paths=[root], jobs=1, use_cache=False))
        elapsed = time.perf_counter() - start
        files = sum(1 for _ in root.rglob("*.html"))
        edges = len(result.graph.edges) if result.graph else 0
        reached = max((len(f.pages) for f in result.findings), default=0)
        print(f"templates: {files}  edges: {edges}  findings: {len(result.findings)}  "
              f"pages reached by the tracking partial: {reached}")
        print(f"scan time: {elapsed:.2f} s  ({files / elapsed:.0f} files/s)")
        print(f"reads: {sum(reads.values())} for {len(reads)} files; most reads of one file: {max(reads.values())}")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
