"""Questions in words typed in French: matched as the English ones are (accents, case and
typos forgiven), in both languages whatever the reader's, and answered from the facts' and
tips' French texts."""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.reading.matching import normalize
from knowledge.reading.questions import answer, match_question, questions
from knowledge.writing.i18n import speaking
from tests.conftest import USER, BotHarness


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("c'est quoi un micro-influenceur", "micro"),
        ("C’est quoi un micro influenceur ?", "micro"),
        ("cest quoi un micro influenceur", "micro"),
        ("qu'est-ce qu'un micro-influenceur ?", "micro"),
        ("c'est quoi un micro influenceurr", "micro"),
        ("c'est quoi un macro-influenceur ?", "macro"),
        ("combien d'abonnés pour un macro", "followers"),
        ("combien d'abonnes pour un macro ?", "followers"),
        ("Combien d’abonnés pour être micro-influenceur ?", "followers"),
        ("combien payer un influenceur", "pay"),
        ("combien payer un influenceur ?", "pay"),
        ("combien coute un influenceur", "pay"),
        ("faut-il payer les influenceurs ?", "pay"),
        ("micro ou macro ?", "micro-or-macro"),
        ("quelle est la différence entre micro et macro influenceurs ?", "micro-or-macro"),
        ("comment trouver des influenceurs ?", "find-creators"),
        ("où trouver des créateurs", "find-creators"),
        ("c'est quoi le taux d'engagement ?", "engagement"),
        ("c'est quoi le marketing d'influence", "influencer-marketing"),
        ("à quoi sert un influenceur ?", "influencer-marketing"),
        ("c'est quoi un ambassadeur de marque ?", "ambassador"),
    ],
)
def test_french_questions_are_understood(text: str, question: str) -> None:
    assert match_question(text) == question
    with speaking("fr"):
        assert match_question(text) == question


@pytest.mark.parametrize(
    "text",
    ["bonjour", "merci beaucoup", "je vends des bougies", "c'est quoi", "combien", "oui"],
)
def test_other_french_text_is_no_question(text: str) -> None:
    assert match_question(text) is None


@pytest.mark.parametrize(
    ("phrase", "question"), [(p, q.id) for q in questions() for p in q.phrases_fr]
)
def test_every_french_phrase_asks_its_own_question(phrase: str, question: str) -> None:
    assert match_question(phrase) == question


def test_every_question_has_french_phrases_and_english_still_works() -> None:
    assert all(len(q.phrases_fr) >= 3 for q in questions())
    french = {normalize(p) for q in questions() for p in q.phrases_fr}
    english = {normalize(p) for q in questions() for p in q.phrases}
    assert not french & english
    with speaking("fr"):
        assert match_question("what is a micro-influencer?") == "micro"


@pytest.mark.parametrize("question", questions(), ids=lambda q: q.id)
def test_every_answer_has_its_french_texts(question: object, kb: KnowledgeBase) -> None:
    given = answer(question, kb, "EUR")  # type: ignore[arg-type]
    for said in (*given.facts, *given.tips):
        assert said.text_fr and said.text_fr != said.text


async def test_a_question_typed_in_french_gets_the_answer_to_it(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr"
    [french] = await bot.say("c'est quoi un micro-influenceur ?")
    [english] = await bot.say("what is a micro-influencer?")
    assert french.text == english.text and "[1]" in french.text
    [other] = await bot.say("combien d'abonnés pour un macro")
    assert other.text != french.text and "[2]" in other.text
