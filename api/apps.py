from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        from django.urls import register_converter

        from api.converters import IdConverter

        register_converter(IdConverter, "id")  # `<id:pk>` in every domain's URLconf
