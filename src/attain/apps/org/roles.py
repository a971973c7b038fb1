"""The roles people play in Attain, as Django groups with model permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ADMINISTRATOR = "Administrator"
COMP_ADMIN = "Comp admin"
FINANCE = "Finance approver"
MANAGER = "Sales manager"
REP = "Sales rep"
EXECUTIVE = "Executive"
CONTROLLER = "Finance controller"
AUDITOR = "Auditor"

DATA_APPS = ["core", "org", "catalog", "territories", "sales", "quotas", "plans", "imports", "calc", "payments"]
# the audit log is read by these roles (it has only a view permission: nobody adds, changes or deletes entries)
AUDIT_READERS = {ADMINISTRATOR, COMP_ADMIN, FINANCE, CONTROLLER, AUDITOR}

# role → (apps, actions) it holds model permissions for in the admin
ROLE_PERMISSIONS: dict[str, tuple[list[str], list[str]]] = {
    ADMINISTRATOR: (DATA_APPS + ["auth", "api"], ["view", "add", "change", "delete"]),  # api: tokens
    COMP_ADMIN: (DATA_APPS, ["view", "add", "change", "delete"]),
    FINANCE: (DATA_APPS, ["view"]),
    CONTROLLER: (DATA_APPS, ["view"]),
    EXECUTIVE: (DATA_APPS, ["view"]),
    AUDITOR: (DATA_APPS, ["view"]),
    # Managers see their effective-dated team in the manager portal (portal/team/, row-level security) and
    # nothing in the admin, whose lists would show everyone's rows.
    MANAGER: ([], []),
    # Reps see their own pay in the rep portal (attain.apps.portal, row-level security) and nothing in the
    # admin, whose lists would show everyone's rows.
    REP: ([], []),
}

# models about people's personal circumstances: roles that only browse the organisation never see them
PERSONAL_MODELS = {"leaveofabsence"}
BROWSING_ROLES = {MANAGER, REP}

# role → the workflow permissions it holds besides the model ones ("app.codename")
ROLE_EXTRA: dict[str, list[str]] = {
    ADMINISTRATOR: ["calc.approve_results", "calc.approve_escalated", "payments.approve_adjustment"],
    FINANCE: ["calc.approve_results", "payments.approve_adjustment"],
    CONTROLLER: ["calc.approve_results", "calc.approve_escalated", "payments.approve_adjustment"],
}

# role → what it may do with disputes (attain.apps.disputes): payees and managers raise and comment, comp admins
# review, resolve and reject, finance and auditors read; rows are limited by portal.access as everywhere
DISPUTE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: ["disputes.view_dispute", "disputes.view_disputecomment", "disputes.resolve_dispute",
                    "disputes.add_disputecomment"],
    COMP_ADMIN: ["disputes.view_dispute", "disputes.view_disputecomment", "disputes.resolve_dispute",
                 "disputes.add_disputecomment"],
    FINANCE: ["disputes.view_dispute", "disputes.view_disputecomment"],
    CONTROLLER: ["disputes.view_dispute", "disputes.view_disputecomment"],
    AUDITOR: ["disputes.view_dispute", "disputes.view_disputecomment"],
    MANAGER: ["disputes.view_dispute", "disputes.add_dispute", "disputes.add_disputecomment"],
    REP: ["disputes.add_dispute", "disputes.add_disputecomment"],
}

# role → what it may do in the admin with plan acceptances (attain.apps.portal: kept as evidence, never changed) and
# with the plans that require one before payout; managers see their team's acceptances in the portal
_REQUIREMENT = ["portal.view_acceptancerequirement", "portal.add_acceptancerequirement",
                "portal.change_acceptancerequirement", "portal.delete_acceptancerequirement"]
ACCEPTANCE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATOR: ["portal.view_planacceptance", *_REQUIREMENT],
    COMP_ADMIN: ["portal.view_planacceptance", *_REQUIREMENT],
    FINANCE: ["portal.view_planacceptance", "portal.view_acceptancerequirement"],
    CONTROLLER: ["portal.view_planacceptance", "portal.view_acceptancerequirement"],
    EXECUTIVE: ["portal.view_planacceptance", "portal.view_acceptancerequirement"],
    AUDITOR: ["portal.view_planacceptance", "portal.view_acceptancerequirement"],
}


def ensure_roles() -> dict[str, Group]:
    """Create or refresh the role groups and their permissions (idempotent)."""
    groups = {}
    for role, (app_labels, actions) in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label__in=app_labels).select_related("content_type")
        wanted = [p for p in perms if p.codename.split("_", 1)[0] in actions
                  and not (role in BROWSING_ROLES and p.content_type.model in PERSONAL_MODELS)]
        for label in ROLE_EXTRA.get(role, []):
            app_label, codename = label.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        for label in DISPUTE_PERMISSIONS.get(role, []):
            app_label, codename = label.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        for label in ACCEPTANCE_PERMISSIONS.get(role, []):
            app_label, codename = label.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        if role in AUDIT_READERS:
            wanted += Permission.objects.filter(content_type__app_label="audit", codename__startswith="view_")
        group.permissions.set(wanted)
        groups[role] = group
    return groups
