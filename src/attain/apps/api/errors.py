"""Errors as JSON `{"detail": "..."}` that say what is wrong and how to fix it, declared in the schema."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

MEANING = {
    400: "The request cannot be carried out as it is: `detail` says why.",
    401: "No valid credentials: send `Authorization: Bearer <token>` (attain token create) or log in.",
    403: "You may not do this: your role lacks the permission `detail` names.",
    404: "Not found, or not one you may see.",
    422: "A parameter or the body is invalid: `detail` names each problem.",
}


class Problem(Schema):
    detail: str


def problems(*codes: int) -> dict[int, type[Problem]]:
    """The error answers an operation declares (401, 404 and 422 are declared by every one)."""
    return {code: Problem for code in sorted({401, 404, 422, *codes})}


class Forbidden(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


def refused(message: str) -> HttpError:
    """A service refused (400): its message says why and how to fix it."""
    return HttpError(400, message[:1].upper() + message[1:])


def install(api: NinjaAPI) -> None:
    """Answer 401, 404 and 422 with a sentence rather than ninja's defaults."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        why = getattr(request, "api_token_problem", "")
        detail = (f"Not authenticated: {why}." if why else
                  "Not authenticated: send the header `Authorization: Bearer <token>` with a token from "
                  "`attain token create`, or log in to the app first.")
        return api.create_response(request, {"detail": detail}, status=401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = str(exc)
        if detail.startswith("Cannot parse request body"):
            detail = ("Cannot parse the request body: send a JSON object with the header "
                      "`Content-Type: application/json`; /api/docs shows each operation's body.")
        return api.create_response(request, {"detail": detail}, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": describe(exc.errors)}, status=422)


def describe(errors: list[dict]) -> str:
    """`query.limit: Input should be less than or equal to 500; ...` and where the parameters are listed."""
    parts = []
    for error in errors[:10]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("ninja_pagination",))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts) + ". The parameters are described at /api/docs."
