"""Validate SARIF files with Microsoft's SARIF multitool, GitHub rules on.

The JSON schema (tests/data/sarif-schema-2.1.0.json, checked with
``jsonschema`` in the unit tests) catches malformed SARIF: bad enum values,
out-of-range numbers, unknown properties. It does not know what GitHub code
scanning needs on top of that (a region on every location, relative or
``file:`` URIs, rule help, full descriptions, ...). Microsoft's multitool
checks those with its ``Ghas`` rules, so CI runs both.

What this module does:

* installs the npm package ``@microsoft/sarif-multitool`` and its platform
  package at an exact version (``MULTITOOL_VERSION``) into a cache directory,
  once: ``$PHI_LINT_TOOLS_DIR`` or ``<repo>/.cache/tools``;
* exports the multitool's validation configuration once and switches the
  GitHub rules that are off by default (GH1001-GH1007) to ``Error``. It also
  disables SARIF2006 (UrisShouldBeReachable), the one rule that makes HTTP
  requests, so that validation never touches the network;
* runs the platform binary directly (not the npm ``bin.js`` wrapper, which
  goes through a shell and splits ``Sarif;Ghas`` at the semicolon)::

      Sarif.Multitool validate FILE --rule-kind "Sarif;Ghas" -c CONFIG \
          -o OUT --log ForceOverwrite

* reads OUT (the multitool exits 0 even when it reports errors) and returns
  the error- and warning-level results as readable strings.

Usage as a module: ``ensure_multitool()`` and ``validate(path)``.
Usage as a command: ``python tests/sarif_multitool.py FILE...`` prints the
problems and exits 1 if there are any, 0 if every file is clean, 2 if the
multitool cannot be installed or run.

Nothing here reaches the network except ``npm install`` (the npm registry).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

MULTITOOL_VERSION = "5.7.0"
"""Exact npm version of @microsoft/sarif-multitool and its platform package."""

REPO_ROOT = Path(__file__).resolve().parents[1]

RULE_KIND = "Sarif;Ghas"

# GitHub rules that the multitool ships switched off; switched to Error here.
GH_RULES_TO_ENABLE = ("GH1001", "GH1002", "GH1003", "GH1004", "GH1005", "GH1006", "GH1007")

# SARIF2006 (UrisShouldBeReachable) sends an HTTP GET for every URI in the log.
RULES_TO_DISABLE = ("SARIF2006",)

_PLATFORM_PACKAGES = {
    "linux": "@microsoft/sarif-multitool-linux",
    "darwin": "@microsoft/sarif-multitool-darwin",
    "win32": "@microsoft/sarif-multitool-win32",
}

_STAMP = ".phi-lint-installed.json"
_CONFIG = "gh-validation.xml"
_DEFAULT_CONFIG = "default-validation.xml"

_REPORTED_LEVELS = ("error", "warning")

_INSTALL_TIMEOUT = 900
_RUN_TIMEOUT = 300


# --------------------------------------------------------------------------- paths


def tools_dir() -> Path:
    """The cache directory for tools: ``$PHI_LINT_TOOLS_DIR`` or ``<repo>/.cache/tools``."""
    configured = os.environ.get("PHI_LINT_TOOLS_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return REPO_ROOT / ".cache" / "tools"


def install_dir() -> Path:
    """Where this version of the multitool is (or will be) installed."""
    return tools_dir() / f"sarif-multitool-{MULTITOOL_VERSION}"


def config_path() -> Path:
    """The validation configuration with the GitHub rules switched on."""
    return install_dir() / _CONFIG


def _platform_package() -> str:
    key = "win32" if sys.platform.startswith(("win32", "cygwin")) else sys.platform
    if key.startswith("linux"):
        key = "linux"
    try:
        return _PLATFORM_PACKAGES[key]
    except KeyError:
        raise RuntimeError(
            f"the SARIF multitool has no npm build for this platform ({sys.platform}); "
            f"builds exist for {', '.join(sorted(_PLATFORM_PACKAGES))}"
        ) from None


# --------------------------------------------------------------------------- install


def _run(cmd: list[str], *, cwd: Path | None = None, timeout: int, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, timeout=timeout,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", errors="replace",
    )


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _tool_env() -> dict[str, str]:
    env = os.environ.copy()
    # The multitool is a self-contained .NET app: without this it needs libicu.
    env["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1"
    env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1"
    env["DOTNET_NOLOGO"] = "1"
    return env


@contextlib.contextmanager
def _install_lock(directory: Path) -> Iterator[None]:
    """Serialise installs (pytest-xdist workers, parallel CI steps) where flock exists."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no lock, installs are idempotent anyway
        yield
        return
    with open(directory / ".sarif-multitool.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _installed_binary() -> Path | None:
    """The binary of a complete earlier install, or None."""
    stamp = install_dir() / _STAMP
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MULTITOOL_VERSION:
        return None
    binary = Path(str(data.get("binary", "")))
    if not binary.is_file() or not os.access(binary, os.X_OK) or not config_path().is_file():
        return None
    return binary


def _npm_install(directory: Path) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing = " and ".join(name for name, path in (("node", node), ("npm", npm)) if path is None)
        raise RuntimeError(
            f"cannot install the SARIF multitool: {missing} not found on PATH. "
            "Install Node.js with npm (e.g. `apt-get install nodejs npm`)."
        )
    manifest = {
        "name": "phi-lint-sarif-multitool",
        "private": True,
        "description": "Cache of the SARIF multitool for phi-lint's tests (tests/sarif_multitool.py).",
        "dependencies": {
            "@microsoft/sarif-multitool": MULTITOOL_VERSION,
            _platform_package(): MULTITOOL_VERSION,
        },
    }
    (directory / "package.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    # --ignore-scripts: the platform package's only script is `chmod u+x`, done below.
    cmd = [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"]
    try:
        proc = _run(cmd, cwd=directory, timeout=_INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"`npm install` of the SARIF multitool failed in {directory}: {exc}") from exc
    if proc.returncode != 0:
        raise RuntimeError(
            f"`npm install` of @microsoft/sarif-multitool@{MULTITOOL_VERSION} failed "
            f"(exit {proc.returncode}) in {directory}:\n{_tail(proc.stderr + proc.stdout)}"
        )


def _resolve_binary(directory: Path) -> Path:
    """Ask the platform package itself where its binary is (its index.js exports the path)."""
    package = _platform_package()
    node = shutil.which("node") or "node"
    try:
        proc = _run([node, "-p", f"require({json.dumps(package)})"], cwd=directory, timeout=60)
        resolved = proc.stdout.strip() if proc.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired):
        resolved = ""
    binary = Path(resolved) if resolved else directory / "node_modules" / package / "Sarif.Multitool"
    if not binary.is_file():
        raise RuntimeError(f"the SARIF multitool binary is missing after install (looked for {binary})")
    if os.name != "nt":
        binary.chmod(binary.stat().st_mode | 0o100)
    return binary


def _check_version(binary: Path) -> None:
    try:
        proc = _run([str(binary), "--version"], timeout=120, env=_tool_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"the SARIF multitool does not start on this machine ({binary}): {exc}") from exc
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0 or f"SARIF Multitool {MULTITOOL_VERSION}" not in output:
        raise RuntimeError(
            f"`{binary} --version` failed (exit {proc.returncode}); expected version "
            f"{MULTITOOL_VERSION}:\n{_tail(output)}"
        )


def _rule_option_pattern(rule_id: str) -> re.Pattern[str]:
    return re.compile(
        r'(<Properties Key="' + re.escape(rule_id) + r'\.[A-Za-z0-9_]+\.Options">\s*'
        r'<Property Key="RuleEnabled" Value=")[^"]*(")'
    )


def make_github_config(default_config: str) -> str:
    """Turn the exported default configuration into the one used for validation."""
    text = default_config
    for rule_id, state in [(r, "Error") for r in GH_RULES_TO_ENABLE] + [(r, "Disabled") for r in RULES_TO_DISABLE]:
        text, count = _rule_option_pattern(rule_id).subn(r"\g<1>" + state + r"\g<2>", text)
        if count != 1:
            raise RuntimeError(
                f"the exported multitool configuration has {count} RuleEnabled entries for {rule_id} "
                "(expected 1); the configuration format of this multitool version is not the one "
                "tests/sarif_multitool.py knows"
            )
    return text


def _export_config(binary: Path, directory: Path) -> None:
    exported = directory / _DEFAULT_CONFIG
    try:
        proc = _run([str(binary), "export-validation-config", str(exported)], timeout=120, env=_tool_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"`export-validation-config` failed: {exc}") from exc
    if proc.returncode != 0 or not exported.is_file():
        raise RuntimeError(
            f"`{binary} export-validation-config` failed (exit {proc.returncode}):\n"
            f"{_tail(proc.stdout + proc.stderr)}"
        )
    config = make_github_config(exported.read_text(encoding="utf-8-sig"))
    config_path().write_text(config, encoding="utf-8")


def ensure_multitool() -> Path:
    """Install the pinned multitool and its GitHub validation config if needed; return the binary.

    Raises RuntimeError with the reason when node/npm are missing, the install
    fails or the installed binary does not run.
    """
    binary = _installed_binary()
    if binary is not None:
        return binary
    directory = install_dir()
    with _install_lock(tools_dir()):
        binary = _installed_binary()  # another process may have finished meanwhile
        if binary is not None:
            return binary
        directory.mkdir(parents=True, exist_ok=True)
        (directory / _STAMP).unlink(missing_ok=True)
        binary = _installed_binary_from_node_modules(directory)
        if binary is None:
            _npm_install(directory)
            binary = _resolve_binary(directory)
        _check_version(binary)
        _export_config(binary, directory)
        stamp = {"version": MULTITOOL_VERSION, "binary": str(binary), "package": _platform_package()}
        (directory / _STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        return binary


def _installed_binary_from_node_modules(directory: Path) -> Path | None:
    """Reuse a node_modules left by an install whose config step did not finish."""
    manifest = directory / "node_modules" / _platform_package() / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    if version != MULTITOOL_VERSION:
        return None
    try:
        return _resolve_binary(directory)
    except RuntimeError:
        return None


# --------------------------------------------------------------------------- results


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\d+)(?:[,:][^{}]*)?\}")


def _format_message(message: dict[str, Any], rule: dict[str, Any] | None) -> str:
    text = message.get("text")
    if not isinstance(text, str):
        template = ((rule or {}).get("messageStrings") or {}).get(message.get("id"), {})
        text = template.get("text") if isinstance(template, dict) else None
        if not isinstance(text, str):
            return f"{message.get('id', '?')} {message.get('arguments', [])}"
    arguments = [str(a) for a in message.get("arguments") or []]

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        index = int(match.group(1))
        return arguments[index] if index < len(arguments) else token

    return _PLACEHOLDER.sub(substitute, text)


def _uri_to_display(uri: str, target: Path, display: str) -> str:
    parsed = urlparse(uri)
    local = unquote(parsed.path) if parsed.scheme == "file" else (uri if not parsed.scheme or len(parsed.scheme) == 1 else "")
    if local:
        try:
            if Path(local).resolve() == target.resolve():
                return display
        except OSError:
            pass
        return local
    return uri


def _location(result: dict[str, Any], target: Path, display: str) -> str:
    for location in result.get("locations") or []:
        physical = location.get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        where = _uri_to_display(uri, target, display) if isinstance(uri, str) else display
        region = physical.get("region") or {}
        if "startLine" in region:
            where += f":{region['startLine']}"
            if "startColumn" in region:
                where += f":{region['startColumn']}"
        return where
    return display


def _rule_for(result: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any] | None:
    index = result.get("ruleIndex")
    if isinstance(index, int) and 0 <= index < len(rules):
        return rules[index]
    for rule in rules:
        if rule.get("id") == result.get("ruleId"):
            return rule
    return None


def _expected_notification(notification: dict[str, Any]) -> bool:
    """The multitool warns that a rule was disabled: expected for RULES_TO_DISABLE."""
    descriptor = (notification.get("descriptor") or {}).get("id", "")
    text = (notification.get("message") or {}).get("text", "")
    return descriptor.startswith("WRN999") and any(f"'{rule}'" in text for rule in RULES_TO_DISABLE)


def problems_from_log(log: dict[str, Any], target: Path, display: str | None = None) -> list[str]:
    """Error- and warning-level results and notifications of a multitool output log.

    Each problem reads ``LOCATION: LEVEL RULE: MESSAGE``; LOCATION is the
    validated file (``display``) with the line and column in it.
    """
    display = display if display is not None else str(target)
    problems: list[str] = []
    for run in log.get("runs") or []:
        rules = ((run.get("tool") or {}).get("driver") or {}).get("rules") or []
        for result in run.get("results") or []:
            rule = _rule_for(result, rules)
            level = result.get("level") or ((rule or {}).get("defaultConfiguration") or {}).get("level") or "warning"
            if level not in _REPORTED_LEVELS:
                continue
            message = _format_message(result.get("message") or {}, rule)
            problems.append(f"{_location(result, target, display)}: {level} {result.get('ruleId', '?')}: {message}")
        for invocation in run.get("invocations") or []:
            notifications = (invocation.get("toolConfigurationNotifications") or []) + (
                invocation.get("toolExecutionNotifications") or []
            )
            for notification in notifications:
                level = notification.get("level", "warning")
                if level not in _REPORTED_LEVELS or _expected_notification(notification):
                    continue
                descriptor = (notification.get("descriptor") or {}).get("id", "?")
                text = (notification.get("message") or {}).get("text", "")
                problems.append(f"{display}: {level} {descriptor}: {text}")
            if invocation.get("executionSuccessful") is False:
                problems.append(f"{display}: error multitool: the validation run did not complete successfully")
    return problems


# --------------------------------------------------------------------------- validate


def validate(path: str | os.PathLike[str]) -> list[str]:
    """Validate one SARIF file with the multitool (Sarif and Ghas rules, GH1001-GH1007 as errors).

    Returns the error- and warning-level problems as readable strings; an
    empty list means the file is clean. Raises FileNotFoundError for a missing
    file and RuntimeError when the multitool cannot be installed or run.
    """
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"no such SARIF file: {target}")
    binary = ensure_multitool()
    with tempfile.TemporaryDirectory(prefix="phi-lint-sarif-") as scratch:
        out = Path(scratch) / "validation.sarif"
        cmd = [
            str(binary), "validate", str(target.resolve()),
            "--rule-kind", RULE_KIND,
            "-c", str(config_path()),
            "-o", str(out),
            "--log", "ForceOverwrite",
        ]
        try:
            proc = _run(cmd, timeout=_RUN_TIMEOUT, env=_tool_env())
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"the SARIF multitool failed on {target}: {exc}") from exc
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(
                f"the SARIF multitool failed on {target} (exit {proc.returncode}):\n"
                f"{_tail(proc.stdout + proc.stderr)}"
            )
        try:
            log = json.loads(out.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise RuntimeError(f"the SARIF multitool wrote an unreadable log for {target}: {exc}") from exc
    return problems_from_log(log, target, display=str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/sarif_multitool.py",
        description=(
            f"Validate SARIF files with Microsoft's SARIF multitool {MULTITOOL_VERSION} "
            f"(--rule-kind {RULE_KIND}, GitHub rules GH1001-GH1007 as errors). "
            "Exit status: 0 clean, 1 problems found, 2 the multitool could not run."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="SARIF files to validate")
    args = parser.parse_args(argv)
    found = 0
    for name in args.files:
        try:
            problems = validate(name)
        except (RuntimeError, FileNotFoundError) as exc:
            print(f"sarif_multitool: {exc}", file=sys.stderr)
            return 2
        for problem in problems:
            print(problem)
        found += len(problems)
    if found:
        print(f"{found} problem(s) in {len(args.files)} file(s).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
