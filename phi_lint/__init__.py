"""phi-lint: find trackers on authenticated and health-related pages."""

__version__ = "0.1.0"
