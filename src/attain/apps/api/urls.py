from django.http import JsonResponse
from django.urls import path, re_path

from attain.apps.api.main import api


def unknown(request, rest: str = "") -> JsonResponse:
    """Any other address under /api/ answers in JSON too."""
    return JsonResponse({"detail": f"There is no API address /api/{rest}: /api/docs lists them."}, status=404)


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
