from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "attain.apps.imports"
    label = "imports"
    verbose_name = "Data imports"
