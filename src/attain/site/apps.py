from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "attain.site"
    label = "site"
    verbose_name = "Attain site"

    def ready(self) -> None:
        from attain.site import checks  # noqa: F401  (registers the deployment checks)
