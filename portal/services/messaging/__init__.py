"""Telling victims: what to send, when and by which channel, the words, and what happens after delivery."""
