"""Editors (the platform's staff) see orders and the ledger, decide refunds and edit the
commerce settings; nobody edits an order or a ledger row by hand."""

from django.db import migrations

GRANTS = [
    ("order", "view_order"),
    ("refund", "view_refund"),
    ("refund", "add_refund"),
    ("refund", "change_refund"),
    ("ledgerentry", "view_ledgerentry"),
    ("payoutaccount", "view_payoutaccount"),
    ("commercesettings", "change_commercesettings"),
]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    editors = Group.objects.get(name="Editors")
    for model, codename in GRANTS:
        content_type, _ = ContentType.objects.get_or_create(app_label="commerce", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        editors.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0001_orders_refunds_ledger"),
        ("coursepages", "0002_catalog_roles_and_review_workflow"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
