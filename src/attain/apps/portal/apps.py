from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "attain.apps.portal"
    label = "portal"
    verbose_name = "Portals"
