from django.contrib import admin

from attain.apps.audit.audited import AuditedAdmin
from attain.apps.catalog.models import Account, Product, ProductFamily
from attain.apps.core.display import amount_column


@admin.register(Account)
class AccountAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["external_id", "name", "industry", "segment", "country", "region", "city", "postal_code"]
    list_filter = ["segment", "industry", "country"]
    search_fields = ["external_id", "name", "city", "postal_code"]
    autocomplete_fields = ["parent"]
    show_full_result_count = False


@admin.register(ProductFamily)
class ProductFamilyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Product)
class ProductAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["sku", "name", "family", amount_column("list_price"), amount_column("unit_cost"), "currency", "recurring", "active"]
    list_filter = ["family", "currency", "recurring", "active"]
    search_fields = ["sku", "name"]
    list_select_related = ["family", "currency"]
