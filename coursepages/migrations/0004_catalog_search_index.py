"""A GIN index for catalog full-text search, on PostgreSQL (other databases search without it)."""

from django.db import migrations

INDEX = "coursepages_course_search_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON coursepages_coursepage "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("coursepages", "0003_catalog_read_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
