"""The generic fallback: files of an ending no template dialect models, read as plain text.

A tracker in a `.cfm`, `.haml` or `.master` file is still a tracker: such files are searched for
the catalogue's loader URLs, init calls and pixel images (phi_lint.generic.reader), at least as
inventory, with their pages and guards unknown. What was read only this way, and the web
frameworks recognised but not modelled, is said in every report (phi_lint.generic.unread), so
that a clean run never reads "No trackers on authenticated or health pages." without it.
"""
