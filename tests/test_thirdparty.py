"""PHI006 and third-party hosts: host derivation, classification, first-party inference,
library CDNs as inventory, and the hosts in the summary, --statistics, JSON and SARIF."""

from __future__ import annotations

import json

import pytest
from helpers import finding_lines, run_cli, scan_tree, write_tree

from phi_lint.catalogue import CatalogueError, load_catalogue, load_vendor
from phi_lint.thirdparty.cdns import library_cdns
from phi_lint.thirdparty.classify import HostClassifier
from phi_lint.thirdparty.hosts import host_of
from phi_lint.thirdparty.vendorhosts import VendorHosts, derive_hosts

PORTAL = "<!-- phi-lint: authenticated -->\n"


@pytest.mark.parametrize("url,host", [
    ("https://cdn.replaykit.io/a.js", "cdn.replaykit.io"),
    ("//CDN.ReplayKit.io:8443/a.js", "cdn.replaykit.io"),
    ("wss://user@live.chatdesk.co/socket", "live.chatdesk.co"),
    ("/static/app.js", None),
    ("app.js", None),
    ("https://{{ host }}/a.js", None),
    ("https://cdn.example.com/a.js", None),
    ("http://localhost:8000/x", None),
    ("https://10.0.0.1/x", None),
])
def test_host_of(url, host):
    assert host_of(url) == host


@pytest.mark.parametrize("pattern,hosts", [
    (r"connect\.facebook\.net/[A-Za-z_]+/fbevents\.js", ["connect.facebook.net"]),
    (r"(?:z|js)\.moatads\.com/[\w-]+/moat\w*\.js", ["z.moatads.com", "js.moatads.com"]),
    (r"analytics(?:\.us)?\.tiktok\.com/api/v2/pixel", ["analytics.tiktok.com", "analytics.us.tiktok.com"]),
    (r"cdn\d*\.mxpnl\.com/libs/mixpanel-[\w.-]+\.js", ["mxpnl.com"]),
    (r"s(?P<id>\d+)\.t\.eloqua\.com/visitor", ["t.eloqua.com"]),
    (r"/utag(?:\.sync)?\.js\b", []),
    (r"(?:^|[/.])google\.[a-z]{2,3}(?:\.[a-z]{2})?/maps\?", []),
])
def test_hosts_derived_from_url_patterns(pattern, hosts):
    assert derive_hosts(pattern) == hosts


def test_shared_hosting_and_library_cdns_are_never_vendor_hosts():
    hosts = VendorHosts(load_catalogue(), library_cdns())
    assert hosts.owner("connect.facebook.net") == "meta-pixel"
    assert hosts.owner("www.googletagmanager.com") == "google-tag-manager"  # declared `hosts` wins
    # snowplow's signature is a path on jsDelivr and unpkg; firebase's on gstatic.com
    assert hosts.owner("cdn.jsdelivr.net") is None and hosts.owner("unpkg.com") is None
    assert hosts.owner("www.gstatic.com") is None
    assert hosts.owner("d1abc.cloudfront.net") is None


def test_classification_order():
    classifier = HostClassifier(load_catalogue())
    signature = classifier.classify("https://connect.facebook.net/en_US/fbevents.js", "connect.facebook.net")
    assert (signature.classified, signature.match) == ("meta-pixel", "signature")
    bare = classifier.classify("https://connect.facebook.net/other.js", "connect.facebook.net")
    assert (bare.classified, bare.match) == ("meta-pixel", "host")
    cdn = classifier.classify("https://cdn.jsdelivr.net/npm/alpinejs", "cdn.jsdelivr.net")
    assert (cdn.classified, cdn.name) == ("library-cdn", "jsDelivr")
    assert classifier.classify("https://cdn.replaykit.io/a.js", "cdn.replaykit.io").classified is None


def test_vendor_file_hosts_key(tmp_path):
    path = tmp_path / "replaykit.toml"
    path.write_text(
        'id = "replaykit"\nname = "ReplayKit"\ncategory = "session-replay"\nkeywords = ["replaykit"]\n'
        'hosts = ["replaykit.io"]\n[[urls]]\npattern = \'cdn\\.replaykit\\.io/recorder\\.js\'\n',
        encoding="utf-8",
    )
    assert load_vendor(path).hosts == ("replaykit.io",)
    path.write_text(path.read_text(encoding="utf-8").replace('"replaykit.io"]', '"https://replaykit.io/"]'), encoding="utf-8")
    with pytest.raises(CatalogueError, match="hosts"):
        load_vendor(path)


def test_user_vendor_hosts_classify_a_host(tmp_path):
    vendors = tmp_path / "vendors"
    vendors.mkdir()
    (vendors / "replaykit.toml").write_text(
        'id = "replaykit"\nname = "ReplayKit"\ncategory = "session-replay"\nkeywords = ["replaykit"]\n'
        'hosts = ["replaykit.io"]\n[[urls]]\npattern = \'cdn\\.replaykit\\.io/recorder\\.js\'\n',
        encoding="utf-8",
    )
    write_tree(tmp_path, {
        "phi-lint.toml": 'vendor-dirs = ["vendors"]\n',
        "portal/a.html": PORTAL + '<script src="https://rum.replaykit.io/beacon.js"></script>\n',
    })
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI100 portal/a.html:2 rum.replaykit.io"]
    assert "host of ReplayKit" in result.findings[0].message
    assert result.third_party_hosts["rum.replaykit.io"]["classified"] == "replaykit"


def test_library_cdn_never_rises_above_inventory(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'})
    result = scan_tree(tmp_path)
    [finding] = result.findings
    assert (finding.rule_id, finding.level, finding.category) == ("PHI100", "note", "library-cdn")
    assert "IP address" in finding.message and "Referrer-Policy" in finding.message
    assert finding.pages  # the sensitive pages stay with it as evidence


def test_unknown_host_on_public_page_is_inventory(tmp_path):
    write_tree(tmp_path, {"about.html": '<script src="https://cdn.replaykit.io/a.js"></script>\n'})
    result = scan_tree(tmp_path)
    assert [(f.rule_id, f.level) for f in result.findings] == [("PHI100", "note")]
    assert "Unidentified third party cdn.replaykit.io" in result.findings[0].message


def test_first_party_setting_is_validated(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": 'first-party = ["https://riverbend.org/"]\n', "a.html": "<p>x</p>\n"})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2
    assert "first-party" in proc.stderr and "Traceback" not in proc.stderr


def test_first_party_shown_in_settings(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": 'first-party = ["*.riverbend.org"]\n', "a.html": "<p>x</p>\n"})
    proc = run_cli("--show-settings", str(tmp_path))
    assert "*.riverbend.org" in proc.stdout


SELF_DESCRIPTIONS = {
    "cname": {"CNAME": "portal.riverbend.org\n"},
    "cname_in_docs": {"docs/CNAME": "portal.riverbend.org\n"},
    "hugo_config_toml": {"config.toml": 'baseURL = "https://portal.riverbend.org/"\ntitle = "x"\n'},
    "hugo_toml": {"hugo.toml": "baseURL = 'https://portal.riverbend.org/'\n"},
    "hugo_yaml": {"hugo.yaml": "baseURL: https://portal.riverbend.org/\n"},
    "jekyll": {"_config.yml": 'title: Riverbend\nurl: "https://portal.riverbend.org"\nbaseurl: ""\n'},
    "next_asset_prefix": {"next.config.js": "module.exports = { assetPrefix: 'https://portal.riverbend.org' };\n"},
    "django_allowed_hosts": {"rbh/settings.py": 'ALLOWED_HOSTS = ["portal.riverbend.org", "localhost"]\n'},
    "django_settings_package": {"rbh/settings/production.py": "ALLOWED_HOSTS = ['.riverbend.org']\n"},
    "rails_config_hosts": {"config/environments/production.rb": 'Rails.application.configure do\n  config.hosts << "portal.riverbend.org"\nend\n'},
    "rails_application": {"config/application.rb": 'module Rbh\n  class Application < Rails::Application\n    config.hosts << ".riverbend.org"\n  end\nend\n'},
    "package_homepage": {"package.json": '{"name": "portal", "homepage": "https://portal.riverbend.org/app"}\n'},
}


@pytest.mark.parametrize("name", sorted(SELF_DESCRIPTIONS))
def test_first_party_from_what_the_repository_says(tmp_path, name):
    page = {"portal/a.html": PORTAL + '<script src="https://portal.riverbend.org/app.js"></script>\n'}
    write_tree(tmp_path, page)
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI006 portal/a.html:2 portal.riverbend.org"]
    write_tree(tmp_path, SELF_DESCRIPTIONS[name])
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == []
    assert result.third_party_hosts == {}
    assert any(n.code == "first-party" for n in result.notifications)


def test_code_hosting_homepage_is_not_first_party(tmp_path):
    write_tree(tmp_path, {
        "package.json": '{"name": "lib", "homepage": "https://github.com/riverbend/lib#readme"}\n',
        "portal/a.html": PORTAL + '<script src="https://github.com/x/y.js"></script>\n',
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI006 portal/a.html:2 github.com"]


# a vendored library's manifest (lh-ehr's assets/js/bootstrap-3-3-4/package.json) names who made
# the library, not who runs the site
VENDORED_BOOTSTRAP = {
    "assets/js/bootstrap-3-3-4/package.json": '{"name": "bootstrap", "homepage": "http://getbootstrap.com"}\n',
    "portal/a.html": PORTAL + '<script src="https://getbootstrap.com/dist/js/bootstrap.js"></script>\n',
}


def test_vendored_library_homepage_is_not_first_party(tmp_path):
    write_tree(tmp_path, VENDORED_BOOTSTRAP)
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI006 portal/a.html:2 getbootstrap.com"]
    assert not any(n.code == "first-party" for n in result.notifications)


@pytest.mark.parametrize("manifest", ["package.json", "frontend/package.json"])
def test_app_manifest_homepage_is_first_party(tmp_path, manifest):
    write_tree(tmp_path, {**VENDORED_BOOTSTRAP, manifest: '{"name": "portal", "homepage": "https://getbootstrap.com/"}\n'})
    assert finding_lines(scan_tree(tmp_path), tmp_path) == []


@pytest.mark.parametrize("workspaces", ['["apps/*"]', '{"packages": ["apps/**"]}'])
def test_workspace_manifest_homepage_is_first_party(tmp_path, workspaces):
    write_tree(tmp_path, {
        **VENDORED_BOOTSTRAP,
        "package.json": '{"private": true, "workspaces": ' + workspaces + '}\n',
        "apps/site/package.json": '{"name": "site", "homepage": "https://getbootstrap.com"}\n',
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == []


def test_workspace_glob_star_stays_in_one_folder(tmp_path):
    write_tree(tmp_path, {
        **VENDORED_BOOTSTRAP,
        "package.json": '{"private": true, "workspaces": ["apps/*"]}\n',
        "apps/site/lib/x/package.json": '{"name": "x", "homepage": "https://getbootstrap.com"}\n',
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI006 portal/a.html:2 getbootstrap.com"]


def test_a_hostile_workspace_glob_neither_hangs_nor_stops_the_scan(tmp_path):
    # the glob is the scanned repository's: `**/**/…/zz` made Python's `re` backtrack for minutes
    # against a deep package.json path; it runs in RE2, and `**/**` reads as `**`
    deep = "/".join(["a"] * 28)
    glob = "/".join(["**"] * 25) + "/zz"
    write_tree(tmp_path, {
        **VENDORED_BOOTSTRAP,
        "package.json": '{"private": true, "workspaces": ["' + glob + '", "(", "apps/**/**/site"]}\n',
        f"{deep}/b/package.json": '{"name": "b", "homepage": "https://getbootstrap.com"}\n',
        "apps/x/y/site/package.json": '{"name": "site", "homepage": "https://getbootstrap.com"}\n',
    })
    assert finding_lines(scan_tree(tmp_path), tmp_path) == []  # apps/x/y/site is a workspace


def test_setting_names_a_vendored_librarys_host_first_party(tmp_path):
    write_tree(tmp_path, {**VENDORED_BOOTSTRAP, "phi-lint.toml": 'first-party = ["getbootstrap.com"]\n'})
    assert finding_lines(scan_tree(tmp_path), tmp_path) == []


def test_host_in_json_sarif_and_fingerprint(tmp_path):
    write_tree(tmp_path, {
        "portal/a.html": PORTAL + '<script src="https://cdn.replaykit.io/a.js"></script>\n'
                                  '<script src="https://code.jquery.com/jquery.js"></script>\n',
        "portal/b.html": PORTAL + '<script src="https://cdn.replaykit2.io/a.js"></script>\n',
    })
    data = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    phi006 = [f for f in data["findings"] if f["rule"] == "PHI006"]
    assert [f["host"] for f in phi006] == ["cdn.replaykit.io", "cdn.replaykit2.io"]
    assert "cdn.replaykit.io" in phi006[0]["message"]
    assert data["thirdPartyHosts"] == {
        "cdn.replaykit.io": {"classified": None, "pages": 1, "files": 1},
        "cdn.replaykit2.io": {"classified": None, "pages": 1, "files": 1},
        "code.jquery.com": {"classified": "library-cdn", "pages": 1, "files": 1},
    }
    sarif = json.loads(run_cli("-f", "sarif", str(tmp_path)).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PHI006"]
    assert [r["properties"]["host"] for r in results] == ["cdn.replaykit.io", "cdn.replaykit2.io"]
    # the same code and page with another host is another finding
    from phi_lint.fingerprint import fingerprint

    result = scan_tree(tmp_path)
    first = next(f for f in result.findings if f.rule_id == "PHI006")
    from dataclasses import replace

    other = replace(first, fingerprint="", sighting=replace(first.sighting, vendor_id="cdn.other.io"))
    assert fingerprint(other) != first.fingerprint


def test_summary_and_statistics_list_unclassified_hosts(tmp_path):
    write_tree(tmp_path, {
        "portal/a.html": PORTAL + '<script src="https://cdn.replaykit.io/a.js"></script>\n'
                                  '<script src="https://code.jquery.com/jquery.js"></script>\n'
                                  '<script src="https://connect.facebook.net/en_US/fbevents.js"></script>\n',
    })
    proc = run_cli("--statistics", str(tmp_path))
    assert "Third-party hosts: 3 seen, 2 classified by the catalogue (1 library CDN), 1 unclassified" in proc.stdout
    section = proc.stdout.split("Unclassified third-party hosts", 1)[1]
    assert section.splitlines()[1].split() == ["cdn.replaykit.io", "1", "page,", "1", "file"]


@pytest.mark.parametrize("handler", ["app/portal/records/route.ts", "pages/api/portal/records.js", "src/routes/portal/+server.ts"])
def test_a_route_handler_request_leaves_from_the_server_not_a_page(tmp_path, handler):
    """Seen on dubinc/dub: OAuth route handlers calling Slack's API were PHI006 "on authenticated
    pages" that were route handlers. A handler renders nothing in a browser; a page that loads the
    same host is still PHI006."""
    call = 'export async function GET() {\n  return fetch("https://api.crmsync-cloud.io/v1/sync");\n}\n'
    write_tree(tmp_path, {
        handler: "// phi-lint: authenticated\n" + call,
        "portal/index.html": "<!-- phi-lint: authenticated -->\n<script src=\"https://cdn.crmsync-cloud.io/w.js\"></script>\n",
    })
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    assert [line for line in lines if line.startswith("PHI006")] == ["PHI006 portal/index.html:2 cdn.crmsync-cloud.io"]


def test_site_and_policy_readers_are_linear_on_runs_of_blank_lines():
    """`^\\s*` in a multi-line pattern crosses newlines, so each line start of a run of blank lines
    re-read the rest of the run: 40,000 newlines took seconds per pattern (quadratic), enough for a
    committed settings file to stall the scan. The readers now match spaces and tabs only; and a
    helmet directive name is tried once per word, not at every letter of it."""
    import time

    from phi_lint.thirdparty import cspfiles, firstparty

    blank = "\n" * 60000
    word = "a" * 20000
    started = time.process_time()
    for pattern in (firstparty._HUGO_BASE, firstparty._ALLOWED_HOSTS, firstparty._RAILS_HOSTS, cspfiles._DJANGO_SETTING):
        assert pattern.search(blank) is None
    assert cspfiles._HELMET_ENTRY.search(word) is None
    assert time.process_time() - started < 1.0
    assert firstparty._ALLOWED_HOSTS.search("\n\n    ALLOWED_HOSTS = ['portal.example.org']\n")
    assert cspfiles._HELMET_ENTRY.search("scriptSrc: ['https://a.example']").group(1) == "scriptSrc"


def test_a_site_file_that_cannot_be_read_is_said_not_dropped(tmp_path):
    """A CNAME that is a link out of the tree is not followed; the run says the site's own hosts
    it might name were not learnt, instead of silently reporting them as third parties."""
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "CNAME").write_text("portal.crmsync-cloud.io\n")
    site = write_tree(tmp_path / "site", {
        "portal/index.html": "<!-- phi-lint: authenticated -->\n<script src=\"https://portal.crmsync-cloud.io/app.js\"></script>\n",
    })
    os.symlink(outside / "CNAME", site / "CNAME")
    result = scan_tree(site)
    assert [line for line in finding_lines(result, site) if line.startswith("PHI006")] == [
        "PHI006 portal/index.html:2 portal.crmsync-cloud.io"]
    said = [n for n in result.notifications if n.path == "CNAME" and n.code == "first-party"]
    assert said and "leaves the scanned tree" in said[0].message


def test_route_handler_shapes_are_data_in_web_toml():
    """The handler path shapes come from rules/frameworks/web.toml, not from code: other data in
    force gives other handlers."""
    from dataclasses import replace

    from phi_lint import frameworks_data
    from phi_lint.models import PageReach
    from phi_lint.thirdparty import policy

    shipped = frameworks_data.load_frameworks()
    assert "server-handler-patterns" in shipped.by_id["web"].lists
    assert not policy._in_browser(PageReach("app/portal/route.ts", ()))
    web = shipped.by_id["web"]
    lists = {**web.lists, "server-handler-patterns": (r"(^|/)handlers/",)}
    other = replace(shipped, by_id={**shipped.by_id, "web": replace(web, lists=lists)})
    before = frameworks_data.use(other)
    try:
        assert policy._in_browser(PageReach("app/portal/route.ts", ()))
        assert not policy._in_browser(PageReach("src/handlers/records.ts", ()))
    finally:
        frameworks_data.use(before)
