"""Delivery of messages through GOV.UK Notify. Knows nothing about cases or victims.

The portal decides what to say, to whom and when, renders the text and calls
`notifications.outbox.enqueue(...)` inside its own transaction; this package decides how it is delivered.
"""
