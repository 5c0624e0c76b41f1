from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "eduplan.ledger"
    label = "ledger"
    verbose_name = "督办台账"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import logins  # noqa: F401  (the sign-in signal receivers)
