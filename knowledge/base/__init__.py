"""The knowledge base: goals, sides and measures; the facts of the two source articles with
their sources; niches, platforms and the checklist; and the assumptions (every figure that
does not come from the articles, each with its source), read from `knowledge/data/`.

The ground floor of the domain: it imports nothing else of `knowledge`, and everything else
may import it. `model` holds the types, `loading` reads and checks the data files.
"""

from knowledge.base.loading import KnowledgeError, default_knowledge, load_knowledge
from knowledge.base.model import (
    DATA_DIR,
    Ambassador,
    Assumptions,
    Audience,
    ChecklistLine,
    Fact,
    FactKind,
    Funnel,
    Goal,
    KnowledgeBase,
    Learned,
    Metric,
    Niche,
    PlanRules,
    Platform,
    Side,
    Source,
    Spread,
    Strategy,
    Tier,
    Tip,
    Waves,
    in_currency,
)
from knowledge.base.posts import ANY_PLATFORM, AdProduct, Disclosure, Format, PaidUse, PostRules
from knowledge.base.windows import LaunchDays, WindowRules

__all__ = [
    "ANY_PLATFORM",
    "DATA_DIR",
    "AdProduct",
    "Ambassador",
    "Assumptions",
    "Audience",
    "ChecklistLine",
    "Disclosure",
    "Fact",
    "FactKind",
    "Format",
    "Funnel",
    "Goal",
    "KnowledgeBase",
    "KnowledgeError",
    "LaunchDays",
    "Learned",
    "Metric",
    "Niche",
    "PaidUse",
    "PlanRules",
    "Platform",
    "PostRules",
    "Side",
    "Source",
    "Spread",
    "Strategy",
    "Tier",
    "Tip",
    "Waves",
    "WindowRules",
    "default_knowledge",
    "in_currency",
    "load_knowledge",
]
