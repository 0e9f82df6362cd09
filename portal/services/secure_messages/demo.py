"""Demo secure messages (called by services/demo_data.seed): Sam wrote to the Victim Liaison Officer on
the demo case, with a one-page PDF attached, and nobody has answered yet. Probation's system reads it
through the agency API and answers it; the ids are fixed because the API reference's examples
(portal/api/examples.py) use them. Recorded as history: loading demo data sends nobody a message."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import secure_messages as messages_data
from portal.data import users as users_data
from portal.models import MessageAttachment, MessageThread, SecureMessage
from portal.models.messages import FROM_VICTIM, NEW, TO_VLO
from portal.services.secure_messages import threads
from portal.services.vocabulary.deadlines import add_working_days, london_date

DEMO_THREAD_ID = "4b7e2d91-6c3a-4f58-a0d2-9e1c7b5f3a86"
DEMO_THREAD_REFERENCE = "MSG-7R4D-K2WM"
DEMO_MESSAGE_ID = "c5a1e7f3-2d9b-4c64-8e1a-3f7d5b9c2e08"
DEMO_ATTACHMENT_ID = "e2d8b4a6-9f1c-4e37-b5a0-7c3e1d9f6b24"
DEMO_MESSAGE_WRITTEN = datetime(2026, 11, 26, 18, 5, tzinfo=UTC)
DEMO_SUBJECT = "Conditions when he is released"
DEMO_BODY = (
    "I have heard he may be released next month. Will there be conditions that stop him contacting me or "
    "coming to my street? I have attached the letter I had from the prison."
)
DEMO_ATTACHMENT_NAME = "demo-letter.pdf"


def demo_pdf() -> bytes:
    """A valid one-page, blank PDF (demo data only)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def seed(session: Session, urn: str, victim_id: str) -> None:
    """The victim's message to the Victim Liaison Officer on the case `urn`, written in their account and
    due an answer in the unit's working days."""
    case = cases_data.get_case_by_urn(session, urn)
    user = users_data.get_user_by_victim(session, victim_id)
    assert case is not None and user is not None
    thread = MessageThread(
        id=DEMO_THREAD_ID,
        reference=DEMO_THREAD_REFERENCE,
        victim_id=victim_id,
        case_id=case.id,
        recipient=TO_VLO,
        agency=threads.RECIPIENT_AGENCY[TO_VLO],
        subject=DEMO_SUBJECT,
        status=NEW,
        created_at=DEMO_MESSAGE_WRITTEN,
        updated_at=DEMO_MESSAGE_WRITTEN,
    )
    messages_data.add_thread(session, thread)
    due = add_working_days(london_date(DEMO_MESSAGE_WRITTEN), threads.reply_days(session, case))
    message = SecureMessage(
        id=DEMO_MESSAGE_ID,
        thread_id=thread.id,
        direction=FROM_VICTIM,
        body=DEMO_BODY,
        written_by_user_id=user.id,
        author_label=user.display_name,
        created_at=DEMO_MESSAGE_WRITTEN,
        reply_due=due,
    )
    messages_data.add_message(session, message)
    thread.reply_due = due
    content = demo_pdf()
    session.add(
        MessageAttachment(
            id=DEMO_ATTACHMENT_ID,
            message_id=message.id,
            filename=DEMO_ATTACHMENT_NAME,
            content_type="application/pdf",
            size=len(content),
            content=content,
            uploaded_at=DEMO_MESSAGE_WRITTEN,
        )
    )
    session.flush()
