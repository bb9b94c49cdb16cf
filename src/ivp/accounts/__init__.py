"""Accounts: users, their membership of organisations (gemeenten), login and throttling.

Owns the ``User`` model and the login pages. May import ``areas`` (organisations are
gemeenten). Plan roles live in ``plans`` because they belong to a plan.
"""
