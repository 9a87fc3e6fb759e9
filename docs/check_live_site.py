#!/usr/bin/env python3
"""Load each sensitive route of a running site and compare its third-party requests with what
phi-lint expected there (`phi-lint -f routes`). See docs/check-live-site.md.

    phi-lint -f routes -o routes.json .
    python docs/check_live_site.py routes.json https://staging.example.org [--storage-state login.json]

For each route it loads BASE + exampleUrl in Chromium, records every request to a host other
than the site's own, and reports per route:
  - seen: expected vendors with a request to one of their hosts;
  - expected, not seen: phi-lint found the vendor's code for this page but the browser saw no
    request (behind consent, fired on a later event, or the code is not deployed);
  - not expected: third-party hosts no expected vendor owns (what static analysis missed).
Exit status: 1 when any route made an unexpected third-party request, else 0.

Needs Python's `playwright` package and a Chromium: `--browser /usr/bin/chromium` uses an
installed one (nothing is downloaded).
"""

from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urljoin, urlsplit

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def owned_by(host: str, hosts: list[str]) -> bool:
    """Whether host is one of hosts or a subdomain of one."""
    return any(host == h or host.endswith("." + h) for h in hosts)


def compare(route: dict, seen_hosts: set[str]) -> dict:
    """The route's expected vendors against the third-party hosts a page load requested."""
    vendors = route.get("vendors", [])
    seen = [v["vendor"] for v in vendors if any(owned_by(h, v["hosts"]) for h in seen_hosts)]
    missing = [v["vendor"] for v in vendors if v["vendor"] not in seen]
    expected_hosts = [h for v in vendors for h in v["hosts"]]
    unexpected = sorted(h for h in seen_hosts if not owned_by(h, expected_hosts))
    return {
        "pattern": route["pattern"],
        "url": route["exampleUrl"],
        "labels": route.get("labels", []),
        "requestedHosts": sorted(seen_hosts),
        "seen": seen,
        "expectedNotSeen": missing,
        "notExpected": unexpected,
    }


def third_party_hosts(page, url: str, own_host: str, wait_ms: int) -> set[str]:
    hosts: set[str] = set()

    def record(request) -> None:
        host = urlsplit(request.url).hostname or ""
        if host and host != own_host and urlsplit(request.url).scheme in ("http", "https"):
            hosts.add(host.lower())

    page.on("request", record)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(wait_ms)  # trackers often load after the load event
    finally:
        page.remove_listener("request", record)
    return hosts


def check(routes: list[dict], base: str, browser_path: str | None, extra_args: list[str],
          storage_state: str | None, wait_ms: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    own_host = urlsplit(base).hostname or ""
    results = []
    with sync_playwright() as playwright:
        # launch() starts Chromium with a fresh temporary profile of its own
        launched = playwright.chromium.launch(executable_path=browser_path, headless=True,
                                              args=CHROMIUM_ARGS + extra_args)
        browser = launched.new_context(storage_state=storage_state)
        try:
            for route in routes:
                page = browser.new_page()
                try:
                    hosts = third_party_hosts(page, urljoin(base.rstrip("/") + "/", route["exampleUrl"].lstrip("/")),
                                              own_host, wait_ms)
                finally:
                    page.close()
                results.append(compare(route, hosts))
        finally:
            launched.close()
    return results


def summary(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r['url']} ({', '.join(r['labels'])})")
        lines.append(f"  seen:              {', '.join(r['seen']) or '-'}")
        lines.append(f"  expected, not seen: {', '.join(r['expectedNotSeen']) or '-'}")
        lines.append(f"  not expected:      {', '.join(r['notExpected']) or '-'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("routes", help="the output of `phi-lint -f routes`")
    parser.add_argument("base_url", help="the running site, e.g. https://staging.example.org")
    parser.add_argument("--browser", help="a Chromium executable (e.g. /usr/bin/chromium)")
    parser.add_argument("--chromium-arg", action="append", default=[], help="an extra Chromium flag (repeatable)")
    parser.add_argument("--storage-state", help="Playwright storage state of a signed-in session (cookies)")
    parser.add_argument("--wait", type=int, default=1500, help="milliseconds to wait after load (default 1500)")
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    args = parser.parse_args(argv)
    with open(args.routes, encoding="utf-8") as handle:
        routes = json.load(handle)["routes"]
    results = check(routes, args.base_url, args.browser, args.chromium_arg, args.storage_state, args.wait)
    sys.stdout.write(json.dumps({"routes": results}, indent=2) + "\n" if args.json else summary(results))
    return 1 if any(r["notExpected"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
