"""Helpers for driving the Wagtail admin the way an editor's browser does."""

from django.contrib.messages import get_messages
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html


def assert_refused(response):
    """Wagtail's admin answers a permission denial by sending the user to the dashboard."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response.url == "/admin/"
        assert any("permission" in str(m) for m in get_messages(response.wsgi_request))


def edit_form_data(client, page, **changes):
    """The page's edit form as the browser would post it, with `changes` applied."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def staff_without_roles():
    """A user who may sign in to the admin but is neither a specialist nor an editor."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories import UserFactory

    group, _ = Group.objects.get_or_create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    return user


def submit(client, page, **changes):
    """Save the page's edit form with `changes` and submit it for review, as the button does."""
    data = edit_form_data(client, page, **changes)
    data["action-submit"] = "action-submit"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def latest_workflow_state(page):
    return WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()


def admin_sign_in(client, username, password):
    """Sign in through the Wagtail admin's login form, as a person does; True when it worked
    (the form redirects to the dashboard)."""
    client.logout()
    response = client.post("/admin/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session
