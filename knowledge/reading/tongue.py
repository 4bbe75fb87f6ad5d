"""Whether a sentence is French: some French niche words are English words too (`pain`
is bread in French, not in `pain relief`), read only in French."""

from __future__ import annotations

import re

from knowledge.reading.matching import ascii_fold

# Short words that give a sentence's language away, as typed on a phone too (`bjr`, `pr`).
_FRENCH = frozenset(
    [
        "je",
        "j",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "du",
        "de",
        "des",
        "la",
        "le",
        "les",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "pr",
        "avec",
        "mon",
        "ma",
        "mes",
        "notre",
        "nos",
        "votre",
        "dans",
        "ds",
        "sur",
        "au",
        "aux",
        "ai",
        "suis",
        "veux",
        "voudrais",
        "vends",
        "vend",
        "fais",
        "fait",
        "tiens",
        "tient",
        "avons",
        "bjr",
        "slt",
        "stp",
        "svp",
        "bcp",
        "qq",
        "merci",
        "bonjour",
        "salut",
        "pas",
        "tres",
        "mais",
        "ou",
        "qui",
        "que",
        "ca",
        "c",
        "l",
        "d",
        "n",
        "qu",
        "chez",
        "vente",
        "ventes",
        "clients",
    ]
)
_ENGLISH = frozenset(
    [
        "i",
        "im",
        "we",
        "you",
        "the",
        "an",
        "and",
        "my",
        "our",
        "for",
        "with",
        "in",
        "of",
        "to",
        "is",
        "am",
        "are",
        "have",
        "has",
        "sell",
        "selling",
        "want",
        "need",
        "shop",
        # a brief's own words, as owners type it in keywords (`Knives, sales, €60k, basket
        # 90, margin 40`): English only, so a keyword brief is clearly English too
        "sales",
        "awareness",
        "launch",
        "basket",
        "margin",
        "spend",
        "store",
        "hi",
        "hello",
        "thanks",
        "please",
        "pls",
        "more",
        "some",
        "it",
        "this",
        "that",
        "do",
        "at",
        "run",
        "own",
        "relief",
        "killer",
        "killers",
        "chronic",
    ]
)


CLEAR_WORDS = 3  # a message gives its language away from this many of its words


def written_language(text: str) -> str | None:
    """The language a message is clearly written in, `fr` or `en`: at least `CLEAR_WORDS`
    words of it and more than twice as many as of the other (`Je vends des bougies, 1500 €,
    Instagram`); None for a word or two, or a mix (`Lyon`, `12k reach 5 sales`)."""
    words = re.findall(r"[a-z]+", ascii_fold(text))
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if french >= CLEAR_WORDS and french > 2 * english:
        return "fr"
    if english >= CLEAR_WORDS and english > 2 * french:
        return "en"
    return None


_LANGUAGE_NAMES = {
    **dict.fromkeys(("fr", "french", "francais", "france"), "fr"),
    **dict.fromkeys(("en", "english", "anglais", "gb", "uk", "us"), "en"),
}


def language_named(text: str) -> str | None:
    """The interface language `text` names (`fr`, `Français`, `english`), else None."""
    return _LANGUAGE_NAMES.get(ascii_fold(text).strip().lower())


def is_french(text: str, user_language: str | None = None) -> bool:
    """Whether `text` is French: more French words than English ones, or as many (a word or
    two, `pain`) from a user whose language is French."""
    words = re.findall(r"[a-z]+", ascii_fold(text))
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if french != english:
        return french > english
    return (user_language or "").lower().startswith("fr")
