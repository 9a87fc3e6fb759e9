"""Conditions on the signed-in state (issue 15 §5): a tracker that a template or component shows only
to signed-out visitors (`{% if not current_user.is_authenticated %}`, `<% unless user_signed_in? %>`,
`@guest`, `{{#unless currentUser}}`, `v-if="!isLoggedIn"`, `{!session && <Pixel/>}`) is not
loaded on pages behind login.

- `conditions`: what an expression means (signed-out, signed-in, unknown), from the data of
  rules/signed-in-conditions.toml;
- `branches`: the branches of nested blocks and what each is known to require;
- `templates`, `vue`, `jsx`: the readers that find those blocks in each syntax;
- `guard`: the entry point of the scan, which records the condition a sighting sits in
  (`details["signedIn"]`);
- `reach`: what the policy does with it (the authenticated pages are not counted, and the
  findings say why); path checks (`request.path.startswith('/portal')`) leave out the pages
  served under (or outside) the prefix;
- `chains`: the conditions around the includes of a reach's chain (`{% if not user %}{% include
  "analytics.html" %}`) and the URLs of pages (route table, evidence, file routers).
"""
