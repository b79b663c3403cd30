"""Accounts: a role and a language per user."""
