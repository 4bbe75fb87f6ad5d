"""Files the bot sends or reads: spreadsheet-safe CSV (`spreadsheet`) and a recommended plan
as a CSV file (`plan_file`).

It may import `knowledge.base`, `knowledge.advice` and `knowledge.writing`.
"""
