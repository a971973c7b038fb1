from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "attain.apps.org"
    label = "org"
    verbose_name = "Organisation and people"
