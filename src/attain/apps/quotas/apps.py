from django.apps import AppConfig


class QuotasConfig(AppConfig):
    name = "attain.apps.quotas"
    label = "quotas"
    verbose_name = "Quotas"
