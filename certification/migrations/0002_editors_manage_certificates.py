"""Editors (the platform's staff role) see and manage certificates in the Wagtail admin."""

from django.db import migrations

PERMISSIONS = [
    ("view_certificate", "Can view certificate"),
    ("manage_certificate", "Can revoke, reissue and re-render certificates"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="certification", model="certificate"
    )
    for codename, name in PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_certificate"),
        ("coursepages", "0002_catalog_roles_and_review_workflow"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
