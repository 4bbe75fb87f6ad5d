"""The advice: from a brief and the roster's candidates to a recommendation.

It owns where a brief's candidates are looked for (`scope`), what one post of a creator is
expected to bring (`forecast`), what each creator offers the plan (`offers`), how plans are
filled within a budget (`planner`, into the data of `plan`), which plan is chosen and the
verdict it makes (`choice`), the reasons behind it (`reasons`), everything else the reply
must say (`notices`), and the recommendation as stored data (`stored`). `engine.recommend`
puts these together; `replacement` finds, by the same rules and ranking, who takes the place
of a creator who declined.

It imports only `knowledge.base`: nothing here reads or writes text, so every rule can be
tested on plain data, and a wording change can never change a plan.
"""
