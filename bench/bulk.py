"""Rows written as fast as the database takes them: PostgreSQL's COPY, for the benchmark's
hundreds of thousands of rows that nothing needs the ids of; `bulk_create` elsewhere."""

import json

from django.db import connection, models


def rows_copy(model, attnames, rows) -> int:
    """Insert `rows` (tuples of Python values in the order of `attnames`, e.g. "lesson_id")
    into the model's table, bypassing `save()`, signals and `auto_now_add`. Returns how many."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=1000
        )
        return len(rows)
    fields = {field.attname: field for field in model._meta.concrete_fields}
    columns = [fields[name].column for name in attnames]
    as_json = [isinstance(fields[name], models.JSONField) for name in attnames]
    dumped = {}  # the same object (a quiz as asked) serialised once

    def prepared(row):
        if not any(as_json):
            return row
        return tuple(
            _json(value, dumped) if is_json and value is not None else value
            for value, is_json in zip(row, as_json, strict=True)
        )

    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(prepared(row))
    return len(rows)


def _json(value, dumped):
    key = id(value)
    if key not in dumped:
        dumped[key] = (value, json.dumps(value))  # keep the object, so its id stays its own
    return dumped[key][1]
