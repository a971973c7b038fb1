from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "attain.apps.payments"
    label = "payments"
    verbose_name = "Payments"
