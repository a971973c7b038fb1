"""The audit log in the admin: read-only for everyone, filtered and searched; an entry shows before and after."""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpResponse
from django.utils.html import format_html, format_html_join

from attain.apps.audit.audited import ReadOnly
from attain.apps.audit.export import FORMATS, write_entries
from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import Action, Source, changes, record


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "who", "action", "object_type", "object_id", "object_repr", "source", "short_reason"]
    list_filter = ["action", "object_type", "source", "username", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_repr", "=object_id", "object_type", "reason", "username"]
    show_full_result_count = False
    list_per_page = 50
    actions = ["export_csv", "export_jsonl"]
    fieldsets = [
        (None, {"fields": ["at", "who", "action", "source", "object_type", "object_id", "object_repr", "reason"]}),
        ("Before and after", {"fields": ["changed_fields", "before_and_after"]}),
    ]
    readonly_fields = ["at", "who", "action", "source", "object_type", "object_id", "object_repr", "reason",
                       "changed_fields", "before_and_after"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.defer("before", "after")  # the list never shows them; they can be long
        return queryset

    @admin.display(description="user", ordering="username")
    def who(self, entry: AuditEntry) -> str:
        if not entry.username:
            return "(system)"
        return entry.username if entry.user_id else f"{entry.username} (deleted user)"

    @admin.display(description="reason")
    def short_reason(self, entry: AuditEntry) -> str:
        return entry.reason if len(entry.reason) <= 60 else entry.reason[:59] + "…"

    @admin.display(description="changed")
    def changed_fields(self, entry: AuditEntry) -> str:
        """Each field that differs, its value before and after."""
        before, after = changes(entry.before, entry.after)
        keys = [k for k in {**before, **after}]
        if not keys:
            return "–"
        rows = format_html_join("", "<tr><th>{}</th><td><pre>{}</pre></td><td><pre>{}</pre></td></tr>",
                                ((k, _shown(before.get(k, "")), _shown(after.get(k, ""))) for k in keys))
        return format_html('<table class="audit-changes"><thead><tr><th>field</th><th>before</th><th>after</th>'
                           "</tr></thead><tbody>{}</tbody></table>", rows)

    @admin.display(description="whole record")
    def before_and_after(self, entry: AuditEntry) -> str:
        """The full before and after, side by side, as indented JSON."""
        return format_html('<table class="audit-before-after"><thead><tr><th>before</th><th>after</th></tr></thead>'
                           '<tbody><tr><td style="vertical-align:top"><pre>{}</pre></td>'
                           '<td style="vertical-align:top"><pre>{}</pre></td></tr></tbody></table>',
                           _pretty(entry.before), _pretty(entry.after))

    @admin.action(description="Export the selected entries as CSV")
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description="Export the selected entries as JSON lines")
    def export_jsonl(self, request, queryset):
        return self._export(request, queryset, "jsonl")

    def _export(self, request, queryset, format_: str) -> HttpResponse:
        response = HttpResponse(content_type=FORMATS[format_].content_type)
        response["Content-Disposition"] = f'attachment; filename="audit-log.{format_}"'
        rows = write_entries(queryset.defer(None).order_by("at", "id"), response, format_)
        record(Action.EXPORTED, object_type=AuditEntry._meta.label, object_repr=f"{rows} audit entries",
               after={"format": format_, "rows": rows}, user=request.user, source=Source.ADMIN)
        return response


def _pretty(value) -> str:
    return "–" if value is None else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _shown(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
