from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="commerce", model="ledgerentry")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="add_ledgerentry",
        defaults={"name": "Can add ledger entry"},
    )
    Group.objects.get(name="Editors").permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0002_editors_handle_money")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
