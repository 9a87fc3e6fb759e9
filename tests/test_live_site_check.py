"""docs/check_live_site.py against a fixture site on a local HTTP server (loopback only).

The server is also the proxy Chromium sends every request to, so the "third-party" hosts of the
fixture (connect.facebook.net, static.hotjar.com) are answered (or refused) locally and logged: nothing
reaches the internet. The fixture page loads the Meta Pixel (in its code: expected and seen),
calls the TikTok Pixel without its loader (expected, not seen) and builds a Hotjar URL at run
time that phi-lint cannot see (seen, not expected)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import CHROMIUM, require_browser
from helpers import REPO, scan_tree, write_tree

from phi_lint.reporters.routes import render_routes

pytestmark = pytest.mark.slow

PAGE = """<!-- phi-lint: health -->
<html><head><title>Asthma care</title>
<script src="http://connect.facebook.net/en_US/fbevents.js"></script>
<script>fbq('init', '000111222333444'); fbq('track', 'PageView');</script>
<script>ttq.load('C4ABCDEFGHIJ12345678'); ttq.page();</script>
<script>var s = document.createElement('script'); s.src = 'http://' + ['static', 'hot' + 'jar', 'com'].join('.') + '/c/x.js';
document.head.appendChild(s);</script>
</head><body><h1>Asthma</h1></body></html>
"""


class _Site(BaseHTTPRequestHandler):
    """The site's own pages from `root`; any other host: an empty answer, logged."""

    root: Path
    requested: list[str]

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        host = (url.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        self.requested.append(f"{host}{url.path}")
        body = b""
        if host == "127.0.0.1":
            target = (self.root / url.path.lstrip("/")).resolve()
            if target.is_file() and self.root in target.parents:
                body = target.read_bytes()
            else:
                self.send_error(404)
                return
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if body else "application/javascript")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self):  # noqa: N802 - an HTTPS request through the proxy (HSTS-preloaded hosts)
        self.requested.append(f"{self.path.split(':')[0].lower()} CONNECT")
        self.send_error(405)

    def log_message(self, *args):
        pass


def test_live_check_reports_seen_missing_and_unexpected(tmp_path):
    require_browser()
    repo = write_tree(tmp_path / "repo", {"site/conditions/asthma.html": PAGE})
    routes = json.loads(render_routes(scan_tree(repo)))
    assert [r["exampleUrl"] for r in routes["routes"]] == ["/conditions/asthma.html"]
    (tmp_path / "routes.json").write_text(json.dumps(routes), encoding="utf-8")

    handler = type("Site", (_Site,), {"root": (repo / "site").resolve(), "requested": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        run = subprocess.run(
            [sys.executable, str(REPO / "docs" / "check_live_site.py"), str(tmp_path / "routes.json"),
             f"http://127.0.0.1:{port}", "--browser", CHROMIUM, "--json", "--wait", "500",
             f"--chromium-arg=--proxy-server=http://127.0.0.1:{port}",
             "--chromium-arg=--proxy-bypass-list=<-loopback>",
             "--chromium-arg=--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        server.shutdown()
        thread.join()
    assert run.returncode == 1, run.stderr
    [route] = json.loads(run.stdout)["routes"]
    assert route["seen"] == ["meta-pixel"]
    assert route["expectedNotSeen"] == ["tiktok-pixel"]
    assert route["notExpected"] == ["static.hotjar.com"]
    # both reached this server (the proxy), not the internet; facebook.net is on Chromium's HSTS
    # preload list, so its request arrives as an HTTPS CONNECT, refused here
    assert any(r.startswith("connect.facebook.net") for r in handler.requested), handler.requested
    assert "static.hotjar.com/c/x.js" in handler.requested
