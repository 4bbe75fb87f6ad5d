"""Writing what the bot says: the reply templates (`templates/`, Jinja2, Telegram HTML) with
their names and kinds (`replies`), rendering and message splitting (`render`), the language
of a reply, its catalogues (`locale/`) and numbers, money and dates by locale (`i18n`), and
what every view of a stored recommendation is rendered with (`views`).

It may import `knowledge.base` and `knowledge.advice` (the stored recommendation it words),
never the rooms that read text.
"""
