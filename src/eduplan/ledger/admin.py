"""The administrator's screens: users, departments, districts, schools. Audit entries are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, LoginLockRelease, Org, SecurityEvent, User

try:  # DRF's plain-text tokens are not used (tokens.py): nothing of them in the admin
    from rest_framework.authtoken.models import TokenProxy

    admin.site.unregister(TokenProxy)
except (ImportError, admin.sites.NotRegistered):
    pass

admin.site.site_header = _("督办台账管理")
admin.site.site_title = _("督办台账管理")
admin.site.index_title = _("用户与单位")


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(User)
class LedgerUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "role", "org", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*UserAdmin.fieldsets, (_("督办"), {"fields": ("role", "org")}))
    actions = ["release_lock", "deactivate"]

    @admin.action(description="解除登录锁定")
    def release_lock(self, request, queryset):
        for user in queryset:
            LoginLockRelease.objects.create(username=user.username.lower(), released_by=request.user)
        self.message_user(request, f"已解除 {queryset.count()} 个用户的登录锁定")

    @admin.action(description="停用（保留操作记录）")
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"已停用 {count} 个用户；其操作记录保持不变")


@admin.register(LoginLockRelease)
class LoginLockReleaseAdmin(admin.ModelAdmin):
    """Lift a lockout early: by user name, or by address (several users behind one address)."""

    list_display = ("at", "username", "address", "released_by")
    fields = ("username", "address")

    def save_model(self, request, obj, form, change):
        obj.username = obj.username.strip().lower()
        obj.released_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """A record the platform writes and nobody edits: shown, never added, changed or deleted here."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(RecordAdmin):
    list_display = ("at", "action", "username", "address", "detail")
    list_filter = ("action",)
    search_fields = ("username", "address")


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ("at", "actor_name", "sentence", "task", "plan")

    @admin.display(description=_("记录"))
    def sentence(self, entry):
        return entry.sentence
