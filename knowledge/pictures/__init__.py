"""Pictures: a recommendation's plan and a campaign's results as chart data (pure, fast) and
as PNG (matplotlib, imported only where a chart is drawn, in a worker process).

It may import `knowledge.base`, `knowledge.advice`, `knowledge.writing` and
`knowledge.campaigns`.
"""
