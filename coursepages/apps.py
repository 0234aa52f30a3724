from django.apps import AppConfig


class CoursePagesConfig(AppConfig):
    name = "coursepages"
    verbose_name = "Course pages"

    def ready(self):
        from coursepages import signals  # noqa: F401
