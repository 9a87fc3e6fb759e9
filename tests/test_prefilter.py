"""The prefilter (one RE2 set of every keyword) reports exactly the vendors whose keywords are
substrings of the lower-cased text, for any keyword and any text."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from phi_lint.catalogue import Catalogue, PackageSignature, load_catalogue
from phi_lint.prefilter import Prefilter


def _expected(catalogue: Catalogue, text: str) -> set[str]:
    lower = text.lower()
    return {
        vendor.id
        for vendor in catalogue
        if any(k in lower for k in vendor.keywords) or any(p.name.lower() in lower for p in vendor.packages)
    }


def _catalogue(keywords: dict[str, tuple[str, ...]]) -> Catalogue:
    base = next(iter(load_catalogue()))
    from dataclasses import replace

    return Catalogue({vid: replace(base, id=vid, keywords=words, packages=()) for vid, words in keywords.items()})


ODD = {
    "meta": ("connect.facebook.net", "fbq("),  # regex metacharacters are literal
    "accent": ("café-tracker", "ñandú"),  # non-ASCII keywords match their own characters only
    "nested": ("abc", "abcabc", "bca"),  # overlapping and nested keywords
    "shared": ("fbq(", "[x]*"),  # one keyword owned by two vendors
}
ODD_CATALOGUE = _catalogue(ODD)
ODD_PREFILTER = Prefilter(ODD_CATALOGUE)


def test_the_shipped_catalogue_on_real_snippets():
    catalogue = load_catalogue()
    prefilter = Prefilter(catalogue)
    texts = [
        "<script>fbq('init', '1');</script>",
        "import mixpanel from 'mixpanel-browser'",
        "<script async src='https://www.googletagmanager.com/gtag/js?id=G-1'></script>",
        "nothing to see " * 100,
        "",
        "HOTJAR and CLARITY in capitals",
    ]
    for text in texts:
        assert prefilter.vendors_in(text) == _expected(catalogue, text), text
    assert "meta-pixel" in prefilter.vendors_in(texts[0])


def test_packages_count_as_keywords():
    from dataclasses import replace

    catalogue = _catalogue({"pkg": ("zzzz-never",)})
    vendor = replace(catalogue.vendors["pkg"], packages=(PackageSignature(name="@Scope/Tracker-SDK"),))
    prefilter = Prefilter(Catalogue({"pkg": vendor}))
    assert prefilter.vendors_in("import x from '@scope/tracker-sdk'") == {"pkg"}
    assert prefilter.vendors_in("import x from '@scope/other'") == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["abc", "ABCA", "bc", "fbq(", "FBQ", "[x]*", "café-tracker", "CAFÉ-TRACKER",
                                 "ñandú", "cafe-tracker", "connect.facebook.net", "connectXfacebook.net", " ",
                                 "\n", "\udc80", "é", "\x00"]), max_size=12).map("".join))
def test_any_text_gives_the_substring_answer(text):
    assert ODD_PREFILTER.vendors_in(text) == _expected(ODD_CATALOGUE, text)


def test_each_vendor_is_reported_once_however_often_its_keywords_repeat():
    """The set reports which keywords occur, not every occurrence: a file that repeats a keyword
    400,000 times costs no more than reading it (walking every match took four times as long)."""
    prefilter = Prefilter(load_catalogue())
    text = "fbq(" * 400_000
    plain = "fbx(" * 400_000
    prefilter.vendors_in(plain)
    start = time.process_time()
    found = prefilter.vendors_in(text)
    repeated = time.process_time() - start
    start = time.process_time()
    prefilter.vendors_in(plain)
    baseline = time.process_time() - start
    assert "meta-pixel" in found
    assert repeated < 2 * baseline + 0.005, (repeated, baseline)


def test_case_is_ignored_without_and_with_a_lowered_copy():
    """ASCII text is matched as it is (the set ignores ASCII case); other text is lowered by
    Python first, so upper-case non-ASCII letters still find their keyword, and bytes inside
    UTF-8 sequences are never folded into one (U+3E80 is E3 BA 80, `ú` is C3 BA)."""
    assert ODD_PREFILTER.vendors_in("ñand\u3e80") == set()
    assert ODD_PREFILTER.vendors_in("ÑANDÚ") == {"accent"}
    assert ODD_PREFILTER.vendors_in("CONNECT.facebook.NET fbq(") == _expected(ODD_CATALOGUE, "connect.facebook.net fbq(")
