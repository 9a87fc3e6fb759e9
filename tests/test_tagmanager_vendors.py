"""Tag → catalogue vendor: built-in type codes (the reference table), Custom HTML and Custom
Image bodies, community templates (gallery reference, script URLs, display name)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from phi_lint.catalogue import CatalogueError, load_catalogue, load_vendor
from phi_lint.tagmanager import analyze_export

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import export, html_tag, p, tag, template, var  # noqa: E402

BUILT_IN = [
    ("gaawc", [p("measurementId", "G-AB12CD34EF")], "google-analytics", "G-AB12CD34EF"),
    ("gaawe", [p("eventName", "x"), p("measurementIdOverride", "G-AB12CD34EF")], "google-analytics", "G-AB12CD34EF"),
    ("googtag", [p("tagId", "G-AB12CD34EF")], "google-analytics", "G-AB12CD34EF"),
    ("googtag", [p("tagId", "AW-123456789")], "google-ads", "AW-123456789"),
    ("googtag", [p("tagId", "DC-8812345")], "google-floodlight", "DC-8812345"),
    ("ua", [p("trackingId", "UA-12345-1")], "google-analytics", "UA-12345-1"),
    ("ga", [p("account", "UA-12345-2")], "google-analytics", "UA-12345-2"),
    ("ua_amp", [], "google-analytics", None),
    ("awct", [p("conversionId", "123456789"), p("conversionLabel", "abc")], "google-ads", "123456789"),
    ("sp", [p("conversionId", "123456789")], "google-ads", "123456789"),
    ("awcc", [p("conversionId", "123456789")], "google-ads", "123456789"),
    ("awud", [], "google-ads", None),
    ("flc", [p("advertiserId", "8812345")], "google-floodlight", "8812345"),
    ("fls", [p("advertiserId", "8812345")], "google-floodlight", "8812345"),
    ("baut", [p("tagId", "187654321")], "microsoft-uet", "187654321"),
    ("bzi", [p("id", "4412345")], "linkedin-insight", "4412345"),
    ("pntr", [p("tagId", "2612345678901")], "pinterest-tag", "2612345678901"),
    ("hjtc", [p("hotjar_site_id", "3712345")], "hotjar", "3712345"),
    ("crto", [p("accountId", "12345")], "criteo", "12345"),
    ("twitter_website_tag", [p("twitter_pixel_id", "o1ab2")], "x-pixel", "o1ab2"),
    ("qcm", [], "quantcast", None),
    ("qpx", [p("pixelId", "0123456789abcdef0123456789abcdef")], "quora-pixel", "0123456789abcdef0123456789abcdef"),
    ("asp", [], "adroll", None),
    ("cegg", [], "crazy-egg", None),
    ("mf", [], "mouseflow", None),
    ("csm", [], "comscore", None),
    ("ndcr", [], "nielsen", None),
    ("sgtmgaaw", [], "google-analytics", None),
    ("sgtmadsct", [], "google-ads", None),
    ("sgtmadsremarket", [], "google-ads", None),
]
# utility types and vendors outside the catalogue: no sighting
NOT_SIGHTINGS = ["gclidw", "gclidw_amp", "sgtmadscl", "lcl", "fsl", "opt", "gcs", "ts", "cts", "m6d",
                 "ela", "abtGeneric", "http_request", "zzz", "cvt_123_45"]


def _only(analyzer, *tags, **kw):
    result = analyze_export("x.json", export(list(tags), **kw), analyzer)
    return result, [(s.vendor_id, s.account_id) for s in result.sightings]


@pytest.mark.parametrize("code,params,vendor,account", BUILT_IN, ids=[f"{c[0]}-{c[2]}" for c in BUILT_IN])
def test_built_in_types(analyzer, code, params, vendor, account):
    _result, found = _only(analyzer, tag(f"tag {code}", code, params))
    assert found == [(vendor, account)]


@pytest.mark.parametrize("code", NOT_SIGHTINGS)
def test_utility_and_unknown_types_are_not_sightings(analyzer, code):
    result, found = _only(analyzer, tag(f"tag {code}", code, [p("url", "https://example.org/x")]))
    assert found == []
    assert len(result.tags) == 1  # still in the inventory of the export


def test_every_reference_code_maps_to_one_catalogue_vendor():
    catalogue = load_catalogue()
    owners: dict[str, list[str]] = {}
    for vendor in catalogue:
        for code in vendor.gtm_types:
            owners.setdefault(code, []).append(vendor.id)
    assert {code for code, _p, _v, _a in BUILT_IN} <= set(owners)
    assert all(len(v) == 1 for v in owners.values()), owners


def test_catalogue_rejects_bad_gtm_keys(tmp_path):
    base = 'id = "x-vendor"\nname = "X"\ncategory = "analytics"\nkeywords = ["xvendor.js"]\n'
    good = tmp_path / "x-vendor.toml"
    good.write_text(base + 'gtm_types = ["abc_1"]\ngtm_templates = ["owner/repo-name"]\n[[urls]]\npattern = "xvendor\\\\.js"\n')
    vendor = load_vendor(good)
    assert vendor.gtm_types == ("abc_1",) and vendor.gtm_templates == ("owner/repo-name",)
    for bad in ('gtm_types = ["not valid!"]', 'gtm_templates = ["no-slash"]', "gtm_types = 5"):
        path = tmp_path / "x-vendor.toml"
        path.write_text(base + bad + '\n[[urls]]\npattern = "xvendor\\\\.js"\n')
        with pytest.raises(CatalogueError):
            load_vendor(path)


def test_ga4_event_takes_the_id_of_its_config_tag(analyzer):
    config = tag("GA4 - Config", "gaawc", [p("measurementId", "{{Const - GA4}}")])
    event = tag("GA4 - Event", "gaawe", [p("eventName", "x"), p("measurementId", "GA4 - Config", "TAG_REFERENCE")])
    _result, found = _only(analyzer, config, event, variables=[var("Const - GA4", "c", p("value", "G-AB12CD34EF"))])
    assert found == [("google-analytics", "G-AB12CD34EF"), ("google-analytics", "G-AB12CD34EF")]


# --- Custom HTML and Custom Image -----------------------------------------------------------------

TIKTOK = ("<script>!function (w, d, t) {w.TiktokAnalyticsObject=t;var ttq=w[t]=w[t]||[];"
          "ttq.load('C9ABCDEFGH1234567890');ttq.page();}(window, document, 'ttq');</script>")
META = "<script>fbq('init', '{{Pixel}}'); fbq('track', 'PageView');</script>"


def test_custom_html_is_scanned_like_source(analyzer):
    _result, found = _only(analyzer, html_tag("TikTok", TIKTOK))
    assert found == [("tiktok-pixel", "C9ABCDEFGH1234567890")]


def test_custom_html_resolves_constant_variables_and_finds_several_vendors(analyzer):
    body = META + "\n<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){};h._hjSettings={hjid:3712345,hjsv:6};"\
        "r=o.createElement('script');r.src=t+h._hjSettings.hjid+j;})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>"
    result, found = _only(analyzer, html_tag("Two vendors", body), variables=[var("Pixel", "c", p("value", "123456789012345"))])
    assert sorted(found) == [("hotjar", None), ("meta-pixel", "123456789012345")]
    assert all(s.span == result.sightings[0].span for s in result.sightings)  # one tag, one position


@pytest.mark.parametrize(
    "body",
    [
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"
        " gtag('consent', 'default', {ad_storage: 'denied'});</script>",
        "<!-- <script>fbq('init', '123456789012345');</script> -->",
        "<p>We removed the Meta Pixel (fbevents.js) from this site.</p>",
        "<script>document.body.classList.add('js');</script>",
    ],
)
def test_custom_html_without_a_vendor_is_not_a_sighting(analyzer, body):
    assert _only(analyzer, html_tag("utility", body))[1] == []


def test_custom_image(analyzer):
    pixel = tag("Meta noscript", "img", [p("url", "https://www.facebook.com/tr?id=123456789012345&ev=Lead&noscript=1"),
                                         p("useCacheBuster", True)])
    other = tag("Own beacon", "img", [p("url", "https://stats.example.org/b.gif?p={{Page Path}}")])
    _result, found = _only(analyzer, pixel, other)
    assert found == [("meta-pixel", "123456789012345")]


# --- community / custom templates -------------------------------------------------------------------

TEMPLATE_BY_URL = """___INFO___

{"type": "TAG", "id": "cvt_temp_public_id", "displayName": "Pixel helper", "brand": {"displayName": "Agency"}}


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

const injectScript = require('injectScript');
injectScript('https://connect.facebook.net/en_US/fbevents.js', data.gtmOnSuccess, data.gtmOnFailure);


___WEB_PERMISSIONS___

[{"instance": {"key": {"publicId": "inject_script"}, "param": [{"key": "urls", "value": {"type": 2,
  "listItem": [{"type": 1, "string": "https://connect.facebook.net/*"}]}}]}}]
"""
TEMPLATE_BY_NAME = """___INFO___

{"type": "TAG", "id": "cvt_temp_public_id", "displayName": "TikTok Pixel by Example", "categories": ["ADVERTISING"]}


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

const log = require('logToConsole');
log(data);
"""
UTILITY_TEMPLATE = """___INFO___

{"type": "TAG", "id": "cvt_temp_public_id", "displayName": "Persist campaign data", "categories": ["UTILITY"]}


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

const setCookie = require('setCookie');
setCookie('campaign', data.value);
"""


def test_template_by_gallery_reference_with_gallery_id_type(analyzer):
    entry = template("77", "Facebook Pixel", "___INFO___\n\n{}\n",
                     gallery={"host": "github.com", "owner": "facebookarchive",
                              "repository": "GoogleTagManager-WebTemplate-For-FacebookPixel", "galleryTemplateId": "WKGBT"})
    result, found = _only(analyzer, tag("Meta", "cvt_WKGBT", [p("pixelId", "123456789012345")]), templates=[entry])
    assert found == [("meta-pixel", "123456789012345")]
    info = result.sightings[0].details["template"]
    assert info["gallery"] == "facebookarchive/GoogleTagManager-WebTemplate-For-FacebookPixel"
    assert info["identifiedBy"].startswith("gallery template")


def test_template_by_container_and_template_id_and_script_url(analyzer):
    entry = template("31", "Pixel helper", TEMPLATE_BY_URL)
    result, found = _only(analyzer, tag("Meta", "cvt_2_31", [p("pixelId", "123456789012345")]), templates=[entry])
    assert found == [("meta-pixel", "123456789012345")]
    assert "connect.facebook.net" in result.sightings[0].details["identifiedBy"]


def test_template_by_display_name(analyzer):
    entry = template("32", "TikTok", TEMPLATE_BY_NAME)
    _result, found = _only(analyzer, tag("TikTok", "cvt_2_32", [p("pixelId", "C9ABCDEFGH1234567890")]), templates=[entry])
    assert found == [("tiktok-pixel", "C9ABCDEFGH1234567890")]


def test_utility_template_and_missing_template(analyzer):
    entry = template("33", "Persist campaign data", UTILITY_TEMPLATE,
                     gallery={"owner": "gtm-templates-simo-ahava", "repository": "persist-campaign-data"})
    result, found = _only(analyzer, tag("Persist", "cvt_2_33"), tag("Gone", "cvt_2_99"), templates=[entry])
    assert found == []
    assert any("cvt_2_99" in problem and "not in this export" in problem for problem in result.problems)
    assert result.tags[0]["template"]["gallery"] == "gtm-templates-simo-ahava/persist-campaign-data"


def test_gtm_type_details_and_tag_names_are_vendor_data(tmp_path):
    from phi_lint.catalogue import load_catalogue
    from phi_lint.tagmanager.policy import type_label

    base = 'id = "x-vendor"\nname = "X"\ncategory = "analytics"\nkeywords = ["xvendor.js"]\ngtm_types = ["xv"]\n'
    urls = '[[urls]]\npattern = "xvendor\\\\.js"\n'
    good = tmp_path / "x-vendor.toml"
    good.write_text(base + 'tag_names = ["X Vendor"]\n' + urls + '[gtm_type_details.xv]\nlabel = "X Tag"\naccount_keys = ["xId"]\n')
    vendor = load_vendor(good)
    assert vendor.tag_names == ("x vendor",) and vendor.gtm_type_details == {"xv": ("X Tag", ("xId",))}
    for bad in ('[gtm_type_details.other]\nlabel = "Y"\n', '[gtm_type_details.xv]\nlabl = "Y"\n', 'gtm_type_details = 3\n'):
        good.write_text(base + urls + bad)
        with pytest.raises(CatalogueError, match="gtm_type_details"):
            load_vendor(good)
    # the shipped labels come from the vendor files
    assert type_label({"tagType": "gaawc"}, load_catalogue()) == "GA4 Configuration `gaawc`"
    assert type_label({"tagType": "html"}) == "Custom HTML `html`"
