"""The host of a URL, and host patterns.

A pattern is an exact host (`cdn.riverbend.org`) or a domain with its subdomains
(`*.riverbend.org`, which also matches `riverbend.org` itself). Only absolute URLs have a
host: `https://`, `http://`, `wss://`, `ws://` and protocol-relative `//host`; a relative URL is
the site's own.
"""

from __future__ import annotations

import re

from phi_lint.lazyre import lazy_pattern

_ABSOLUTE = lazy_pattern(r"^\s*(?:(?:https?|wss?):)?//([^/?#\s\\'\"<>]+)", re.IGNORECASE)
_HOST = lazy_pattern(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z][a-z0-9-]*[a-z0-9]$")
# names reserved for examples, tests and local networks (RFC 2606, RFC 6761): never a third party
_RESERVED_SUFFIXES = ("example", "test", "invalid", "localhost", "local", "internal", "lan", "home.arpa")
_RESERVED_HOSTS = ("example.com", "example.org", "example.net")


def valid_host(host: str) -> bool:
    return len(host) <= 253 and _HOST.match(host) is not None


def host_of(url: str) -> str | None:
    """The lower-case host of an absolute URL, or None (relative, templated, an IP address, a
    reserved example or local name)."""
    match = _ABSOLUTE.match(url)
    if match is None:
        return None
    authority = match.group(1).rsplit("@", 1)[-1]
    host = authority.split(":", 1)[0].rstrip(".").lower()
    if not valid_host(host) or is_reserved(host):
        return None
    return host


def is_reserved(host: str) -> bool:
    return within(host, _RESERVED_HOSTS) or host.rsplit(".", 1)[-1] in _RESERVED_SUFFIXES or host.endswith(".home.arpa")


def within(host: str, domains) -> bool:
    """Whether host is one of domains or a subdomain of one."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def parse_pattern(pattern: str) -> tuple[str, bool] | None:
    """(domain, with subdomains) of `*.riverbend.org` or `cdn.riverbend.org`, or None if invalid."""
    text = pattern.strip().lower()
    wildcard = text.startswith("*.")
    host = text[2:] if wildcard else text
    return (host, wildcard) if valid_host(host) else None


class HostPatterns:
    """Exact hosts and wildcard domains, each with where it came from."""

    def __init__(self):
        self.exact: dict[str, str] = {}
        self.domains: dict[str, str] = {}

    def add(self, pattern: str, origin: str) -> bool:
        parsed = parse_pattern(pattern)
        if parsed is None:
            return False
        host, wildcard = parsed
        (self.domains if wildcard else self.exact).setdefault(host, origin)
        return True

    def origin(self, host: str) -> str | None:
        """Where the pattern that covers host came from, or None when none does."""
        if host in self.exact:
            return self.exact[host]
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = self.domains.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def __bool__(self) -> bool:
        return bool(self.exact or self.domains)
