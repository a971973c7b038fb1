"""The workspace's plan pages (editor, test runner, what-if)."""

urlpatterns: list = []
