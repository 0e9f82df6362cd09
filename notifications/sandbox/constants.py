"""Notify's fixed recipients and postage zones, as data (sources named beside each)."""

from __future__ import annotations

# Notify's test numbers and addresses with a known outcome (the sandbox's "test key" behaviour).
SMS_TEMPORARY_FAILURE = "07700900003"
SMS_PERMANENT_FAILURE = "07700900002"
EMAIL_TEMPORARY_FAILURE = "temp-fail@simulator.notify"
EMAIL_PERMANENT_FAILURE = "perm-fail@simulator.notify"

# alphagov/notifications-api app/config.py SIMULATED_SMS_NUMBERS / SIMULATED_EMAIL_ADDRESSES (numbers as
# Notify normalises them): answered 201, but never stored or sent, so a lookup finds nothing and no
# receipt comes back (post_notifications.py `process_sms_or_email_notification`).
SIMULATED_SMS_NUMBERS = ("447700900000", "447700900111", "447700900222")
SIMULATED_EMAIL_ADDRESSES = (
    "simulate-delivered@notifications.service.gov.uk",
    "simulate-delivered-2@notifications.service.gov.uk",
    "simulate-delivered-3@notifications.service.gov.uk",
)

# notifications-utils countries/_data/europe.txt (Royal Mail's European zone): a letter the service may
# post abroad goes "europe" to these countries and "rest-of-world" anywhere else.
# fmt: off
EUROPE = frozenset((
    "Albania", "Andorra", "Armenia", "Austria", "Azerbaijan", "Azores", "Balearic Islands", "Belarus",
    "Belgium", "Bosnia and Herzegovina", "Bulgaria", "Canary Islands", "Corsica", "Croatia", "Cyprus",
    "Czechia", "Denmark", "Estonia", "Faroe Islands", "Finland", "France", "Georgia", "Germany", "Gibraltar",
    "Greece", "Greenland", "Hungary", "Iceland", "Ireland", "Italy", "Kazakhstan", "Kosovo", "Kyrgyzstan",
    "Latvia", "Liechtenstein", "Lithuania", "Luxembourg", "North Macedonia", "Madeira", "Malta", "Moldova",
    "Monaco", "Montenegro", "Netherlands", "Norway", "Poland", "Portugal", "Romania", "Russia", "San Marino",
    "Serbia", "Slovakia", "Slovenia", "Spain", "Sweden", "Switzerland", "Tajikistan", "Turkey",
    "Turkmenistan", "Ukraine", "Uzbekistan", "Vatican City",
))
# fmt: on
