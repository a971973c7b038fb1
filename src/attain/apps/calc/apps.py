from django.apps import AppConfig


class CalcConfig(AppConfig):
    name = "attain.apps.calc"
    label = "calc"
    verbose_name = "Calculations"
