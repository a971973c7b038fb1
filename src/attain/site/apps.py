from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "attain.site"
    label = "site"
    verbose_name = "Attain site"

    def ready(self) -> None:
        from attain.engine.threads import per_thread
        from attain.site import checks  # noqa: F401  (registers the deployment checks)

        per_thread()  # the server's threads each run the engine (estimates, what-if) on a DuckDB connection of their own
