"""The words owners use for their results, in English and French (accents folded): the names
they give each figure, the verbs and fillers around them, and the words opening a message."""

from __future__ import annotations

import re

from knowledge.reading.money_words import LOCAL_MONEY_WORDS
from knowledge.reading.parsing import CURRENCY_ALIASES

# Results people report: the name they type, in English or French without accents (`dépensé`
# is read as `depense`) → the field it is stored in.
RESULT_FIELDS = {
    "reach": "reach",
    "views": "reach",
    "impressions": "reach",
    "engagements": "engagements",
    "engagement": "engagements",
    "likes": "engagements",
    "clicks": "clicks",
    "click": "clicks",
    "visits": "clicks",
    "sales": "conversions",
    "conversions": "conversions",
    "orders": "conversions",
    "signups": "conversions",
    "revenue": "revenue_cents",
    "rev": "revenue_cents",
    "turnover": "revenue_cents",
    "eng": "engagements",
    "conv": "conversions",
    "purchases": "conversions",
    "spent": "spent_cents",
    "spend": "spent_cents",
    "cost": "spent_cents",
    "portee": "reach",
    "vues": "reach",
    "interactions": "engagements",
    "clics": "clicks",
    "clic": "clicks",
    "visites": "clicks",
    "ventes": "conversions",
    "commandes": "conversions",
    "inscriptions": "conversions",
    "ca": "revenue_cents",
    "chiffre_d_affaires": "revenue_cents",
    "revenus": "revenue_cents",
    "depense": "spent_cents",
    "depenses": "spent_cents",
    "cout": "spent_cents",
}


# Results in words: the word beside a figure names it (`sales 12`, `12 ventes`, `sold 3
# boxes`, `spent 680`); more words than the `key=` ones, verbs included.
RESULT_WORDS = {
    **{key.replace("_", " "): field for key, field in RESULT_FIELDS.items()},
    "sold": "conversions",
    "sale": "conversions",
    "order": "conversions",
    "vendu": "conversions",
    "vendus": "conversions",
    "vente": "conversions",
    "commande": "conversions",
    "reached": "reach",
    "view": "reach",
    "vue": "reach",
    "personnes": "reach",
    "people": "reach",
    "like": "engagements",
    "comments": "engagements",
    "visit": "clicks",
    "visite": "clicks",
    "paid": "spent_cents",
    "paye": "spent_cents",
    "earned": "revenue_cents",
    "revenu": "revenue_cents",
    "chiffre": "revenue_cents",
    "affaires": "revenue_cents",
    "engagement": "engagements",
    "commentaire": "engagements",
    "share": "engagements",
    "partage": "engagements",
    "aime": "engagements",
    "purchase": "conversions",
    "bought": "conversions",
    "buyer": "conversions",
    "customer": "conversions",
    "client": "conversions",
    "booking": "conversions",
    "reservation": "conversions",
    "achat": "conversions",
    "acheteur": "conversions",
    "ordered": "conversions",
    "booked": "conversions",
    "cliente": "conversions",
    "clicked": "clicks",
    "clique": "clicks",
    "comment": "engagements",
    "com": "engagements",
    "ppl": "reach",
    "coute": "spent_cents",
}
# Words that name an amount of money only (`made 1,250 euros`, `a total of €1,540`).
MONEY_WORDS = {
    "made": "revenue_cents",
    "total": "revenue_cents",
    "generated": "revenue_cents",
    "brought": "revenue_cents",
    "gagne": "revenue_cents",
    "rapporte": "revenue_cents",
    "encaisse": "revenue_cents",
    "gave": "spent_cents",
    "donne": "spent_cents",
    "claque": "spent_cents",
    "worth": "revenue_cents",
}
# Words skipped before a figure when looking for the word naming it: pronouns and hedges
# (`cost me 600`, `like 90 euros total`: `like` before a figure is no like).
HEDGES = frozenset(
    {"me", "us", "her", "him", "them", "nous", "lui", "leur", "like", "about", "around"}
    | {"environ", "approx", "roughly", "nearly", "almost", "presque", "genre"}
)
# A message's opening words before its results (`Hi, results of the campaign: …`).
PREAMBLE = frozenset(
    {"hi", "hello", "hey", "bonjour", "bonsoir", "salut", "coucou", "results", "result"}
    | {"resultats", "resultat", "here", "are", "is", "the", "of", "our", "my", "campaign"}
    | {"campagne", "voici", "voila", "les", "nos", "mes", "de", "la", "so", "ok", "okay"}
    | {"well", "honestly", "not", "great", "good", "bad", "lol", "bof", "bon", "alors"}
    | {"donc", "update", "quick", "thanks", "merci"}
)
# Words skipped between a figure and the word naming it (`890 € de chiffre`, `250 j'aime`).
FILLERS = frozenset(
    {"de", "d", "of", "in", "en", "the", "le", "la", "les", "l", "j", "du", "des"}
    | {"new", "more", "extra", "nouveaux", "nouvelles", "nouveau", "nouvelle"}
)
# People counted, then a verb saying what they did (`5 people bought`, `22 people clicked`).
PEOPLE = frozenset({"people", "personnes", "ppl"})
DID = {
    **dict.fromkeys(
        ("bought", "purchased", "ordered", "booked", "achete", "commande"), "conversions"
    ),
    **dict.fromkeys(("clicked", "clique"), "clicks"),
}
# Words for money after an amount: currencies, and slang for the local one (`200 balles`).
MONEY_NAMES = frozenset(CURRENCY_ALIASES) | LOCAL_MONEY_WORDS
# Figures written in words (`sales zero`).
ZERO = re.compile(r"(?i)\b(?:zero|zéro)\b")
# Before an amount of money, a word that makes it the spend (`12 ventes pour 1 160 €`), unless
# the message gives the spend in words elsewhere: then it is what the sales brought in.
SPENT_BEFORE = frozenset({"for", "pour"})
