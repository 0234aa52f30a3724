"""What coursepages announces beyond Wagtail's own page signals; sent inside the transaction
of the change, so listeners that write commit or roll back with it."""

from django.dispatch import Signal

# sender=CoursePage, course=<CoursePage>: the course was archived (closed to new learners).
course_archived = Signal()
