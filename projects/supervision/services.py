"""Who may do what with a 督办单, and the writes.

Decisions:
- Leaders (市领导) and the assessment office (考核办, admins with it) issue and close; the
  responsible unit's own users (staff, head, a coordinator of that unit) reply while the 督办
  is not closed; nobody else changes it. Seeing it: `Supervision.objects.visible_to`.
- A reply moves 待答复 to 已答复; further replies add to the record. Closing needs a comment
  (办结意见) and may follow a reply or end a 督办 that is no longer needed.
- Reply files are checked by `projects.evidence.validate_upload` (content, type, size limit) and
  stored in the evidence storage under duban/<sha256>/; a write that fails removes the files it
  wrote.
"""

import contextlib
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from projects import evidence
from projects.models import (
    Supervision,
    SupervisionFile,
    SupervisionReply,
    SupervisionStatus,
)
from projects.supervision import notices
from units import access


class SupervisionError(Exception):
    """A step that may not be taken now; the message is shown to the user."""


def can_issue(user):
    """Leaders and the assessment office issue (and close) 督办."""
    return access.is_leader(user) or access.is_reviewer(user)


def can_reply(user, supervision):
    return (
        supervision.status != SupervisionStatus.CLOSED
        and access.is_unit_user(user)
        and user.unit_id == supervision.unit_id
    )


def can_close(user, supervision):
    return supervision.status != SupervisionStatus.CLOSED and can_issue(user)


def visible(user):
    return Supervision.objects.visible_to(user)


def issue(user, target, request_text, reply_by):
    """Issue a 督办 on `target` (a Project, AssistanceItem or Unit) and tell the unit."""
    access.require(can_issue(user))
    field = TARGET_FIELDS[type(target).__name__]
    with transaction.atomic():
        supervision = Supervision(
            request=request_text, reply_by=reply_by, issued_by=user, **{field: target}
        )
        supervision.save()
        notices.assigned(supervision, user)
    return supervision


TARGET_FIELDS = {"Project": "project", "AssistanceItem": "assistance_item", "Unit": "target_unit"}


def reply(user, supervision, text, files=()):
    """Record the unit's reply with its files; the issuer is told."""
    access.require(can_reply(user, supervision))
    written = []
    try:
        with transaction.atomic():
            locked = Supervision.objects.select_for_update().get(pk=supervision.pk)
            if locked.status == SupervisionStatus.CLOSED:
                raise SupervisionError("该督办已办结，不能再答复。")
            answer = SupervisionReply.objects.create(supervision=locked, text=text, replied_by=user)
            for uploaded in files:
                written.append(_store(answer, uploaded))
            if locked.status == SupervisionStatus.AWAITING:
                Supervision.objects.filter(pk=locked.pk).update(status=SupervisionStatus.ANSWERED)
            notices.answered(supervision, answer, user)
    except BaseException:
        for stored in written:
            with contextlib.suppress(OSError):
                stored.file.storage.delete(stored.file.name)
        raise
    return answer


def _store(answer, uploaded):
    content_type = evidence.validate_upload(uploaded)
    original = PurePath(uploaded.name).name[:200]
    row = SupervisionFile(
        reply=answer,
        original_name=original,
        content_type=content_type,
        size=uploaded.size,
        sha256=evidence.sha256_of(uploaded),
    )
    uploaded.name = evidence.stored_name(original)
    row.file = uploaded
    row.save()
    return row


def close(user, supervision, comment):
    access.require(can_close(user, supervision))
    with transaction.atomic():
        updated = (
            Supervision.objects.filter(pk=supervision.pk)
            .exclude(status=SupervisionStatus.CLOSED)
            .update(
                status=SupervisionStatus.CLOSED,
                closed_by=user,
                closed_at=timezone.now(),
                closing_comment=comment,
            )
        )
        if updated:
            supervision.refresh_from_db()
            notices.closed(supervision, user)
    if not updated:
        raise SupervisionError("该督办已办结。")


def timeline(supervision):
    """[(when, who, label, text, files)] oldest first: issued, each reply, closed."""
    events = [
        (supervision.issued_at, supervision.issued_by, "督办", supervision.request, []),
    ]
    for answer in supervision.replies.all():
        events.append(
            (answer.replied_at, answer.replied_by, "答复", answer.text, list(answer.files.all()))
        )
    if supervision.closed_at:
        events.append(
            (supervision.closed_at, supervision.closed_by, "办结", supervision.closing_comment, [])
        )
    return events
