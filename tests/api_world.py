"""What the API tests share: the portal's small paid company (tests/portal_world.py) and tokens for its users."""

from __future__ import annotations

from attain.apps.api.tokens import create_token


def bearer(username: str, name: str = "test") -> dict[str, str]:
    """Headers that authenticate as the user with a new token."""
    _token, secret = create_token(username, name)
    return {"Authorization": f"Bearer {secret}"}
