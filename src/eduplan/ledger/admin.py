"""The administrator's screens: users, departments, districts, schools. Audit entries are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Org, User

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


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "sentence", "task", "plan")

    @admin.display(description=_("记录"))
    def sentence(self, entry):
        return entry.sentence
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
