"""rules/library-cdns.toml: public library CDNs (inventory only) and shared-hosting suffixes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from phi_lint.errors import UserError
from phi_lint.resources import rules_dir
from phi_lint.thirdparty.hosts import valid_host, within

CDN_FILE = "library-cdns.toml"
LIBRARY_CDN = "library-cdn"  # the classification of a library CDN's host


@dataclass(frozen=True)
class LibraryCdns:
    names: dict[str, str]  # host -> display name
    shared_hosting: tuple[str, ...]

    def name_of(self, host: str) -> str | None:
        """The CDN's name when host is a library CDN host or a subdomain of one."""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            name = self.names.get(".".join(parts[i:]))
            if name is not None:
                return name
        return None

    def is_shared(self, host: str) -> bool:
        return within(host, self.shared_hosting)


@lru_cache(maxsize=1)
def library_cdns() -> LibraryCdns:
    from phi_lint.tomlread import load_toml

    path = rules_dir() / CDN_FILE
    data = load_toml(path)
    names: dict[str, str] = {}
    for index, entry in enumerate(data.get("cdn", [])):
        host, name = entry.get("host"), entry.get("name")
        if not isinstance(host, str) or not valid_host(host) or not isinstance(name, str) or not name:
            raise UserError(f"{path}: `cdn[{index}]` needs a valid `host` and a `name`")
        names[host] = name
    shared = data.get("shared-hosting", [])
    if not all(isinstance(s, str) and valid_host(s) for s in shared):
        raise UserError(f"{path}: `shared-hosting` must be a list of host names")
    return LibraryCdns(names, tuple(shared))
