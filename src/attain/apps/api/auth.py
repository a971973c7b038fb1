"""Who is calling: a bearer token (`Authorization: Bearer <token>`), or the browser's session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from attain.apps.api.tokens import check_token


class BearerToken(HttpBearer):
    """A token from `attain token create`; the request then acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str):
        checked = check_token(token)
        if checked.user is None:
            request.api_token_problem = checked.problem
            return None
        request.user = checked.user
        return checked.user


# ninja's session auth checks the CSRF token on unsafe methods (POST), as the portal's forms do
AUTH = [BearerToken(), SessionAuth()]
