from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "attain.apps.audit"
    label = "audit"
    verbose_name = "Audit log"
