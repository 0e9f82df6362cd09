"""Queries with select(). Functions here may flush but never commit."""
