from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "attain.apps.api"
    label = "api"
    verbose_name = "REST API"
