from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "attain.apps.sales"
    label = "sales"
    verbose_name = "Transactions and pipeline"
