"""Where the shipped data lives: `rules/` inside the wheel, or at the repository root."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def rules_dir() -> Path:
    """The catalogue directory: packaged copy first, then the source checkout's."""
    packaged = _PACKAGE_DIR / "rules"
    if (packaged / "vendors").is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent / "rules"
    if (checkout / "vendors").is_dir():
        return checkout
    raise FileNotFoundError(
        "phi-lint's vendor catalogue (rules/vendors) is missing from the installation"
    )
