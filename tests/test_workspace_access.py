"""Who may open the comp admin workspace: comp admins and administrators act, finance and executives look, reps and
managers get 403, the anonymous are sent to log in."""

from __future__ import annotations

import pytest

from attain.apps.org import roles
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role, status, acts", [(roles.COMP_ADMIN, 200, True), (roles.ADMINISTRATOR, 200, True),
                                                (roles.FINANCE, 200, False), (roles.EXECUTIVE, 200, False),
                                                (roles.REP, 403, False), (roles.MANAGER, 403, False)])
def test_the_workspace_opens_for_the_roles_that_run_compensation(client, role, status, acts):
    client.force_login(f.user("someone", role))
    response = client.get("/workspace/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Comp admin workspace" in html and 'href="/workspace/" aria-current="page"' in html
        assert ("You may look at the workspace" in html) is not acts
    else:
        assert 'href="/workspace/"' not in client.get("/portal/", follow=True).content.decode()


def test_the_anonymous_are_sent_to_log_in(client):
    assert client.get("/workspace/")["Location"].startswith("/login/")
