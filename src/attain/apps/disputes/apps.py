from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "attain.apps.disputes"
    label = "disputes"
    verbose_name = "Disputes"
