"""API tokens in the admin: listed and revoked there, created with `attain token create` (the secret is shown once)."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone

from attain.apps.api.models import ApiToken
from attain.apps.audit.audited import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "state", "created_at", "expires_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # the secret must be shown once to its owner: `attain token create`

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        return token.state()

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset) -> None:
        from attain.apps.api.tokens import revoke_token
        from attain.apps.audit.models import AuditEntry

        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            revoke_token(token.user.username, token.name, source=AuditEntry.Source.ADMIN)
        self.message_user(request, f"Revoked at {timezone.now():%Y-%m-%d %H:%M}.")
