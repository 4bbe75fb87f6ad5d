"""Hypothesis settings for mutation runs (tests/MUTATION.md).

mutmut sets `MUTANT_UNDER_TEST` in the processes that run the tests, for every mutant: there a
property test tries a few fixed examples, so a mutant costs seconds, not a minute, and a failing
one is not shrunk nor explained (a mutant is killed by the first failure; shrinking it took
most of a killed mutant's time). Normal runs keep Hypothesis's defaults and each test's own
count.
"""

from __future__ import annotations

import os

from hypothesis import Phase, settings

UNDER_MUTATION = "MUTANT_UNDER_TEST" in os.environ
MUTATION_EXAMPLES = 10


def load() -> None:
    """Load the mutation profile where mutmut runs the tests; elsewhere leave the defaults."""
    settings.register_profile(
        "mutation",
        max_examples=MUTATION_EXAMPLES,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
    )
    if UNDER_MUTATION:
        settings.load_profile("mutation")


def examples(normal: int) -> int:
    """A test's number of examples: its own in normal runs, the mutation profile's under mutmut
    (an explicit count would override the profile)."""
    return MUTATION_EXAMPLES if UNDER_MUTATION else normal
