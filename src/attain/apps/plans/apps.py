from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "attain.apps.plans"
    label = "plans"
    verbose_name = "Plans and goals"
