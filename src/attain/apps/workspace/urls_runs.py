"""The workspace's data pages (imports, calculation runs, results, period close)."""

urlpatterns: list = []
