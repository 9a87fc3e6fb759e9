"""`phi-lint init`: the starter configuration detects frameworks, proposes page globs that exist,
is valid TOML and a valid phi-lint configuration, and explains every setting."""

from __future__ import annotations

import json
import re
import sys

import pathspec
import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.config import load_config
from phi_lint.init_config import MAX_GLOBS, glob_escape, starter_config, survey

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PIXEL = "<script>fbq('init', '000111222333444'); fbq('track', 'PageView');</script>\n"
PAGE = "<h1>Page</h1>\n"


def _load(root):
    """Write the starter config where `phi-lint init` would, parse it both ways, return both."""
    text = starter_config(root)
    data = tomllib.loads(text)
    path = root / "phi-lint.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path, root)
    return text, data, config


def _package(deps: dict) -> str:
    return json.dumps({"name": "app", "private": True, "dependencies": deps})


def test_django_repository(tmp_path):
    write_tree(tmp_path, {
        "manage.py": "import django\n",
        "requirements.txt": "Django==5.0\npsycopg[binary]\n",
        "accounts/models.py": "class Profile: pass\n",  # a code-only app: no pages to tag
        "accounts/views.py": "from django.contrib.auth.decorators import login_required\n",
        "clinic/templates/clinic/patient/visits.html": PAGE,
        "clinic/templates/clinic/patient/login.html": PAGE,
        "clinic/templates/clinic/patient/account/settings.html": PAGE,  # inside patient/: covered
        "clinic/templates/clinic/conditions/asthma.html": PAGE,
        "clinic/templates/clinic/home.html": PAGE,
    })
    text, data, config = _load(tmp_path)
    assert "Django (manage.py)" in text and "@login_required" in text
    assert data["infer"] is True and data["baa-vendors"] == []
    assert data["pages"] == {
        "authenticated": ["clinic/templates/clinic/patient/**"],
        "health": ["clinic/templates/clinic/conditions/**"],
        "public": ["clinic/templates/clinic/patient/login.html"],
    }
    assert config.pages == data["pages"] and config.infer is True
    assert "accounts/**" not in text


def test_the_proposed_globs_take_effect(tmp_path):
    write_tree(tmp_path, {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "templates/portal/dashboard.html": "<h1>Your visits</h1>\n" + PIXEL,
        "templates/portal/sign-in.html": "<h1>Sign in</h1>\n" + PIXEL,
        "templates/find-a-doctor/index.html": "<h1>Find a doctor</h1>\n" + PIXEL,
        "templates/about.html": "<h1>About</h1>\n" + PIXEL,
    })
    text, data, _ = _load(tmp_path)
    assert "Flask (app.py imports flask)" in text
    assert data["pages"]["authenticated"] == ["templates/portal/**"]
    assert data["pages"]["public"] == ["templates/portal/sign-in.html"]
    assert data["pages"]["health"] == ["templates/find-a-doctor/**"]
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    rules = {line.split()[1].split(":")[0]: line.split()[0] for line in lines}
    assert rules["templates/portal/dashboard.html"] == "PHI001"
    assert rules["templates/find-a-doctor/index.html"] == "PHI002"
    assert rules["templates/portal/sign-in.html"] == "PHI100"
    assert rules["templates/about.html"] == "PHI100"


def test_rails_repository(tmp_path):
    write_tree(tmp_path, {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'devise'\n",
        "config/routes.rb": "Rails.application.routes.draw do\nend\n",
        "app/views/patients/show.html.erb": PAGE,
        "app/views/appointments/new.html.erb": PAGE,
        "app/views/layouts/application.html.erb": PAGE,
    })
    text, data, _ = _load(tmp_path)
    assert "Rails (Gemfile (gem 'rails'))" in text and "authenticate_user!" in text
    assert data["pages"]["authenticated"] == ["app/views/patients/**"]
    assert data["pages"]["health"] == ["app/views/appointments/**"]
    assert "public" not in data["pages"]


def test_laravel_repository(tmp_path):
    write_tree(tmp_path, {
        "artisan": "#!/usr/bin/env php\n<?php\n",
        "composer.json": '{"require": {"laravel/framework": "^11.0"}}',
        "resources/views/member/billing.blade.php": PAGE,
        "resources/views/member/register.blade.php": PAGE,
        "resources/views/welcome.blade.php": PAGE,
    })
    text, data, _ = _load(tmp_path)
    assert "Laravel (artisan)" in text and "middleware('auth')" in text
    assert data["pages"]["authenticated"] == ["resources/views/member/**"]
    assert data["pages"]["public"] == ["resources/views/member/register.blade.php"]


def test_nextjs_route_groups_and_dynamic_segments(tmp_path):
    write_tree(tmp_path, {
        "package.json": _package({"next": "14.2.0", "react": "18.3.0", "next-auth": "4.24.0"}),
        "app/layout.tsx": "export default function Root() { return null }\n",
        "app/(portal)/results/page.tsx": "export default function P() { return null }\n",
        "app/[locale]/my-health/page.tsx": "export default function P() { return null }\n",
        "app/[locale]/my-health/login/page.tsx": "export default function P() { return null }\n",
        "app/[locale]/telehealth/page.tsx": "export default function P() { return null }\n",
        "components/Nav.tsx": "export function Nav() { return null }\n",
    })
    text, data, config = _load(tmp_path)
    assert 'Next.js (package.json dependency "next")' in text
    assert "React" not in [line.split(" (")[0][6:] for line in text.splitlines() if line.startswith("#   - ")]
    assert data["pages"]["authenticated"] == ["app/(portal)/**", "app/\\[locale\\]/my-health/**"]
    assert data["pages"]["health"] == ["app/\\[locale\\]/telehealth/**"]
    assert data["pages"]["public"] == ["app/\\[locale\\]/my-health/login/**"]
    # the escaped globs match the real folders, literally
    spec = pathspec.GitIgnoreSpec.from_lines(config.pages["authenticated"])
    assert spec.match_file("app/[locale]/my-health/page.tsx")
    assert spec.match_file("app/(portal)/results/page.tsx")
    assert not spec.match_file("app/l/my-health/page.tsx")
    assert not spec.match_file("app/telehealth/page.tsx")


@pytest.mark.parametrize(
    ("deps", "name"),
    [
        ({"nuxt": "3.11.0", "vue": "3.4.0"}, "Nuxt"),
        ({"@sveltejs/kit": "2.5.0", "svelte": "4.2.0"}, "SvelteKit"),
        ({"vue": "3.4.0", "vue-router": "4.3.0"}, "Vue"),
        ({"react": "18.3.0", "react-router-dom": "6.23.0"}, "React"),
        ({"@angular/core": "17.3.0"}, "Angular"),
        ({"express": "4.19.0", "nunjucks": "3.2.4"}, "Express"),
    ],
)
def test_javascript_frameworks(tmp_path, deps, name):
    write_tree(tmp_path, {"package.json": _package(deps), "src/main.js": "console.log(1)\n"})
    text, _, _ = _load(tmp_path)
    found = [line[6:].split(" (")[0] for line in text.splitlines() if line.startswith("#   - ")]
    assert found == [name]
    if name == "Nuxt":
        assert "Vue" not in found


def test_dev_dependencies_and_a_monorepo_app(tmp_path):
    write_tree(tmp_path, {
        "package.json": json.dumps({"private": True, "workspaces": ["apps/*"]}),
        "apps/web/package.json": json.dumps({"devDependencies": {"@sveltejs/kit": "2.0.0"}}),
        "apps/web/src/routes/+page.svelte": PAGE,
    })
    text, _, _ = _load(tmp_path)
    assert 'SvelteKit (apps/web/package.json dependency "@sveltejs/kit")' in text


def test_plain_static_site(tmp_path):
    write_tree(tmp_path, {
        "index.html": PAGE,
        "services/cardiology.html": PAGE,
        "conditions/diabetes.html": PAGE,
        "css/site.css": "body{}\n",
    })
    text, data, _ = _load(tmp_path)
    assert "static site (3 HTML-like files, no web framework found)" in text
    assert data["pages"]["health"] == ["conditions/**"]
    assert "authenticated" not in data["pages"]
    assert '# authenticated = ["templates/portal/**", "app/(portal)/**"]' in text


def test_empty_repository(tmp_path):
    text, data, config = _load(tmp_path)
    assert "No web framework and no HTML-like files were found" in text
    assert data == {"profile": "hipaa", "infer": True, "baa-vendors": [], "pages": {}}
    assert config.pages == {}


def test_dependency_build_and_test_folders_are_not_proposed(tmp_path):
    write_tree(tmp_path, {
        "index.html": PAGE,
        "node_modules/some-ui/portal/index.html": PAGE,
        "dist/account/index.html": PAGE,
        "tests/portal/fixture.html": PAGE,
        ".storybook/account/preview.js": "1\n",
        "vendor/patient/x.html": PAGE,
    })
    _, data, _ = _load(tmp_path)
    assert data["pages"] == {}


def test_generated_output_is_proposed_for_exclusion(tmp_path):
    write_tree(tmp_path, {
        "index.html": PAGE,
        "_site/portal/index.html": PAGE,
        "htmlcov/index.html": PAGE,
    })
    text, data, config = _load(tmp_path)
    assert data["extend-exclude"] == ["_site/", "htmlcov/"]
    assert config.extend_exclude == ["_site/", "htmlcov/"]
    assert "authenticated" not in data["pages"]  # nothing inside generated output is proposed
    assert "Jekyll" in text


def test_many_folders_are_capped_and_still_valid(tmp_path):
    files = {f"clinics/c{i:02}/portal/index.html": PAGE for i in range(MAX_GLOBS + 5)}
    write_tree(tmp_path, files)
    text, data, _ = _load(tmp_path)
    assert len(data["pages"]["authenticated"]) == MAX_GLOBS
    assert "# 5 more found and left out: clinics/c20/portal/**" in text


def test_every_setting_is_explained(tmp_path):
    write_tree(tmp_path, {
        "manage.py": "",
        "templates/portal/a.html": PAGE,
        "templates/portal/login.html": PAGE,
        "templates/conditions/b.html": PAGE,
        "_site/x.html": PAGE,
    })
    lines = starter_config(tmp_path).splitlines()
    assert lines[0].startswith("# phi-lint.toml")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "]":
            continue
        if re.match(r'^"[^"]*",', stripped):  # an array element: explained on its own line
            assert "  # " in stripped, line
            continue
        assert lines[i - 1].lstrip().startswith("#"), f"no comment above {line!r}"


def test_output_is_deterministic_and_relative(tmp_path):
    write_tree(tmp_path, {"portal/b.html": PAGE, "portal/a.html": PAGE, "account/x.html": PAGE})
    first = starter_config(tmp_path)
    assert first == starter_config(tmp_path)
    assert str(tmp_path) not in first
    assert tomllib.loads(first)["pages"]["authenticated"] == ["account/**", "portal/**"]


def test_odd_names_stay_literal_and_valid():
    assert glob_escape("app/[id]/portal") == "app/\\[id\\]/portal"
    assert glob_escape("a*b?c") == "a\\*b\\?c"
    assert glob_escape("#portal") == "\\#portal"
    assert glob_escape("!portal") == "\\!portal"


def test_quotes_and_unicode_in_folder_names(tmp_path):
    write_tree(tmp_path, {'sites/"ärzte"/portal/index.html': PAGE})
    _, data, config = _load(tmp_path)
    assert data["pages"]["authenticated"] == ['sites/"ärzte"/portal/**']
    assert pathspec.GitIgnoreSpec.from_lines(config.pages["authenticated"]).match_file('sites/"ärzte"/portal/index.html')


def test_survey_is_bounded(tmp_path, monkeypatch):
    import phi_lint.init_config as init_config

    write_tree(tmp_path, {f"d{i}/portal/x.html": PAGE for i in range(30)})
    monkeypatch.setattr(init_config, "MAX_ENTRIES", 20)
    result = survey(tmp_path)
    assert result.truncated
    text = starter_config(tmp_path)
    assert "only its first 20 entries were looked at" in text
    tomllib.loads(text)


def test_unreadable_and_broken_manifests_do_not_stop_it(tmp_path):
    write_tree(tmp_path, {"package.json": "{ not json", "composer.json": b"\xff\xfe\x00", "index.html": PAGE})
    text, _, _ = _load(tmp_path)
    assert "static site" in text
