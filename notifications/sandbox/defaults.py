"""The templates the sandbox knows unless told otherwise: the portal's three generic templates
(`notifications.templates.TEMPLATES`) under the portal's default ids.

The portal takes these ids as the defaults of `NOTIFY_EMAIL_TEMPLATE_ID`, `NOTIFY_SMS_TEMPLATE_ID` and
`NOTIFY_LETTER_TEMPLATE_ID` (portal/config.py imports them), so the two never disagree.
"""

from __future__ import annotations

from notifications.templates import EMAIL, LETTER, SMS, TEMPLATES, GenericTemplate

DEFAULT_EMAIL_TEMPLATE_ID = "a6b7f3a2-0c1e-4a53-9a52-3b5d6f1e0e01"
DEFAULT_SMS_TEMPLATE_ID = "a6b7f3a2-0c1e-4a53-9a52-3b5d6f1e0e02"
DEFAULT_LETTER_TEMPLATE_ID = "a6b7f3a2-0c1e-4a53-9a52-3b5d6f1e0e03"


def generic_templates(
    *,
    email: str = DEFAULT_EMAIL_TEMPLATE_ID,
    sms: str = DEFAULT_SMS_TEMPLATE_ID,
    letter: str = DEFAULT_LETTER_TEMPLATE_ID,
) -> dict[str, GenericTemplate]:
    """`{template id: template}` for the portal's three templates under these ids."""
    return {email: TEMPLATES[EMAIL], sms: TEMPLATES[SMS], letter: TEMPLATES[LETTER]}
