"""Server mode's accounts: users, passwords, browser sessions, API tokens, invitations.

These functions take a plain SQLAlchemy session: accounts sit above the networks they open, so
they are not scoped to one owner the way every other service is.
"""
