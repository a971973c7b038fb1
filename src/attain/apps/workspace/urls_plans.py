"""The workspace's plan pages (editor, test runner, what-if)."""

from django.urls import path

from attain.apps.workspace import plans_editor, plans_tests, plans_views, plans_whatif

VERSION = "plans/<str:code>/v<int:number>/"

urlpatterns: list = [
    path("plans/", plans_views.plan_list, name="plans"),
    path("plans/what-if/", plans_whatif.whatif, name="whatif"),
    path("plans/import/", plans_views.import_draft, name="plan_import"),
    path(VERSION, plans_views.plan_version, name="plan_version"),
    path(VERSION + "validate/", plans_editor.validate, name="plan_validate"),
    path(VERSION + "save/", plans_editor.save, name="plan_save"),
    path(VERSION + "publish/", plans_views.publish, name="plan_publish"),
    path(VERSION + "new-draft/", plans_views.new_draft, name="plan_new_draft"),
    path(VERSION + "tests/", plans_tests.plan_tests, name="plan_tests"),
]
