"""Reading what people type: numbers, money and percentages (`parsing`), dates and times
(`when`), niche, platform and goal words (`matching`), countries and languages (`places`), a
brief's answers one at a time or in a sentence (`brief_form`), results at a check-in
(`results`; per creator, a line each or a shop's codes file: `creator_results`), questions
in words (`questions`), `/roster` searches (`roster_query`), a Mini App's signed
`initData` (`init_data`) and the plan page's edits in its links (`plan_edits`).

It may import `knowledge.base`, `knowledge.advice` (to build a brief) and
`knowledge.writing` (problems are said in the reader's language).
"""
