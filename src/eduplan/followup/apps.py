from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "eduplan.followup"
    label = "followup"
    verbose_name = "督办工作"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import instructions  # noqa: F401  connects the 批示 notices
