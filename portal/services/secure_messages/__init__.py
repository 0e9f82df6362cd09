"""Secure messages between victims (or the support workers they allow) and the people working on their
case: threads, replies, internal notes, attachments, the officers' inbox and the agency API (issue 15)."""
