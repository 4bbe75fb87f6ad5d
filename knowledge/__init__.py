"""The domain, pure Python: nothing here talks to Telegram or to a database.

Rooms, each a sub-package saying in its docstring what it owns and what it may import; the
arrows go one way, from the right to the left:

    base ← advice ← writing ← reading ← campaigns ← pictures
                          ↖ files

- `base`: the knowledge base (facts, sources, niches, platforms, checklist, assumptions).
- `advice`: from a brief and candidates to a recommendation (the engine).
- `writing`: what the bot says (templates, catalogues, formatting, views of a plan).
- `reading`: what people type (numbers, dates, words, briefs, results, questions).
- `campaigns`: following a campaign (schedule, check-ins, retention).
- `pictures`: charts. `files`: CSV files.

`tests/test_architecture.py` checks the arrows.
"""
