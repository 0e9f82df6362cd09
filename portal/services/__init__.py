"""Use cases: access rules, timelines, preferences, delegation, timescales, messages."""
