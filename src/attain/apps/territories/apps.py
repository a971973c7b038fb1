from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "attain.apps.territories"
    label = "territories"
    verbose_name = "Territories"
