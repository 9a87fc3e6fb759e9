"""Errors that are the user's to fix: reported as one clear line, exit status 2."""


class UserError(Exception):
    """A usage or configuration problem. The message names the file and key."""
