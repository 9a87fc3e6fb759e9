"""Build a synthetic web monorepo for the benchmark, seeded from the fixture repositories.

    python bench/corpus.py --files 20000 --out bench/corpus/20k

Mostly clean files of several engines (Jinja/Django, ERB, Blade, Nunjucks, Vue, JS/TS modules,
Python views), a few of them carrying the fixtures' tracker snippets, layouts and partials that
pages extend and include, and a handful of large minified bundles. Deterministic for a given size.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRACKER_RATE = 0.01  # share of files that carry a tracker snippet
BUNDLES_PER_5K = 3  # ~1.5 MB minified one-line bundles


def _tracker_snippets() -> list[str]:
    """Tracker code taken from the fixture repositories (the lines that hold sightings)."""
    snippets = []
    for path in sorted((REPO / "fixtures").rglob("*")):
        if path.suffix not in (".html", ".js", ".ts", ".tsx", ".erb", ".php", ".vue") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if any(k in text for k in ("fbq(", "gtag(", "hotjar", "ttq.", "_linkedin", "clarity", "mixpanel")):
            start = text.find("<script")
            if start != -1:
                end = text.find("</script>", start)
                if end != -1:
                    snippets.append(text[start : end + 9])
    return snippets or ["<script>fbq('init', '123456789012345');</script>"]


CLEAN_HTML = """{{% extends "layouts/{layout}.html" %}}
{{% block title %}}{title}{{% endblock %}}
{{% block content %}}
<section class="content">
  <h1>{title}</h1>
  <p>{para}</p>
  {{% include "partials/{partial}.html" %}}
  <ul>{items}</ul>
  <form method="post" action="/{slug}/submit"><input name="q" type="text"><button>Go</button></form>
</section>
{{% endblock %}}
"""
CLEAN_ERB = """<% content_for :title, "{title}" %>
<div class="panel">
  <h2><%= @record.name %></h2>
  <p>{para}</p>
  <%= render "shared/{partial}" %>
  <%= link_to "Back", root_path %>
</div>
"""
CLEAN_BLADE = """@extends('layouts.{layout}')
@section('content')
  <div class="card"><h2>{title}</h2><p>{para}</p></div>
  @include('partials.{partial}')
@endsection
"""
CLEAN_NJK = """{{% extends "layout.njk" %}}
{{% block body %}}<main><h1>{title}</h1><p>{para}</p>{{% include "partials/{partial}.njk" %}}</main>{{% endblock %}}
"""
CLEAN_VUE = """<template>
  <section><h1>{title}</h1><p>{para}</p><Child :items="items" /></section>
</template>
<script setup lang="ts">
import Child from './{partial}.vue'
import {{ ref }} from 'vue'
const items = ref([{nums}])
</script>
"""
CLEAN_TS = """import {{ format }} from './util{dep}'
import type {{ Item }} from './types'

export interface Props{n} {{ id: number; title: string }}

export function render{n}(items: Item[]): string {{
  // {para}
  return items.map((item) => format(item.title + ' #' + item.id)).join(', ')
}}

export const LIMIT{n} = {num}
"""
CLEAN_PY = """from django.shortcuts import render


def view_{n}(request):
    # {para}
    return render(request, "section{s}/page{n}.html", {{"items": range({num})}})
"""
WORDS = ("patient records schedule clinic billing insurance portal account settings message doctor visit report "
         "summary history search result upload download privacy contact careers news location hours team").split()


def build(out: Path, files: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    snippets = _tracker_snippets()
    counts = {"files": 0, "trackers": 0, "bytes": 0}
    # a repository, as a monorepo would be: files named on the command line (the pre-commit shape)
    # are then judged against the whole corpus, not against the folder they share
    (out / ".git").mkdir(parents=True)

    def write(rel: str, text: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        counts["files"] += 1
        counts["bytes"] += len(text.encode("utf-8"))

    def para() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))

    def maybe_tracker(text: str) -> str:
        if rng.random() < TRACKER_RATE:
            counts["trackers"] += 1
            return text + "\n" + rng.choice(snippets) + "\n"
        return text

    # shared layouts and partials
    write("web/templates/layouts/base.html", "<html><head><title>{% block title %}{% endblock %}</title>\n"
          "{% include 'partials/analytics.html' %}</head><body>{% block content %}{% endblock %}</body></html>\n")
    write("web/templates/partials/analytics.html", snippets[0] + "\n")
    for i in range(10):
        write(f"web/templates/layouts/section{i}.html", "{% extends 'layouts/base.html' %}\n{% block content %}<nav></nav>{% block inner %}{% endblock %}{% endblock %}\n")
    for i in range(40):
        write(f"web/templates/partials/w{i}.html", f"<div class='w{i}'>{{{{ widget{i} }}}}</div>\n")
    bundles = max(1, files * BUNDLES_PER_5K // 5000)
    for b in range(bundles):
        body = "".join(f"function f{i}(a){{return a*{i}}}var v{i}=[1,2,3].map(f{i});" for i in range(25000))
        write(f"web/static/js/vendor-bundle{b}.js", body + "\n")
    kinds = ["html"] * 40 + ["erb"] * 10 + ["blade"] * 10 + ["njk"] * 5 + ["vue"] * 5 + ["ts"] * 25 + ["py"] * 5
    n = 0
    while counts["files"] < files:
        n += 1
        kind = rng.choice(kinds)
        s = n % 10
        fill = dict(title=f"Page {n}", para=para(), layout=f"section{s}", partial=f"w{n % 40}", slug=f"s{n}",
                    items="".join(f"<li>{rng.choice(WORDS)}</li>" for _ in range(5)), nums=",".join(str(i) for i in range(5)),
                    dep=n % 50, n=n, num=rng.randint(1, 999), s=s)
        if kind == "html":
            write(f"web/templates/section{s}/page{n}.html", maybe_tracker(CLEAN_HTML.format(**fill)))
        elif kind == "erb":
            write(f"rails/app/views/area{s}/show{n}.html.erb", maybe_tracker(CLEAN_ERB.format(**fill)))
        elif kind == "blade":
            write(f"laravel/resources/views/area{s}/page{n}.blade.php", maybe_tracker(CLEAN_BLADE.format(**fill)))
        elif kind == "njk":
            write(f"node/views/area{s}/page{n}.njk", maybe_tracker(CLEAN_NJK.format(**fill)))
        elif kind == "vue":
            write(f"spa/src/views/area{s}/View{n}.vue", maybe_tracker(CLEAN_VUE.format(**fill)))
        elif kind == "ts":
            write(f"spa/src/lib/area{s}/util{n}.ts", CLEAN_TS.format(**fill))
        else:
            write(f"web/app{s}/views_{n}.py", CLEAN_PY.format(**fill))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    counts = build(args.out, args.files)
    print(f"{counts['files']} files, {counts['bytes'] / 1e6:.1f} MB, {counts['trackers']} with trackers -> {args.out}")


if __name__ == "__main__":
    main()
