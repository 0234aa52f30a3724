"""One account per e-mail address, whatever its letter case (blank e-mails excepted)."""

from django.db import migrations

INDEX = "auth_user_email_lower_uniq"


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        )
    ]
