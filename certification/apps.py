from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"

    def ready(self):
        from certification import checks, receivers  # noqa: F401
