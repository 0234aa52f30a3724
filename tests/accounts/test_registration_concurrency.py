"""Registrations of one e-mail at the same moment, on a real database server: one account,
and every other request told the e-mail is taken (never an error about a field nobody sent)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.test import APIClient

from tests.api_helpers import assert_problem
from tests.concurrency_helpers import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs a database server: SQLite serialises every writer anyway",
    ),
]


@pytest.mark.parametrize("spellings", [["ada@example.com"], ["ada@example.com", "Ada@Example.COM"]])
def test_one_account_for_an_e_mail_registered_eight_times_at_once(spellings):
    def register(email):
        return lambda: APIClient().post(
            "/api/v1/auth/register/", {"email": email, "password": "a-long-unusual-passphrase"}
        )

    responses = run_at_once([register(spellings[n % len(spellings)]) for n in range(8)])

    assert sorted(response.status_code for response in responses) == [201] + [409] * 7
    for response in responses:
        if response.status_code == 409:
            assert_problem(response, 409, "email_taken")
    assert list(get_user_model().objects.values_list("email", flat=True)) == ["ada@example.com"]
