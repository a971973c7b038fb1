"""Electronic acceptance of a plan document: recorded once per participant and published version, audited.

`accept` records what the participant was shown (the document's SHA-256), when, by which user, from which
address and browser. A new published version needs a new acceptance. `standing` says, for a list of
participants, who accepted the version in force of each of their plans and who has not (the manager's
and the comp admin's list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record
from attain.apps.org.models import Participant, PositionHolder
from attain.apps.plans.models import PlanAssignment, PlanVersion
from attain.apps.portal.models import AcceptanceRequirement, PlanAcceptance
from attain.apps.portal.plan_document import DocumentText

USER_AGENT_LENGTH = PlanAcceptance._meta.get_field("user_agent").max_length


class AcceptanceError(ValueError):
    """The acceptance cannot be recorded; the message says why."""


def accept(participant: Participant, shown: DocumentText, *, user, address: str | None, user_agent: str,
           sha256: str) -> PlanAcceptance:
    """Record that `participant` accepts the document `shown`; `sha256` is the hash of the text the page showed
    (the form carries it): a document changed since it was shown is refused, as is a second acceptance."""
    if sha256 != shown.sha256:
        raise AcceptanceError("the plan document changed since the page was shown: read it again, then accept")
    if user is None or participant.user_id != user.pk:
        raise AcceptanceError("only the participant may accept their own plan document")
    try:
        with transaction.atomic():
            found = PlanAcceptance.objects.create(participant=participant, plan_version=shown.version, user=user,
                                                  address=address or None, user_agent=user_agent[:USER_AGENT_LENGTH],
                                                  document_sha256=shown.sha256)
            record(AuditEntry.Action.CREATED, found, user=user, reason="plan document accepted",
                   after={"participant": participant.employee_id, "plan": shown.version.plan.code,
                          "version": shown.version.version, "document_sha256": shown.sha256, "address": address})
    except IntegrityError:
        raise AcceptanceError(f"{shown.version.plan.code} version {shown.version.version} is accepted already") from None
    return found


def acceptances_of(participant: Participant) -> dict[int, PlanAcceptance]:
    """Plan version id → the participant's acceptance of it."""
    return {a.plan_version_id: a for a in PlanAcceptance.objects.filter(participant=participant)}


def required_plans() -> set[int]:
    """The plans (ids) whose participants must accept the version in force before they are paid."""
    return set(AcceptanceRequirement.objects.filter(required=True).values_list("plan_id", flat=True))


@dataclass(frozen=True)
class Standing:
    participant: Participant
    version: PlanVersion
    accepted: PlanAcceptance | None
    required: bool


def standing(participants: list[Participant], day: date) -> list[Standing]:
    """For each participant and plan their seat is on on `day`: the version in force and their acceptance of it."""
    seats = dict(PositionHolder.objects.filter(PositionHolder.valid_on(day), participant__in=participants)
                 .values_list("position_id", "participant_id"))
    plans: dict[int, set[int]] = {}
    for plan, position in PlanAssignment.objects.filter(PlanAssignment.valid_on(day), position__in=seats).values_list(
            "plan_id", "position_id"):
        plans.setdefault(seats[position], set()).add(plan)
    versions = {v.plan_id: v for v in PlanVersion.objects.filter(PlanVersion.valid_on(day), status="published")
                .select_related("plan")}
    accepted = {(a.participant_id, a.plan_version_id): a for a in PlanAcceptance.objects.filter(
        participant__in=participants, plan_version__in=versions.values())}
    required = required_plans()
    found = []
    for person in participants:
        for plan in sorted(plans.get(person.pk, ()), key=lambda p: versions[p].plan.code if p in versions else ""):
            if plan in versions:
                version = versions[plan]
                found.append(Standing(person, version, accepted.get((person.pk, version.pk)), plan in required))
    return found
