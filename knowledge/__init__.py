"""The domain: facts, tiers, scoring, forecasts and reply templates.

Pure Python: nothing here talks to Telegram or to a database.
"""
