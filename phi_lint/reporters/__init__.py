"""Reporters: text (terminal), json, sarif (GitHub code scanning), github (annotations), markdown,
gitlab-sast (GitLab security reports), junit (CI test tabs), html (a self-contained report for a
privacy officer) and routes (the sensitive URLs a live check loads, and what to expect there)."""

FORMATS = ("text", "json", "sarif", "github", "markdown", "gitlab-sast", "junit", "html", "routes")


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
    if fmt == "gitlab-sast":
        from phi_lint.reporters.gitlab import render_gitlab

        return render_gitlab(result)
    if fmt == "junit":
        from phi_lint.reporters.junit import render_junit

        return render_junit(result)
    if fmt == "html":
        from phi_lint.reporters.html import render_html

        return render_html(result)
    if fmt == "routes":
        from phi_lint.reporters.routes import render_routes

        return render_routes(result)
    if fmt == "github":
        from phi_lint.reporters.github import render_github

        return render_github(result)
    from phi_lint.reporters.text import render_text

    return render_text(result, options)
