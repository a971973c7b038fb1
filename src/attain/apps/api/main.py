"""The API object: its routers (one module per resource), authentication, errors and documentation.

Adding a resource is a new module with a `router`, listed in ROUTERS.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from attain.apps.api import adjustments, errors, participants, plans, results, runs, statements, transactions
from attain.apps.api.auth import AUTH
from attain.apps.api.types import MONEY_NOTE

ROUTERS = [participants, transactions, plans, runs, results, statements, adjustments]
from attain.apps.api import disputes, lineage  # noqa: E402  (resources added later)

ROUTERS += [disputes, lineage]

DESCRIPTION = f"""The Attain REST API: participants, transactions, plans, calculation runs, results (and the deals
behind them), statements, adjustments and disputes, with the same row-level security as the portals (a rep sees
their own data, a manager their effective-dated team's, administrators, comp admins, finance, executives and
auditors everyone's).

**Authentication**: `Authorization: Bearer <token>` with a token from `attain token create --user U --name N`,
or the browser's session (log in at /login/; unsafe methods then need the CSRF token).

**Money**: {MONEY_NOTE}

**Errors** are JSON `{{"detail": "..."}}`: 401 not authenticated, 403 your role lacks a permission, 404 not
found or not yours to see (someone else's id is "not found", never "forbidden"), 422 an invalid parameter,
400 a refused operation (the detail says why and how to fix it). Lists are pages: `limit` (≤ 500) and
`offset`, with `count` the total. See docs/api.md."""


def build() -> NinjaAPI:
    api = NinjaAPI(title="Attain API", version="1", description=DESCRIPTION, auth=AUTH, urls_namespace="api",
                   docs=Swagger(settings={"validatorUrl": None}))  # no call to swagger.io: air-gapped
    errors.install(api)
    for module in ROUTERS:
        api.add_router("/", module.router)
    return api


api = build()
