"""Page URL paths from file paths, and the sensitive path vocabulary (rules/sensitive-paths.txt)."""

from __future__ import annotations

import pytest

from phi_lint.tagmanager.paths import normal_path, sample_paths, sensitive_word, url_path, vocabulary


@pytest.mark.parametrize(
    "rel,expected",
    [
        ("index.html", "/"),
        ("public/index.html", "/"),
        ("templates/portal/dashboard.html", "/portal/dashboard"),
        ("templates/portal/index.html", "/portal"),
        ("app/views/appointments/new.html.erb", "/appointments/new"),
        ("resources/views/account/overview.blade.php", "/account/overview"),
        ("app/(portal)/portal/messages/page.tsx", "/portal/messages"),
        ("src/app/(marketing)/page.tsx", "/"),
        ("src/routes/pharmacy/+page.svelte", "/pharmacy"),
        ("fixtures/site/public/careers.html", "/careers"),
        ("site/conditions/asthma.njk", "/conditions/asthma"),
        ("portal/messages.html", "/portal/messages"),
    ],
)
def test_url_path(rel, expected):
    assert url_path(rel) == expected


@pytest.mark.parametrize(
    "path,label,word",
    [
        ("/portal", "authenticated", "portal"),
        ("/patient-portal/home", "authenticated", "patient-portal"),
        ("/mychart/login", "authenticated", "mychart"),
        ("/my-health/records", "authenticated", "my-*"),
        ("/patient-intake", "health", "patient-intake"),
        ("/appointments/confirm", "health", "appointments"),
        ("/appointment", "health", "appointments"),
        ("/book-now", "health", "book"),
        ("/online-scheduling", "health", "scheduling"),
        ("/lab-results/2024", "health", "lab-results"),
        ("/services/telehealth?x=1", "health", "telehealth"),
        ("/conditions/asthma.html", "health", "conditions"),
    ],
)
def test_sensitive_words(path, label, word):
    found = sensitive_word(path)
    assert found is not None, path
    assert (found[0].label, found[0].word) == (label, word)


@pytest.mark.parametrize("path", ["/", "/careers", "/jobs/nurse", "/about-us", "/facebook", "/bookstore", "/login", "/contact", "/books",
                                  "/books/guide", "/bookshelf"])
def test_not_sensitive(path):
    assert sensitive_word(path) is None


def test_hosts_count_too():
    assert sensitive_word("/", host="mychart.clinic.example")[0].word == "mychart"
    assert sensitive_word("/", host="www.clinic.example") is None


def test_vocabulary_and_samples():
    words = vocabulary()
    assert {w.label for w in words} == {"authenticated", "health"}
    required = {"portal", "patient", "account", "my-*", "appointments", "book", "schedule", "telehealth", "pharmacy",
                "prescriptions", "lab-results", "conditions", "intake", "mychart"}
    assert required <= {w.word for w in words}
    samples = [path for path, _word in sample_paths()]
    assert "/portal" in samples and "/my-account" in samples and "/appointments" in samples
    assert all(sensitive_word(path) for path in samples)


@pytest.mark.parametrize(
    "value,expected",
    [("book", "/book"), ("/book", "/book"), ("https://www.clinic.example/portal/x", "/portal/x"),
     ("www.clinic.example/pharmacy", "/pharmacy"), ("", "/")],
)
def test_normal_path(value, expected):
    assert normal_path(value) == expected
