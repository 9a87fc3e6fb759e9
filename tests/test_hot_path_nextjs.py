"""The hot path of the Next.js (React server code) guard signals: a script that cannot hold any
of them is not read further, and one that can is read as before."""

from __future__ import annotations

import pytest

from phi_lint.frameworks import nextjs
from phi_lint.pagegraph import jsmodules

# scripts of a repository without any auth library: the words "user", "auth", "session",
# "protect" occur (OAuth, an author, a code editor's session, `protected`), no guard does
LIBRARY_SCRIPTS = {
    "assets/js/oauth-popup.js": "// OAuth popup for the user\nfunction openAuthorWindow(user) { return window.open(user.url); }\n",
    "assets/js/editor.js": "var session = aceEditor.getSession();\nsession.setMode('ace/mode/json');\nlocation.href = '/login';\n",
    "assets/js/widget.js": "var protectedKeys = ['User'];\nfunction protect(el) { el.dataset.owner = 'x'; }\n",
}


def _counting_blanks(monkeypatch) -> list[str]:
    blanked: list[str] = []
    real = jsmodules.blank_comments

    def counted(text):
        blanked.append(text)
        return real(text)

    monkeypatch.setattr(jsmodules, "blank_comments", counted)
    return blanked


def test_a_script_without_any_guard_name_is_not_read_further(monkeypatch):
    blanked = _counting_blanks(monkeypatch)
    for rel, text in LIBRARY_SCRIPTS.items():
        assert nextjs._file_signals(rel, text) == []
    assert blanked == []


@pytest.mark.parametrize("text, evidence", [
    ("import { getServerSession } from 'next-auth';\nexport default async function Page() {\n"
     "  const session = await getServerSession /* options */ (authOptions);\n  if (!session) redirect('/login');\n}\n",
     "`getServerSession()` + redirect to /login"),
    ("export default async function Page() {\n  const session = await auth();\n  if (!session) redirect('/sign-in');\n}\n",
     "`auth()` + redirect to /sign-in"),
    ("import { auth } from '@clerk/nextjs/server';\nexport default async function Page() {\n  await auth.protect();\n}\n",
     "Clerk `auth.protect()`"),
    ("export async function loader({ request }) {\n  const userId = await requireUserId(request);\n}\n",
     "calls `requireUserId()`"),
    ("import { withPageAuthRequired } from '@auth0/nextjs-auth0';\nexport default withPageAuthRequired(function Page() {});\n",
     "Auth0 `withPageAuthRequired`"),
], ids=["getter-comment-before-call", "authjs-auth", "clerk-protect", "remix-helper", "auth0-wrapper"])
def test_a_guarded_script_is_still_read(text, evidence):
    found = nextjs._file_signals("app/records/page.tsx", text)
    assert [(item.label, item.text) for item in found] == [("authenticated", evidence)]


def test_a_member_call_named_like_a_getter_is_no_getter(monkeypatch):
    blanked = _counting_blanks(monkeypatch)
    text = "const s = editor.getSession();\nif (!s) redirect('/login');\n"
    assert nextjs._file_signals("app/page.tsx", text) == []
    assert blanked == []
