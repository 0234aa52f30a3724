"""Real-browser tests: Playwright drives Debian's Chromium against Django's live server.

Playwright cannot download its own browsers here, so it launches the system's
(scripts/system-deps.sh installs it); CHROMIUM_PATH names another one.
"""

import os

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Auto-waiting assertions give a slow admin page this long to show what is expected.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One Chromium for every test in this package, stopped when the package is done.

    Between its calls, Playwright's sync API leaves an asyncio loop marked as running in
    the test thread. Django then takes the thread for async code: it refuses ORM calls,
    and its connection handler (thread-critical) looks in a separate, empty store, so a
    test would get a second connection without the test database's serialized rollback
    (and, on in-memory SQLite, not the one the live server shares). So while Playwright
    is open, the test thread keeps its own connections and may use them; the tests' own
    queries run between browser calls, never inside one. Package scope keeps the rest of
    the suite under Django's usual rules.
    """
    own = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in own.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH)
        yield browser
        browser.close()
        for alias in own:
            del connections[alias]  # from the loop's store; the thread's own keeps them


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
    page = context.new_page()
    yield page
    context.close()
