from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "attain.apps.workspace"
    label = "workspace"
    verbose_name = "Comp admin workspace"
