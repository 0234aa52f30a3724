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
