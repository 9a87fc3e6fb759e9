"""The vocabulary of personal and health data, template expressions, data-call table, robustness."""

from __future__ import annotations

import pytest

from phi_lint.datasent.sources import NEGATED, classify_name, classify_template, template_chains


@pytest.mark.parametrize(
    "name,cls",
    [
        ("email", "contact"),
        ("userEmail", "contact"),
        ("e-mail", "contact"),
        ("$email", "contact"),
        ("sha256_email_address", "contact"),
        ("phone_number", "contact"),
        ("firstName", "contact"),
        ("postal_code", "contact"),
        ("dateOfBirth", "identity"),
        ("DOB", "identity"),
        ("ssn", "identity"),
        ("user_id", "identity"),
        ("patient_MRN", "health"),
        ("memberId", "health"),
        ("insurance_plan", "health"),
        ("diagnoses", "health"),
        ("symptoms", "health"),
        ("allergies", "health"),
        ("medication_list", "health"),
        ("reason_for_visit", "health"),
        ("labResults", "health"),
        ("provider_name", "health"),
        ("specialty", "health"),
    ],
)
def test_personal_names(name, cls):
    match = classify_name(name)
    assert match is not None and match is not NEGATED and match.cls == cls, match


@pytest.mark.parametrize("name", ["email_opt_in", "hasEmail", "emailVerified", "email_count", "campaign_id", "auth_provider", "page_title", "is_patient_portal"])
def test_flags_about_a_field_are_negated(name):
    assert classify_name(name) is NEGATED


@pytest.mark.parametrize("name", ["value", "currency", "content_ids", "event", "state", "fn", "st", "db", "plan", "treatment", "std_dev"])
def test_ordinary_names_are_not_personal(name):
    assert classify_name(name) is None


def test_short_advanced_matching_keys_only_with_aliases():
    assert classify_name("em") is None
    assert classify_name("em", "meta").cls == "contact"
    assert classify_name("db", "meta").cls == "identity"
    assert classify_name("ph", "uet").cls == "contact"
    assert classify_name("user_email", "snap").cls == "contact"


@pytest.mark.parametrize(
    "expression,chain",
    [
        ("user.email|tojson", ["user", "email"]),
        ("$patient->dob", ["patient", "dob"]),
        ("current_user.try(:email)", ["current_user", "email"]),
        ("auth()->user()->email", ["auth", "user", "email"]),
        ("Auth::user()->email", ["Auth", "user", "email"]),
        ("json_escape(current_user.email)", ["current_user", "email"]),
        ("@patient.date_of_birth", ["patient", "date_of_birth"]),
        ("user['email']", ["user", "email"]),
    ],
)
def test_template_chains(expression, chain):
    assert chain in template_chains(expression)


@pytest.mark.parametrize(
    "expression,role,cls",
    [
        ("user.email", "data", "contact"),
        ("request.user.email|escapejs", "data", "contact"),
        ("session.user.email", "data", "contact"),
        ("$patient->primary_diagnosis", "data", "health"),
        ("patient.anything", "data", "health"),
        ("user", "data", "identity"),
        ("current_user.id", "data", "identity"),
        ("user.uuid", "id", "identity"),
        ("user.name", "data", "contact"),
        ("appointment.reason", "data", "health"),
    ],
)
def test_template_classes(expression, role, cls):
    found = classify_template(expression, role)
    assert found is not None and found.cls == cls, found


@pytest.mark.parametrize("expression", ["page.title", "user.is_authenticated", "user.locale", "csrf_token", "'literal'", "static('x.js')", "settings.PIXEL_ID"])
def test_template_expressions_that_are_not_personal(expression):
    assert classify_template(expression) is None


def test_data_calls_table_is_valid():
    from phi_lint.catalogue import load_catalogue
    from phi_lint.datasent.calls import shapes

    table = shapes()
    catalogue = load_catalogue()
    known_missing = {"intercom", "drift"}  # shapes ready for vendor files that do not exist yet
    for callee_shapes in list(table.calls.values()) + list(table.assignments.values()):
        for shape in callee_shapes:
            for vendor in shape.vendors:
                assert vendor in catalogue.vendors or vendor in known_missing, vendor
            assert shape.args and shape.what
    for mapping in table.packages.values():
        assert mapping.receiver


def test_bad_data_calls_table_is_an_error():
    from phi_lint.datasent.calls import DataCallsError, parse_shapes

    with pytest.raises(DataCallsError):
        parse_shapes({"calls": [{"vendors": ["x"], "callee": ["f"], "args": [{"index": 0, "role": "nope"}]}]})
    with pytest.raises(DataCallsError):
        parse_shapes({"calls": [{"vendors": ["x"], "callee": ["f"]}]})


def test_hostile_inputs_do_not_crash(analyzer):
    from phi_lint.engine.analyzer import sightings_in_text

    deep = "fbq('init', '123456789012345', " + "{a:" * 3000 + "1" + "}" * 3000 + ");"
    sightings, problems = sightings_in_text("deep.js", deep, analyzer)
    assert not [p for p in problems if "internal error" in p]
    chain = "var x0 = user.email;\n" + "".join(f"var x{i} = x{i-1};\n" for i in range(1, 400)) + "fbq('init', '123456789012345', {em: x399});"
    sightings, problems = sightings_in_text("chain.js", chain, analyzer)
    assert not [p for p in problems if "internal error" in p]
    cyclic = "var a = b; var b = a; a = b; fbq('init', '123456789012345', {em: a, ph: b});"
    sightings, problems = sightings_in_text("cycle.js", cyclic, analyzer)
    assert not [p for p in problems if "internal error" in p]
    broken = "<script>fbq('init', '123456789012345', {em: '{{ user.email }}' </script><script>fbq(</script>"
    sightings, problems = sightings_in_text("broken.html", broken, analyzer)
    assert not [p for p in problems if "internal error" in p]
    many = "<script>" + "fbq('track', 'X', {em: u.email});\n" * 2000 + "</script>"
    sightings, problems = sightings_in_text("many.html", many, analyzer)
    assert len([s for s in sightings if s.kind == "data-sent"]) == 2000
