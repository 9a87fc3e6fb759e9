"""Reporters: text (terminal), json, sarif (GitHub code scanning) and github (annotations)."""

FORMATS = ("text", "json", "sarif", "github", "markdown")


def render(result, fmt: str, options) -> str:
    if fmt == "json":
        from phi_lint.reporters.json_report import render_json

        return render_json(result)
    if fmt == "sarif":
        from phi_lint.reporters.sarif import render_sarif

        return render_sarif(result)
    if fmt == "markdown":
        from phi_lint.reporters.markdown import render_markdown

        return render_markdown(result)
    if fmt == "github":
        from phi_lint.reporters.github import render_github

        return render_github(result)
    from phi_lint.reporters.text import render_text

    return render_text(result, options)
