"""The `warnings` the API returns with each stored update: what the quality checks found in it
(portal.services.quality.checks). The update is stored whatever they say."""

from __future__ import annotations

from typing import Any

from portal.services.quality import elements


def quality_warnings_schema() -> dict[str, Any]:
    return {
        "type": "array",
        "description": (
            "What the quality checks found in the update: hard-to-read words (Flesch reading ease below "
            f"{elements.READABILITY_THRESHOLD:.0f}), jargon and abbreviations with the plain words to use, "
            "and, for decisions and hearings that moved, the elements a victim should be given (a reason, "
            "the right to review, a meeting where they are eligible, what happens next, a named contact). "
            "The update is stored and the victim told whatever they say; the checks are counted in the "
            "quality report. Empty when nothing was found. A replay returns the warnings of the first time."
        ),
        "items": {
            "type": "object",
            "required": ["check", "field", "message"],
            "additionalProperties": False,
            "properties": {
                "check": {"enum": list(elements.CHECKS)},
                "field": {"type": "string", "description": "Where in the update, e.g. details.reason"},
                "message": {"type": "string"},
            },
        },
    }
