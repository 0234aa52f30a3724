"""Shared by the tests that race real threads on a database server."""

import threading

from django.db import connection


def connections_to_spare():
    """How many connections the threads may hold at once: the server's limit (100 by
    default, 3 of them reserved) leaves no room for 100 threads plus the test's own."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        in_use = cursor.fetchone()[0]
    return max(1, limit - in_use - 10)


def run_at_once(calls):
    """Run each call in its own thread and connection, all released together; at most as
    many at a time as the server has connections to spare. Returns their answers."""
    barrier = threading.Barrier(len(calls))
    connections = threading.BoundedSemaphore(min(len(calls), connections_to_spare()))
    answers = []

    def run(call):
        barrier.wait()
        with connections:
            try:
                answers.append(call())
            finally:
                connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
