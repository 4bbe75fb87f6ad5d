"""Following a campaign: its status, proposed name and check-in schedule (`schedule`), what
to look at at each check-in and reported results against the forecast (`checkins`), where
each of its creators stands and who is behind (`pipeline`, in words: `pipeline_words`), each
creator's and each side's results against their own forecast (`by_creator`), and
how long the bot keeps what it no longer needs (`retention`).

It may import `knowledge.base`, `knowledge.advice`, `knowledge.reading` and
`knowledge.writing`.
"""
