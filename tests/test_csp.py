"""Content-Security-Policy as evidence (issue 14 §3): the parser, each committed shape, and the
scan: an allowed catalogue vendor is inventory (PHI100), never a sighting of the tracker."""

from __future__ import annotations

from helpers import finding_lines, scan_tree, write_tree

from phi_lint.catalogue import load_catalogue
from phi_lint.discovery import classify
from phi_lint.thirdparty.classify import HostClassifier
from phi_lint.thirdparty.csp import allowed_vendors, host_sources, parse_policy, source_host
from phi_lint.thirdparty.cspfiles import PAGE, PROJECT, file_policies


def test_directives_are_split_and_the_first_occurrence_wins():
    policy = parse_policy(" Default-Src 'self' ;script-src a.cdn.net  b.cdn.net;; script-src c.cdn.net; img-src *")
    assert policy == {"default-src": ["'self'"], "script-src": ["a.cdn.net", "b.cdn.net"], "img-src": ["*"]}


def test_keywords_nonces_hashes_schemes_and_star_name_no_host():
    for source in ("'self'", "'unsafe-inline'", "'unsafe-eval'", "'nonce-r4nd0m'", "'sha256-abc='", "'strict-dynamic'",
                   "https:", "data:", "blob:", "*", "localhost:3000", "http://app.test"):
        assert source_host(source) is None, source


def test_host_sources_with_scheme_port_path_and_wildcard():
    assert source_host("https://connect.facebook.net/en_US/") == ("connect.facebook.net", False)
    assert source_host("*.facebook.net") == ("facebook.net", True)
    assert source_host("https://*.hotjar.com:443") == ("hotjar.com", True)
    assert source_host("wss://ws.hotjar.com") == ("ws.hotjar.com", False)


def test_only_the_directives_that_load_or_send_are_read():
    policy = parse_policy("script-src a.vendor.net; style-src b.vendor.net; form-action c.vendor.net; connect-src d.vendor.net")
    assert [(s.directive, s.host) for s in host_sources(policy)] == [("script-src", "a.vendor.net"), ("connect-src", "d.vendor.net")]


def _classifier():
    return HostClassifier(load_catalogue([]))


def test_exact_and_wildcard_hosts_allow_catalogue_vendors_and_library_cdns_and_unknown_hosts_none():
    policy = parse_policy("script-src 'self' connect.facebook.net *.hotjar.com cdnjs.cloudflare.com cdn.unknownwidgets.io")
    vendors = allowed_vendors(host_sources(policy), _classifier())
    assert sorted(vendors) == ["hotjar", "meta-pixel"]
    assert [s.source for s in vendors["hotjar"]] == ["*.hotjar.com"]


def _one(rel, kind, text):
    [found] = file_policies(rel, kind, text)
    return found


def test_meta_tag_applies_to_its_page():
    found = _one("a.html", "markup", '<meta content="script-src https://connect.facebook.net" http-equiv="content-security-policy">')
    assert found.scope == PAGE and found.policy == {"script-src": ["https://connect.facebook.net"]}


def test_next_headers():
    text = """module.exports = { async headers() { return [{ source: '/(.*)', headers: [
      { key: 'Content-Security-Policy', value: `default-src 'self'; script-src 'self' ${extra} https://cdn.segment.com` },
    ] }] } }"""
    found = _one("next.config.js", "script", text)
    assert found.scope == PROJECT and found.policy["script-src"] == ["'self'", "https://cdn.segment.com"]


def test_helmet_directives_in_camel_case_and_quoted_names():
    text = """app.use(helmet({ contentSecurityPolicy: { directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'", "https://static.hotjar.com"], "connect-src": ['https://api.segment.io'],
    } } }));"""
    found = _one("server.js", "script", text)
    assert found.policy == {"default-src": ["'self'"], "script-src": ["'self'", "https://static.hotjar.com"],
                            "connect-src": ["https://api.segment.io"]}
    assert found.shape == "helmet contentSecurityPolicy"


def test_django_csp_settings_old_and_new_style():
    text = """CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'", "connect.facebook.net")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {"img-src": ["'self'", "www.facebook.com"], "connect-src": (SELF, "api.segment.io")},
}
"""
    policies = file_policies("clinic/settings/base.py", "code", text)
    assert [p.policy for p in policies] == [
        {"default-src": ["'self'"]},
        {"script-src": ["'self'", "connect.facebook.net"]},
        {"img-src": ["'self'", "www.facebook.com"], "connect-src": ["api.segment.io"]},
    ]
    assert file_policies("clinic/views.py", "code", text) == []  # only settings modules


def test_nginx_and_apache_headers():
    nginx = _one("deploy/site.conf", "server-config", "  add_header Content-Security-Policy \"script-src cdn.segment.com\" always;\n")
    apache = _one("public/.htaccess", "server-config", "Header always set Content-Security-Policy \"img-src www.facebook.com\"\n")
    assert (nginx.shape, nginx.policy) == ("nginx add_header", {"script-src": ["cdn.segment.com"]})
    assert (apache.shape, apache.policy) == ("Apache Header", {"img-src": ["www.facebook.com"]})


def test_server_config_files_are_discovered():
    assert classify(".htaccess") == "server-config"
    assert classify("nginx.conf") == "server-config"


def test_real_pixel_stays_phi001_and_the_policy_adds_only_inventory(tmp_path):
    write_tree(tmp_path, {"portal/index.html": (
        "<!-- phi-lint: authenticated -->\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' https://connect.facebook.net\">\n"
        "<script>!function(f,b,e,v,n,t,s){}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');\n"
        "fbq('init', '123456789012345'); fbq('track', 'PageView');</script>\n")})
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    assert "PHI100 portal/index.html:2 meta-pixel" in lines
    assert any(line.startswith("PHI001 portal/index.html:3 meta-pixel") for line in lines)
    assert [line for line in lines if line.endswith(":2 meta-pixel")] == ["PHI100 portal/index.html:2 meta-pixel"]


def test_project_policy_without_sensitive_pages_is_reported_once_at_its_file(tmp_path):
    write_tree(tmp_path, {
        "next.config.js": "module.exports = { headers: async () => [{ source: '/', headers: [\n"
                          "  { key: 'Content-Security-Policy', value: \"script-src 'self' https://static.hotjar.com\" }] }] };\n",
        "pages/index.js": "export default function Home() { return null }\n",
        "pages/about.js": "export default function About() { return null }\n",
    })
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI100 next.config.js:2 hotjar"]
    [finding] = result.findings
    assert finding.pages == [] and "on no page known to be authenticated" in finding.message


def test_summary_keeps_policy_allowances_out_of_the_tracker_counts(tmp_path):
    """A policy that allows a vendor is said in its own summary line; it is neither one of the
    "other trackers" of the inventory nor a vendor count (the demo said "Meta Pixel 5" for 4)."""
    from phi_lint.reporters.text import TextOptions, render_text

    write_tree(tmp_path, {"portal/index.html": (
        "<!-- phi-lint: authenticated -->\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' https://connect.facebook.net\">\n"
        "<p>Your records</p>\n")})
    summary = render_text(scan_tree(tmp_path), TextOptions())
    assert "Content-Security-Policy: 1 catalogue vendor allowed by committed policies" in summary
    assert "Inventory:" not in summary and "Vendors:" not in summary


def test_files_that_cannot_hold_a_policy_are_not_searched(monkeypatch):
    """The policy gate runs once per file, and only on files of a shape a policy is read from."""
    from phi_lint.thirdparty import cspfiles

    searched = []
    real = cspfiles.may_hold_policy
    monkeypatch.setattr(cspfiles, "may_hold_policy", lambda text: searched.append(text) or real(text))
    text = "CSP_SCRIPT_SRC = ('https://www.googletagmanager.com',)\n"
    assert file_policies("clinic/views.py", "code", text) == [] and searched == []
    assert file_policies("package.json", "manifest", '{"Content-Security-Policy": 1}') == [] and searched == []
    assert file_policies("clinic/settings.py", "code", text) and searched == [text]
