"""Persistence: SQLModel tables, the engine, queries, and roster import/export.

Every SQL statement of the project lives in this package.
"""
