from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "attain.apps.core"
    label = "core"
    verbose_name = "Calendar and currencies"
