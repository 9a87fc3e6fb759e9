"""The shipped catalogue's signature patterns: compiled when first used, each one valid."""

from __future__ import annotations

import pickle
import re

import pytest

from phi_lint.catalogue import CatalogueError, load_catalogue, load_vendor
from phi_lint.lazyre import LazyPattern


def _patterns(catalogue):
    for vendor in catalogue:
        for signature in vendor.urls:
            yield vendor.id, signature.pattern
        for call in vendor.calls:
            yield from ((vendor.id, arg) for arg in call.args if arg is not None)
        if vendor.id_pattern is not None:
            yield vendor.id, vendor.id_pattern


def test_every_shipped_pattern_compiles():
    """The load no longer compiles them, so this test is where a broken shipped one is caught."""
    found = list(_patterns(load_catalogue()))
    assert len(found) > 300
    for vendor_id, pattern in found:
        assert isinstance(pattern, LazyPattern), vendor_id
        assert pattern.compiled().flags & re.IGNORECASE, vendor_id


def test_loading_compiles_nothing_and_a_worker_gets_them_uncompiled():
    catalogue = load_catalogue()
    patterns = [p for _, p in _patterns(catalogue)]
    assert all(p._compiled is None for p in patterns)
    meta = catalogue.vendors["meta-pixel"]
    assert meta.urls[0].pattern.search("https://connect.facebook.net/en_US/fbevents.js")
    assert meta.urls[0].pattern._compiled is not None
    copy = pickle.loads(pickle.dumps(meta))
    assert copy.urls[0].pattern._compiled is None
    assert copy.urls[0].pattern.search("https://connect.facebook.net/en_US/fbevents.js")


def test_a_broken_lazy_pattern_names_its_file_and_key(tmp_path):
    path = tmp_path / "odd.toml"
    path.write_text('id = "odd"\nname = "Odd"\ncategory = "analytics"\nkeywords = ["odd.example"]\n'
                    '[[urls]]\npattern = "odd\\\\.example/(x"\ncapabilities = []\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="invalid regular expression"):
        load_vendor(path)  # an explicit load is still checked at once
    lazy = load_vendor(path, lazy=True)
    with pytest.raises(CatalogueError, match=r"odd\.toml: `urls\[0\]\.pattern`: invalid regular expression"):
        lazy.urls[0].pattern.search("odd.example/x")


def test_a_broken_pattern_says_the_same_loaded_at_once_lazily_or_in_a_worker(tmp_path):
    """One class (phi_lint.lazyre.LazyPattern) serves the catalogue and the code's own patterns:
    a vendor file's bad regex gives one message however it is loaded, a worker's copy included."""
    path = tmp_path / "odd.toml"
    path.write_text('id = "odd"\nname = "Odd"\ncategory = "analytics"\nkeywords = ["odd.example"]\n'
                    '[[urls]]\npattern = "(unclosed"\ncapabilities = []\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as eager:
        load_vendor(path)
    pattern = load_vendor(path, lazy=True).urls[0].pattern
    in_worker = pickle.loads(pickle.dumps(pattern))
    for lazy in (pattern, in_worker):
        with pytest.raises(CatalogueError) as raised:
            lazy.search("odd.example/x")
        assert str(raised.value) == str(eager.value)
    assert str(eager.value).startswith(f"{path}: `urls[0].pattern`: invalid regular expression '(unclosed': ")
    assert "\n" not in str(eager.value)
