"""Exceptions services raise for blueprints to turn into responses."""


class NotFound(Exception):
    """The record does not exist or is outside the actor's scope. Both look the same to the actor."""
