"""Accounts and sign-in: users, passwords, second factors, sessions, invitations and staff accounts."""
