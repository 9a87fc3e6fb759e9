"""Errors that are the user's to fix: reported as one clear line, exit status 2."""


class UserError(Exception):
    """A usage or configuration problem. The message names the file and key."""


class UsageProblem(UserError):
    """A mistake in the command line found by phi-lint itself (an unknown format, say); `hint`
    is the one line said after it. (Here, not beside the help pages in phi_lint.cli_usage, so a
    plain `check` run raises it without importing the option parser.)"""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint
