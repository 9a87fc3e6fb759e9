"""The settings a configuration file may hold (read by config.py, named in the rule help)."""

KEYS = frozenset({
    "exclude", "extend-exclude", "select", "ignore", "baa-vendors", "vendor-dirs", "pages",
    "infer", "max-file-size", "strict", "per-file-ignores", "baseline", "frameworks", "first-party",
    "profile",
})
