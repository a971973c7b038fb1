from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.territories.models import AccountTerritory, Territory, TerritoryPosition, TerritoryRule


class TerritoryRuleInline(admin.TabularInline):
    model = TerritoryRule
    extra = 0
    autocomplete_fields = ["account"]


@admin.register(Territory)
class TerritoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [TerritoryRuleInline]


@admin.register(TerritoryRule)
class TerritoryRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["territory", "kind", "value", "account", "priority", "valid_from", "valid_to"]
    list_filter = ["kind", "territory__level"]
    search_fields = ["territory__code", "value", "account__name"]
    autocomplete_fields = ["territory", "account"]
    list_select_related = ["territory", "account"]


@admin.register(TerritoryPosition)
class TerritoryPositionAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["territory", "position", "role", "valid_from", "valid_to"]
    list_filter = ["role", "territory__level"]
    search_fields = ["territory__code", "position__code", "position__name"]
    autocomplete_fields = ["territory", "position"]
    list_select_related = ["territory", "position"]


@admin.register(AccountTerritory)
class AccountTerritoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["account", "territory", "source", "valid_from", "valid_to"]
    list_filter = ["source", "territory"]
    search_fields = ["account__name", "account__external_id", "territory__code"]
    autocomplete_fields = ["account", "territory"]
    list_select_related = ["account", "territory"]
    show_full_result_count = False
