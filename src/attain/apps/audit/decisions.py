"""A maker–checker decision on a record, logged: approvals of results and of adjustments use it alike."""

from __future__ import annotations

from django.utils import timezone

from attain.apps.audit.models import AuditEntry
from attain.apps.audit.services import record, snapshot


def decide(subject, state: str, user, note: str):
    """Set `subject`'s state, who decided, when and why (fields state, decided_by, decided_at, decision_note),
    save it and log the decision with the record before and after; returns the subject."""
    before = snapshot(subject)
    subject.state, subject.decided_by, subject.decided_at = state, user, timezone.now()
    subject.decision_note = note
    subject.save()
    record(AuditEntry.Action(state), subject, user=user, before=before, after=snapshot(subject), reason=note)
    return subject
