"""Rules a request can break, and account's own.

`RuleError` is the base of every app's rule errors (accounts', learning's,
commerce's, certification's): accounts is the one app every other may import. The API answers each as problem JSON with its `code`.
"""


class RuleError(Exception):
    code = "conflict"
    title = "Conflict"

    def __init__(self, detail):
        self.detail = detail
        super().__init__(detail)

    def extensions(self):
        """Members a client needs besides the message, e.g. the id of what is in the way."""
        return {}


class EmailTaken(RuleError):
    code = "email_taken"
    title = "E-mail already registered"

    def __init__(self):
        super().__init__("An account with this e-mail address already exists.")


class WrongPassword(RuleError):
    code = "wrong_password"
    title = "Wrong password"

    def __init__(self):
        super().__init__("The current password is not right.")


class InvalidLink(RuleError):
    code = "invalid_link"
    title = "Link invalid or expired"

    def __init__(self, what: str):
        super().__init__(
            f"This {what} link is invalid, expired or already used: ask for a new one."
        )


class AccountCannotClose(RuleError):
    code = "account_cannot_close"
    title = "This account cannot be closed here"


class EmailUnverified(RuleError):
    code = "email_unverified"
    title = "E-mail address not verified"

    def __init__(self):
        super().__init__(
            "Confirm your e-mail address first: follow the link we sent (ask for a new one at "
            "auth/email/verify/resend/)."
        )


class AccountLocked(RuleError):
    code = "account_locked"
    title = "Account locked after failed sign-ins"

    def __init__(self, minutes: int):
        self.minutes = minutes
        super().__init__(
            f"Too many wrong passwords for this account: sign-in is locked for {minutes} "
            "minutes. Resetting the password by e-mail works meanwhile."
        )

    def extensions(self):
        return {"locked_minutes": self.minutes}
