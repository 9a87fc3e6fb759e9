"""Health inference: the vocabulary, path segments, titles and headings, page text, forms,
page-likeness (partials, layouts, home and generic pages) and forms in included partials."""

from __future__ import annotations

import time

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.inference import health
from phi_lint.inference.health import Vocabulary, stem, stem_key, vocabulary
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.repo import RepoIndex
from phi_lint.resources import rules_dir


def infer(rel: str, text: str):
    """(text, line, weak) of the health inferences of one file, decided on its own."""
    return [(i.text, i.line, i.weak) for i in health.infer_page(rel, text, None) if i.label == "health"]


def is_health(rel: str, text: str) -> bool:
    return bool(infer(rel, text))


def terms(text: str) -> list[str]:
    return [hit.term.text for hit in vocabulary().find(text)]


# ------------------------------------------------------------------ the vocabulary


def test_vocabulary_is_data_of_a_few_thousand_terms():
    vocab = vocabulary()
    assert (rules_dir() / "health-terms.txt").is_file()
    assert len(vocab) >= 2500
    strong = [t for t in vocab.terms.values() if not t.weak]
    weak = [t for t in vocab.terms.values() if t.weak]
    assert len(strong) > 10 * len(weak) > 0
    for sample in ("diabetes", "hiv", "hepatitis c", "depression", "anxiety", "breast cancer", "pregnancy",
                   "infertility", "chlamydia", "opioid use disorder", "anorexia", "cardiology", "oncology",
                   "obstetrics", "urgent care", "behavioral health", "mammogram", "colonoscopy", "mri",
                   "biopsy", "dialysis", "ivf", "metformin", "insulin", "sertraline", "buprenorphine",
                   "find a doctor", "book an appointment", "refill a prescription", "lab results",
                   "telehealth", "patient portal"):
        assert stem_key(sample) in vocab.terms, sample
    assert "PrEP" in vocab.exact_terms and "AIDS" in vocab.exact_terms


def test_vocabulary_file_has_no_duplicate_terms():
    seen: dict[str, str] = {}
    duplicates = []
    for line in (rules_dir() / "health-terms.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "[")):
            continue
        key = line if line.startswith("=") else stem_key(line)
        if key in seen:
            duplicates.append((line, seen[key]))
        seen.setdefault(key, line)
    assert duplicates == []


def test_stemming_is_simple_and_symmetric():
    assert stem("screenings") == stem("screening") == stem("screen")
    assert stem("allergies") == stem("allergy")
    assert stem("diagnosed") == stem("diagnoses") == stem("diagnose")
    assert stem("viruses") == stem("virus")
    assert stem("lupus") == "lupus" and stem("diagnosis") == "diagnosis"
    assert terms("Crohn’s disease and ulcerative colitis") == ["crohn's disease", "ulcerative colitis"]
    assert terms("COLORECTAL CANCERS") == ["colorectal cancer"]
    assert terms("Mammograms and cancer screenings") == ["mammogram", "cancer screening"]


def test_longest_term_wins_and_counts_once():
    assert terms("breast cancer") == ["breast cancer"]
    assert terms("type 2 diabetes") == ["type 2 diabetes"]
    assert terms("HIV/AIDS") == ["hiv/aids"]  # AIDS inside the longer term is not a second term


def test_exact_terms_are_case_sensitive_words():
    assert terms("Get PrEP online") == ["PrEP"]
    assert terms("meal prep and test prep") == []
    assert terms("Living with AIDS") == ["AIDS"]
    assert terms("teaching aids and visual aids") == []
    assert terms("Free STD and HIV testing") == ["STD", "hiv testing"]


def test_words_that_are_not_health_terms():
    assert terms("We offer health insurance benefits, dental and vision coverage") == ["health", "dental"]
    assert all(hit.term.weak for hit in vocabulary().find("health insurance benefits, dental, doctor"))
    assert terms("the stock market depression of 1929") == ["depression"]  # a term; context is the page's job
    assert terms("std::vector and mono audio, braces, cold weather") == []


def test_a_small_vocabulary_from_lines():
    vocab = Vocabulary(["# comment", "[conditions]", "gout", "=PEP", "[weak: words]", "doctor", "gout"])
    assert [(t.text, t.weak) for t in vocab.terms.values()] == [("gout", False), ("doctor", True)]
    assert [h.term.text for h in vocab.find("Gout: see a doctor about PEP")] == ["gout", "doctor", "PEP"]
    assert Vocabulary([]).find("anything") == []


# ------------------------------------------------------------------ paths

PATH_POSITIVE = [
    ("conditions/asthma.html", "path segment `conditions/`"),
    ("site/diseases/flu.html", "path segment `diseases/`"),
    ("symptoms/index.html", "path segment `symptoms/`"),
    ("treatments/x.html", "path segment `treatments/`"),
    ("services/cardiology.html", "file name `cardiology.html` names `cardiology`"),
    ("find-a-doctor.html", "file name `find-a-doctor.html`"),
    ("src/pages/FindADoctor.tsx", "file name `FindADoctor.tsx`"),
    ("templates/providers/list.html", "path segment `providers/`"),
    ("doctors/jane-okafor.html", "path segment `doctors/`"),
    ("app/appointments/page.tsx", "path segment `appointments/`"),
    ("booking/new.html", "path segment `booking/`"),
    ("schedule.html", "file name `schedule.html`"),
    ("telehealth/index.html", "path segment `telehealth/`"),
    ("pharmacy/hours.html", "path segment `pharmacy/`"),
    ("prescriptions/refill.html", "path segment `prescriptions/`"),
    ("refills.html", "file name `refills.html`"),
    ("src/views/LabResults.vue", "file name `LabResults.vue`"),
    ("mental-health/index.html", "path segment `mental-health/`"),
    ("behavioral-health/teens.html", "path segment `behavioral-health/`"),
    ("sexual-health/testing.html", "path segment `sexual-health/`"),
    ("reproductive-health/x.html", "path segment `reproductive-health/`"),
    ("blog/living-with-type-2-diabetes.html", "file name `living-with-type-2-diabetes.html` names `type 2 diabetes`"),
    ("app/(care)/oncology/page.tsx", "path segment `oncology/` names `oncology`"),
    ("pages/providers.tsx", "file name `providers.tsx`"),
    ("pages/providers/[id].tsx", "path segment `providers/`"),
]


@pytest.mark.parametrize("rel,evidence", PATH_POSITIVE, ids=[p[0] for p in PATH_POSITIVE])
def test_path_names_a_health_topic(rel, evidence):
    kind = "script" if rel.endswith((".tsx", ".ts", ".js")) else "markup"
    assert health.path_signal(rel, kind)[0] == evidence
    assert (evidence, 0, False) in infer(rel, "")


PATH_NEGATIVE = [
    "index.html",
    "fixtures/static-health-site/about.html",  # "health" alone is not a topic
    "services/index.html",  # services/ without a specialty
    "labs/experiments.html",
    "src/providers/AuthProvider.tsx",  # React context providers
    "app/providers.tsx",  # the app router's client providers (not a route)
    "src/scheduler/cron.js",
    "lib/usePatient.ts",
    "careers/nursing-jobs.html",
    "careers/oncology-nurse.html",  # a vocabulary term in a generic section: a job, not a topic
    "press/cancer-center-opens.html",
    "about/our-story.html",
]


@pytest.mark.parametrize("rel", PATH_NEGATIVE)
def test_path_without_a_health_topic(rel):
    kind = "script" if rel.endswith((".tsx", ".ts", ".js")) else "markup"
    assert health.path_signal(rel, kind) is None


# ------------------------------------------------------------------ titles, headings, page text


def test_one_strong_term_in_the_title_or_h1():
    assert infer("x.html", "<title>Asthma care | Lakeside Clinic</title>") == [("page title mentions `asthma`", 1, False)]
    assert infer("x.html", "<p>\n<h1 class='big'>Colonoscopy <em>prep</em></h1>") == [("<h1> mentions `colonoscopy`", 2, False)]
    assert infer("x.html", "<title>Appointments with a doctor near you</title>") == [
        ("page title mentions `appointment` and `doctor`", 1, False)
    ]


def test_the_last_part_of_a_title_is_the_site_name():
    assert not is_health("blog/x.html", "<title>Spring hours | Lakeside Cancer Center</title>")
    assert is_health("blog/x.html", "<title>Cancer Center | Lakeside Hospital</title>")


def test_one_weak_term_or_one_heading_term_is_not_enough():
    assert not is_health("x.html", "<title>Visit our clinic</title>")
    assert not is_health("x.html", "<h2>Asthma</h2><p>Our new building opens in May.</p>")


def test_headings_and_description_with_two_strong_terms():
    page = "<h2>Asthma</h2><meta name='description' content='Eczema and psoriasis care for kids'>"
    assert infer("x.html", page) == [("headings mention `asthma`, `eczema`, `psoriasis`", 1, False)]


def test_page_text_needs_four_distinct_strong_terms_and_is_weak():
    four = "<p>Flu shots, the RSV vaccine, the COVID-19 vaccine and pediatric urgent care.</p>"
    assert infer("news/x.html", four) == [
        ("page text mentions 4 health terms (flu shot, rsv vaccine, covid-19 vaccine, pediatric urgent care)", 1, True)
    ]
    three = "<p>Urgent care walk-ins; lab services downstairs; next to the imaging center.</p>"
    assert not is_health("locations.html", three)
    repeated = "<p>" + "asthma " * 20 + "</p>"
    assert not is_health("x.html", repeated)


def test_health_insurance_benefits_do_not_make_a_page_about_health():
    body = """<h1>Work with us</h1><ul><li>Health insurance benefits from day one</li>
    <li>Dental and vision coverage</li><li>Employee wellness program</li>
    <li>Tuition support for registered nurses and medical assistants</li></ul>"""
    assert not is_health("benefits.html", body)
    assert not is_health("careers.html", body)


def test_generic_pages_get_no_vocabulary_signals():
    about = "<title>About us</title><h1>Cardiology, oncology and pediatrics since 1950</h1>"
    assert not is_health("about.html", about)
    assert not is_health("careers/oncology-nurse.html", "<h1>Oncology nurse</h1>")
    assert not is_health("contact-us.html", "<h1>Contact our cardiology team</h1>")
    assert is_health("contact.html", "<form><input name='dob'></form>")  # forms still count


def test_title_sources_of_template_engines_and_frameworks():
    cases = {
        "templates/x.html": "{% extends 'base.html' %}{% block title %}Diabetes care | Clinic{% endblock %}",
        "views/x.njk": "{% extends 'layout.njk' %}{% set title = 'Hepatitis C' %}",
        "resources/views/x.blade.php": "@extends('layouts.app')\n@section('title', 'Hepatitis C treatment')",
        "resources/views/y.blade.php": "@extends('layouts.app')\n@section('title')\nDepression care\n@endsection",
        "app/views/x/show.html.erb": "<% content_for :title, 'Oncology' %>",
        "app/views/x/index.html.erb": "<% provide(:title, \"Psoriasis\") %>",
        "site/x.html": "---\ntitle: Living with lupus\n---\n<p>x</p>",
        "app/x/page.tsx": "export const metadata = { title: 'PrEP for HIV prevention' };\nexport default function P() { return <p/> }",
        "src/x.js": "document.title = 'Mammogram scheduling';",
        "x.html": "<meta property='og:title' content='Sleep apnea clinic'>",
        "src/pages/X.tsx": "export default function X() { return <main><h1 className='t'>Colonoscopy prep</h1></main> }",
    }
    for rel, text in cases.items():
        assert is_health(rel, text), rel


def test_comments_scripts_and_styles_are_not_page_text():
    assert not is_health("x.html", "<!-- <h1>Asthma</h1> --><h1>Hello</h1>")
    assert not is_health("x.html", "{# <title>Asthma</title> #}<h1>Hello</h1>")
    assert not is_health("x.blade.php", "{{-- <h1>Asthma</h1> --}}<h1>Hello</h1>")
    body = "asthma, eczema, psoriasis, gout, lupus, insulin"
    assert not is_health("x.html", f"<script>var topics = '{body}';</script><style>/* {body} */</style>")
    assert not is_health("x.tsx", "// <h1>Asthma</h1>\nexport default () => <h1>Hello</h1>")


def test_home_pages_get_no_vocabulary_signals():
    home = "<title>Family medicine | Fernhill</title><h1>Cardiology and pediatrics</h1>"
    files = {"index.html": "markup", "conditions/index.html": "markup", "blog/post.html": "markup", "home.html": "markup"}
    homes = health.home_pages(files)
    assert homes == {"index.html", "home.html"}
    repo = RepoIndex(None, files)
    assert [i.text for i in health.infer_page("index.html", home, repo)] == []
    assert [i.text for i in health.infer_page("conditions/index.html", "<h1>Gout</h1>", repo)] == [
        "path segment `conditions/`",
        "<h1> mentions `gout`",
    ]
    assert health.home_pages({"templates/index.html": "markup", "site/index.html": "markup"}) == {
        "templates/index.html",
        "site/index.html",
    }


# ------------------------------------------------------------------ forms

FORMS = [
    ("date of birth", "<form><input id='dob' name='dob' type='date'></form>"),
    ("date of birth", "<form><input name='patient[birth_date]'></form>"),
    ("date of birth", "<form><input autocomplete='bday'></form>"),
    ("symptoms", "<form><textarea name='symptoms'></textarea></form>"),
    ("symptoms", "<form><label for=r>Reason for visit</label><input id=r name=r></form>"),
    ("diagnoses", "<form><input name='existing_conditions'></form>"),
    ("medications", "<form><input placeholder='Current medications'></form>"),
    ("allergies", "<form><input name='allergies'></form>"),
    ("an insurance member id", "<form><input name='memberId'></form>"),
    ("an insurance member id", "<form><input name='insurance_policy_number'></form>"),
    ("a medical record number", "<form><input name='mrn'></form>"),
    ("date of birth", "export default () => <form><input {...register('dateOfBirth')} /></form>"),
    ("allergies", "export default () => <form><TextField name=\"allergies\" /></form>"),
    ("date of birth", "<%= form_with model: @p do |f| %><%= f.date_field :date_of_birth %><% end %>"),
    ("symptoms", "<form>{{ form.symptoms(class_='x') }}</form>"),
    ("medications", "{!! Form::text('medications') !!}"),
]


@pytest.mark.parametrize("what,page", FORMS, ids=[f"{f[0]}-{i}" for i, f in enumerate(FORMS)])
def test_forms_that_ask_for_health_information(what, page):
    rel = "x.tsx" if "export default" in page else "x.html.erb" if "<%=" in page else "x.blade.php" if "Form::" in page else "x.html"
    found = infer(rel, page)
    assert found and found[0][0].startswith("form asks for " + what), found


FORM_NEGATIVES = [
    "<form><input name='name'><input name='email' type='email'><textarea name='message'></textarea></form>",
    "<form role='search'><input type='search' name='q' placeholder='Search symptoms and conditions'></form>",
    "<form><input name='q' placeholder='Search symptoms'></form>",
    "<form><input type='hidden' name='dob' value='x'></form>",
    "<form><label>I accept the terms and conditions <input type='checkbox' name='accept_conditions'></label></form>",
    "<!-- <form><input name='dob'></form> -->",
    "<form><input name='birthday_greeting_opt_in' type='checkbox'><input name='email'></form>",
]


@pytest.mark.parametrize("page", FORM_NEGATIVES)
def test_forms_that_do_not_ask_for_health_information(page):
    assert infer("x.html", page) == []


# ------------------------------------------------------------------ page-likeness


PARTIALS = [
    "templates/_tracking.html",
    "templates/partials/visit_form.html",
    "templates/includes/x.html",
    "src/components/VisitForm.vue",
    "app/views/shared/_form.html.erb",
    "resources/views/layouts/app.blade.php",
    "_layouts/default.html",
    "includes/header.php",
    "footer.html",
    "app/layout.tsx",
    "templates/base.html",
]


@pytest.mark.parametrize("rel", PARTIALS)
def test_partials_and_layouts_by_name_get_only_path_signals(rel):
    page = "<title>Asthma</title><h1>Diabetes</h1><form><input name='dob'></form>"
    assert infer(rel, page) == []


LAYOUTS = [
    ("templates/site.html", "<title>Lakeside Cancer Center</title>{% block content %}{% endblock %}"),
    ("resources/views/site.blade.php", "<title>Lakeside Cancer Center</title>@yield('content')"),
    ("app/views/site.html.erb", "<title>Lakeside Cancer Center</title><%= yield %>"),
    ("views/main.hbs", "<title>Lakeside Cancer Center</title>{{{body}}}"),
    ("src/App.vue", "<template><h1>Lakeside Cancer Center</h1><router-view /></template>"),
    ("src/Shell.tsx", "export default () => <><h1>Lakeside Cancer Center</h1><Outlet /></>"),
    ("src/Frame.tsx", "export default ({ children }) => <main><h1>Lakeside Cancer Center</h1>{children}</main>"),
]


@pytest.mark.parametrize("rel,page", LAYOUTS, ids=[x[0] for x in LAYOUTS])
def test_layouts_by_content_get_no_title_signals(rel, page):
    assert infer(rel, page) == []


def test_a_page_that_extends_a_layout_is_a_page():
    assert is_health("templates/asthma.html", "{% extends 'base.html' %}{% block content %}<h1>Asthma</h1>{% endblock %}")


def test_path_signals_apply_to_partials():
    assert infer("conditions/_sidebar.html", "<h1>Asthma</h1>") == [("path segment `conditions/`", 0, False)]


# ------------------------------------------------------------------ forms in partials (infer_project)


def _graph(*edges):
    return PageGraph([Edge(*e) for e in edges])


def test_a_form_in_an_included_partial_makes_its_pages_health_related(tmp_path):
    files = {
        "templates/visit.html": "{% extends 'base.html' %}{% include 'partials/visit_form.html' %}",
        "templates/partials/visit_form.html": "<form><input name='dob'><textarea name='symptoms'></textarea></form>",
        "templates/base.html": "<html>{% include 'partials/footer_form.html' %}{% block content %}{% endblock %}</html>",
        "templates/partials/footer_form.html": "<form><input name='dob'></form>",
        "templates/about.html": "{% extends 'base.html' %}",
        "templates/wrapper.html": "{% include 'visit.html' %}",
    }
    write_tree(tmp_path, files)
    repo = RepoIndex(tmp_path, {rel: "markup" for rel in files})
    graph = _graph(
        ("templates/visit.html", "templates/partials/visit_form.html", "include", 1),
        ("templates/visit.html", "templates/base.html", "extends", 1),
        ("templates/base.html", "templates/partials/footer_form.html", "include", 1),
        ("templates/about.html", "templates/base.html", "extends", 1),
        ("templates/wrapper.html", "templates/visit.html", "include", 1),
    )
    found = sorted((i.page, i.text, i.path, i.line) for i in health.infer_project(repo, graph))
    evidence = "renders `templates/partials/visit_form.html`, whose form asks for date of birth and symptoms (`dob`, `symptoms`)"
    assert found == [
        ("templates/visit.html", evidence, "templates/partials/visit_form.html", 1),
        ("templates/wrapper.html", evidence, "templates/partials/visit_form.html", 1),
    ]  # not base.html (a layout: its label would reach every page), nor about.html


def test_infer_project_without_render_edges_reads_nothing(tmp_path):
    repo = RepoIndex(tmp_path, {"a.html": "markup"})
    assert health.infer_project(repo, _graph(("a.html", "b.js", "import", 1))) == []
    assert repo._texts == {}


# ------------------------------------------------------------------ end to end

META_PIXEL = """<script>
!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;
n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '123456789012345');
fbq('track', 'PageView');
</script>"""


def test_inferred_health_pages_in_a_scan(tmp_path):
    write_tree(
        tmp_path,
        {
            "conditions/gout.html": f"<html><head><title>Gout</title>{META_PIXEL}</head></html>",
            "visit.html": f"<html><head>{META_PIXEL}</head><form><input name='dob'></form></html>",
            "careers.html": f"<html><head>{META_PIXEL}</head><p>Health insurance benefits</p></html>",
            "index.html": f"<html><head><title>Cardiology</title>{META_PIXEL}</head></html>",
        },
    )
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == [
        "PHI002 conditions/gout.html:5 meta-pixel",
        "PHI002 visit.html:5 meta-pixel",
        "PHI100 careers.html:5 meta-pixel",
        "PHI100 index.html:5 meta-pixel",
    ]
    evidence = result.contexts["conditions/gout.html"].labels["health"]
    assert sorted(e.text for e in evidence) == ["page title mentions `gout`", "path segment `conditions/`"]


def test_infer_false_turns_health_inference_off(tmp_path):
    write_tree(
        tmp_path,
        {
            "phi-lint.toml": "infer = false\n",
            "conditions/gout.html": f"<html><head><title>Gout</title>{META_PIXEL}</head></html>",
        },
    )
    assert finding_lines(scan_tree(tmp_path, use_cache=False), tmp_path) == ["PHI100 conditions/gout.html:5 meta-pixel"]


# ------------------------------------------------------------------ odd input


HOSTILE = [
    "<title" * 20000,
    "<!--" * 20000 + "<h1>Asthma</h1>",
    "<h1>" * 20000,
    "<script>" + "x" * 200000,
    "{% block title %}" * 5000,
    "<input name='" + "a" * 100000,
    "\x00\x01\x02<h1>\ufffd</h1>",
    "[" * 50000 + "]" * 50000,
    "",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
def test_odd_input_is_fast_and_never_crashes(text):
    start = time.perf_counter()
    for rel in ("x.html", "x.tsx", "x.blade.php", "x.html.erb"):
        health.infer_page(rel, text, None)
    assert time.perf_counter() - start < 5


def test_non_page_files_are_left_alone():
    assert health.infer_page("conditions/views.py", "<title>Asthma</title>", None) == []
    assert health.infer_page("conditions/package.json", "{}", None) == []


# ------------------------------------------------------------------ route URLs
# a route's URL is read by phi_lint.frameworks.routes for every framework (tests/test_routes_by_url.py,
# tests/framework_cases/*.yml); only the URL-to-path step lives here


def test_route_path_leaves_parameters_out():
    assert health.route_path("/conditions/<slug>/:id/{x}/[y]") == "conditions/"
    assert health.route_path("/") == ""


def test_the_directory_of_the_run_is_not_a_page_name():
    repo = RepoIndex(None, {"fixtures/react-intake-form/index.html": "markup", "fixtures/react-intake-form/src/main.tsx": "script"})
    assert health.scan_prefix(repo) == "fixtures/react-intake-form/"
    assert health.infer_page("fixtures/react-intake-form/index.html", "<p>x</p>", repo) == []
    assert health.path_signal("fixtures/react-intake-form/index.html", "markup") is not None  # without the prefix
    one = RepoIndex(None, {"site/conditions/gout.html": "markup"})
    assert health.scan_prefix(one) == "site/conditions/"
    assert [i.text for i in health.infer_page("site/conditions/gout.html", "<p>x</p>", one)] == ["path segment `conditions/`"]


def test_a_page_that_includes_a_form_partial_in_a_scan(tmp_path):
    # needs the Jinja include edges of the page graph (phi_lint.pagegraph.templates_python)
    write_tree(
        tmp_path,
        {
            "templates/visit.html": "{% include 'partials/visit_form.html' %}\n" + META_PIXEL,
            "templates/partials/visit_form.html": "<form><input name='dob'><textarea name='symptoms'></textarea></form>",
            "templates/news.html": META_PIXEL,
        },
    )
    result = scan_tree(tmp_path, use_cache=False)
    assert finding_lines(result, tmp_path) == ["PHI002 templates/visit.html:6 meta-pixel", "PHI100 templates/news.html:5 meta-pixel"]
    [evidence] = result.contexts["templates/visit.html"].labels["health"]
    assert evidence.text.startswith("renders `templates/partials/visit_form.html`, whose form asks for date of birth")


def test_home_pages_fold_apostrophes_like_path_keys():
    # `ind'ex` folds to `index`; in `ho&#39;me` the entity splits the words (`ho`, `39`, `me`)
    assert health.home_pages(["site/ind'ex.html", "site/sub/ho&#39;me.html", "site/page10.html"]) == {"site/ind'ex.html"}
