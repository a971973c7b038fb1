from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "attain.apps.catalog"
    label = "catalog"
    verbose_name = "Accounts and products"
