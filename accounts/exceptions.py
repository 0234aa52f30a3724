"""Account rules a request can break; the API answers each as problem JSON with its code."""


class AccountError(Exception):
    code = "conflict"
    title = "Conflict"

    def __init__(self, detail):
        self.detail = detail
        super().__init__(detail)

    def extensions(self):
        return {}


class EmailTaken(AccountError):
    code = "email_taken"
    title = "E-mail already registered"

    def __init__(self):
        super().__init__("An account with this e-mail address already exists.")
