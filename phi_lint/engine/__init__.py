"""The per-file engine: what one file's text yields (sightings, tag-manager tags, data sent).

It sits below the orchestrator (`phi_lint.scan`, `phi_lint.filepasses`, `phi_lint.fileworker`)
and above the parsers, the catalogue matchers and the tag-manager and data-sent analyses, which
call back into it only through `phi_lint.engine.facts`. Nothing here imports the orchestrator.
"""
