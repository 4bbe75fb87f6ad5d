"""French input, read as a French speaker types it, whatever the interface language."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from knowledge.base import default_knowledge
from knowledge.reading.brief_form import (
    BUDGET,
    COUNTRY,
    GOAL,
    LANGUAGE,
    MARGIN,
    NICHE,
    ONE_LINE_WORDS,
    ORDER_VALUE,
    PLATFORM,
    Answers,
    SentenceRead,
    one_line,
    read_sentence,
    take,
)
from knowledge.reading.matching import match_goal, niche_vocabulary, platform_vocabulary
from knowledge.reading.parsing import (
    MAX_CENTS,
    BudgetError,
    BudgetProblem,
    is_skip,
    parse_budget,
    parse_count,
    parse_price,
)
from knowledge.reading.places import country_code, language_code
from knowledge.reading.results import (
    RESULT_FIELDS,
    ResultsInvalid,
    is_results_line,
    parse_result_value,
    parse_results,
    value_problem,
)
from knowledge.reading.when import (
    WhenError,
    WhenProblem,
    find_zone,
    month_names,
    parse_duration,
    parse_length,
    parse_start,
    parse_when,
    weekday_names,
)
from knowledge.writing import i18n
from tests.conftest import Cli

# Not fr_CH: Babel groups its large numbers oddly there (`1000000'000`).
KB = default_knowledge()
FRENCH_LOCALES = ("fr_FR", "fr_BE", "fr_CA")


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("2 000 €", 200_000),
        ("2 000€", 200_000),
        ("2\u202f000\u00a0€", 200_000),  # Babel's and French phones' spaces
        ("2\u00a0000 €", 200_000),
        ("2k€", 200_000),
        ("2 k€", 200_000),
        ("environ 2000 euros", 200_000),
        ("env. 2000 €", 200_000),
        ("1,5k", 150_000),
        ("1 500,50 €", 150_050),
        ("1\u202f500,50\u00a0€", 150_050),
        ("max 1500 euros", 150_000),
        ("autour de 3000€", 300_000),
        ("aux alentours de 3 000 €", 300_000),
        ("à peu près 800 €", 80_000),
        ("a peu pres 800", 80_000),
        ("jusqu'à 2000€", 200_000),
        ("jusqu’à 2 000 €", 200_000),
        ("pas plus de 900 euros", 90_000),
        ("2000 € maximum", 200_000),
        ("2,5", 250),  # a decimal comma: two euros fifty
        ("1,5", 150),
        ("1,500", 150_000),  # three digits after a lone comma stay thousands
        ("1 234,567", 123_457),  # unless the thousands are grouped by spaces already
        ("500e", 50_000),  # `e` for euros, typed on a phone, right after the amount
        ("1000e", 100_000),
        ("1,5k€", 150_000),
        ("1.5k e", 150_000),
        ("500 eur", 50_000),
        ("500 euros", 50_000),
        ("2000 balles", 200_000),  # slang for the local money
        ("mille euros", 100_000),
        ("deux mille €", 200_000),
    ],
)
def test_french_budgets(text: str, cents: int) -> None:
    assert parse_budget(text, "EUR").cents == cents


@pytest.mark.parametrize(
    "text",
    ["3k par mois", "2000 boulons", "1,5,3", "autour de", "e500"],
)
def test_french_budgets_not_read(text: str) -> None:
    with pytest.raises(BudgetError) as caught:
        parse_budget(text, "EUR")
    assert caught.value.problem is BudgetProblem.UNREADABLE


@given(st.integers(min_value=1, max_value=MAX_CENTS), st.sampled_from(FRENCH_LOCALES))
def test_any_amount_babel_writes_in_french_reads_back(cents: int, locale: str) -> None:
    written = format_currency(Decimal(cents) / 100, "EUR", locale=locale)
    assert parse_budget(written, "EUR").cents == cents
    assert parse_price(written, "EUR") == cents


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(FRENCH_LOCALES))
def test_any_count_babel_writes_in_french_reads_back(count: int, locale: str) -> None:
    assert parse_count(format_decimal(count, locale=locale)) == count


@pytest.mark.parametrize(
    "text", ["passer", "Passer", "aucun", "aucune", "je ne sais pas", "Sais pas", "peu importe"]
)
def test_french_skip_words(text: str) -> None:
    assert is_skip(text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_any_platform_button_typed_out_is_read_as_its_tap(language: str) -> None:
    """A planner's read: typing « Toutes plateformes », the button's own label, was refused."""
    with i18n.speaking(language):
        assert is_skip(i18n.gettext("Any platform"))
    assert is_skip("toutes les plateformes") and is_skip("no preference")


@pytest.mark.parametrize("text", ["no idea", "No idea!", "not sure?", "idk", "aucune idée", "jsp"])
def test_i_dont_know_in_words_skips_an_optional_answer(text: str) -> None:
    assert is_skip(text)
    assert not is_skip(f"{text} 30")  # a figure beside it is an answer, read as one


@pytest.mark.parametrize("text", ["France", "passe", "je sais"])
def test_answers_that_are_not_skips(text: str) -> None:
    assert not is_skip(text)


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("ventes", "sales"),
        ("Vendre", "sales"),
        ("on veut vendre plus", "sales"),
        ("notoriété", "awareness"),
        ("notoriete", "awareness"),
        ("visibilité", "awareness"),
        ("on veut se faire connaître", "awareness"),
        ("communauté", "community"),
        ("engagement", "community"),
        ("gagner des abonnés", "community"),
        ("lancement", "launch"),
        ("lancer un produit", "launch"),
        ("on lance un nouveau produit", "launch"),
        ("ambassadeur", "ambassador"),
        ("ambassadrice", "ambassador"),
        ("un partenariat sur le long terme", "ambassador"),
    ],
)
def test_french_goals(text: str, goal: str) -> None:
    assert match_goal(text).value == goal


def test_a_french_sentence_naming_two_goals_is_asked() -> None:
    assert match_goal("des ventes et de la notoriété").value is None


@pytest.mark.parametrize(
    ("text", "niche"),
    [
        ("cuisine", "cooking"),
        ("voyage", "travel"),
        ("bricolage", "diy"),
        ("mode", "fashion"),
        ("beauté", "beauty"),
        ("beaute", "beauty"),
        ("jeux vidéo", "gaming"),
        ("jeux video", "gaming"),
        ("tech", "tech"),
        ("technologie", "tech"),
        ("sport", "fitness"),
        ("déco", "home"),
        ("deco", "home"),
        ("Bricolage (DIY)", "diy"),  # the French label, as its button reads
        ("Sport et forme", "fitness"),
        ("Maison et déco", "home"),
        ("Ski et sports d’hiver", "winter-sport"),
    ],
)
def test_french_niches_typed(text: str, niche: str) -> None:
    assert niche_vocabulary(KB, ()).match(text).value == niche


def test_every_french_niche_label_reads_as_its_niche() -> None:
    vocabulary = niche_vocabulary(KB, ())
    for slug, niche in KB.niches.items():
        assert vocabulary.match(niche.label_fr).value == slug, niche.label_fr


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("Insta", "instagram"),
        ("Youtube", "youtube"),
        ("TikTok", "tiktok"),
        ("blogue", "blog"),
        ("site web", "blog"),
        ("balado", "podcast"),
    ],
)
def test_french_platforms(text: str, platform: str) -> None:
    assert platform_vocabulary(KB).match(text).value == platform


def test_a_french_one_line_brief() -> None:
    line = (
        "objectif=vendre plus budget=2 000 € niche=cuisine plateforme=Insta "
        "pays=Côte d'Ivoire langue=français panier=45,50 € marge=35,5"
    )
    assert ONE_LINE_WORDS.search(line)
    pairs, leftover = one_line(line)
    assert leftover == []
    answers: Answers = {}
    for field, value in pairs:
        assert take(field, answers, value, kb=KB, currency="EUR", roster_niches=()) is None
    assert answers == {
        GOAL: "sales",
        BUDGET: 200_000,
        NICHE: "cooking",
        PLATFORM: "instagram",
        COUNTRY: "CI",
        LANGUAGE: "fr",
        ORDER_VALUE: 4_550,
        MARGIN: 35.5,
    }


def test_french_keys_with_and_without_accents() -> None:
    assert one_line("Réseau=youtube reseau=tiktok panier_moyen=30") == (
        [(PLATFORM, "youtube"), (PLATFORM, "tiktok"), (ORDER_VALUE, "30")],
        [],
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("France", "FR"),
        ("Belgique", "BE"),
        ("Suisse", "CH"),
        ("Canada", "CA"),
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("Sénégal", "SN"),
        ("Senegal", "SN"),
    ],
)
def test_french_country_names(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"), [("français", "fr"), ("francais", "fr"), ("anglais", "en")]
)
def test_french_language_names(text: str, code: str) -> None:
    assert language_code(text) == code


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        (
            "on lance un nouveau produit, 2 000 €, sur Instagram",
            {GOAL: "launch", BUDGET: 200_000, PLATFORM: "instagram"},
        ),
        # `pour` starts a new part: the 20 is not a second budget. French niche words are
        # read inside a sentence too.
        (
            "je vends des bougies, budget de 500 € pour 20 bougies, on veut vendre plus",
            {GOAL: "sales", BUDGET: 50_000, NICHE: "candle"},
        ),
        ("on veut plus de visibilité avec 1 500 euros", {GOAL: "awareness", BUDGET: 150_000}),
        ("nous faisons de la pâtisserie maison", {}),  # a French niche word, in a sentence
        ("nous voulons dépenser 800 € et 20 produits", {BUDGET: 80_000}),
        (
            "budget de 1\u202f500,50\u00a0€ pour de la notoriété",
            {GOAL: "awareness", BUDGET: 150_050},
        ),
    ],
)
def test_what_a_french_sentence_says(text: str, answers: dict[str, object]) -> None:
    read = read_sentence(text, kb=KB, currency="EUR", roster_niches=())
    assert read == SentenceRead(answers, {})


@given(st.integers(min_value=1, max_value=MAX_CENTS), st.sampled_from(FRENCH_LOCALES))
def test_a_budget_babel_writes_in_french_reads_back_from_a_sentence(
    cents: int, locale: str
) -> None:
    written = format_currency(Decimal(cents) / 100, "EUR", locale=locale)
    read = read_sentence(
        f"budget de {written} pour 20 bougies", kb=KB, currency="EUR", roster_niches=()
    )
    assert read.answers == {BUDGET: cents, NICHE: "candle"}


NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # a Sunday, 9:00 in Paris
TODAY = date(2026, 11, 22)
PARIS = ZoneInfo("Europe/Paris")


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "due", "rest"),
    [
        ("demain 9h appeler Léa", paris(2026, 11, 23, 9, 0), "appeler Léa"),
        ("demain à 9h30 x", paris(2026, 11, 23, 9, 30), "x"),
        ("demain 9 h x", paris(2026, 11, 23, 9, 0), "x"),
        ("demain 9 h 30 x", paris(2026, 11, 23, 9, 30), "x"),
        ("demain 9h00 x", paris(2026, 11, 23, 9, 0), "x"),
        ("demain 9 heures x", paris(2026, 11, 23, 9, 0), "x"),
        ("Demain à 14:30 x", paris(2026, 11, 23, 14, 30), "x"),
        ("dans 2 heures x", paris(2026, 11, 22, 11, 0), "x"),
        ("dans 2h x", paris(2026, 11, 22, 11, 0), "x"),
        ("dans 3 jours x", paris(2026, 11, 25, 10, 0), "x"),
        ("dans une semaine x", paris(2026, 11, 29, 10, 0), "x"),
        ("dans 1 mois x", paris(2026, 12, 22, 10, 0), "x"),
        ("vendredi prochain x", paris(2026, 11, 27, 10, 0), "x"),
        ("lundi 14h30 x", paris(2026, 11, 23, 14, 30), "x"),
        ("lundi à 14h x", paris(2026, 11, 23, 14, 0), "x"),
        ("lundi prochain x", paris(2026, 11, 23, 10, 0), "x"),
        ("le 3 décembre x", paris(2026, 12, 3, 10, 0), "x"),
        ("le 3 decembre x", paris(2026, 12, 3, 10, 0), "x"),
        ("3 décembre 10h x", paris(2026, 12, 3, 10, 0), "x"),
        ("le 3 déc. à 10h x", paris(2026, 12, 3, 10, 0), "x"),
        ("jeudi 3 décembre 10h x", paris(2026, 12, 3, 10, 0), "x"),
        ("1er mai 2027 9h x", paris(2027, 5, 1, 9, 0), "x"),
        ("le 1 janvier x", paris(2027, 1, 1, 10, 0), "x"),  # past this year: the next one
        ("3 mai", paris(2027, 5, 3, 10, 0), ""),  # `mai` is May after a day of the month
        ("aujourd'hui 18h x", paris(2026, 11, 22, 18, 0), "x"),
        ("aujourd’hui midi x", paris(2026, 11, 22, 12, 0), "x"),
        ("demain à midi x", paris(2026, 11, 23, 12, 0), "x"),
        ("après-demain 8h x", paris(2026, 11, 24, 8, 0), "x"),
        ("la semaine prochaine x", paris(2026, 11, 29, 10, 0), "x"),
        ("midi x", paris(2026, 11, 22, 12, 0), "x"),  # a time alone: the next one
        ("18h appeler", paris(2026, 11, 22, 18, 0), "appeler"),
        ("14:30 x", paris(2026, 11, 22, 14, 30), "x"),
        ("8h x", paris(2026, 11, 23, 8, 0), "x"),  # already past today: tomorrow
        ("6pm x", paris(2026, 11, 22, 18, 0), "x"),
        ("à 14:30 x", paris(2026, 11, 22, 14, 30), "x"),
        ("at 6pm x", paris(2026, 11, 22, 18, 0), "x"),
    ],
)
def test_french_reminder_times(text: str, due: datetime, rest: str) -> None:
    assert parse_when(text, NOW, PARIS) == (due, rest)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("le 3 x", WhenProblem.UNREADABLE),  # a day of the month alone: which month?
        ("le 3 à 9h x", WhenProblem.UNREADABLE),
        ("mai x", WhenProblem.UNREADABLE),  # a month alone is no date
        ("9 x", WhenProblem.UNREADABLE),  # a bare number is no time
        ("31 février x", WhenProblem.NO_SUCH_DATE),
        ("3 décembre 2025 x", WhenProblem.PAST),
    ],
)
def test_french_reminder_times_not_read(text: str, problem: WhenProblem) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, NOW, PARIS)
    assert caught.value.problem is problem


def test_a_bare_number_after_a_day_stays_a_time_as_before() -> None:
    assert parse_when("demain 9 x", NOW, PARIS) == (paris(2026, 11, 23, 9, 0), "x")


@given(st.dates(min_value=TODAY, max_value=TODAY + timedelta(days=700)))
def test_any_date_babel_writes_in_french_reads_back(day: date) -> None:
    assert parse_start(format_date(day, "d MMMM y", locale="fr"), TODAY) == day
    assert parse_start(format_date(day, "EEEE d MMM y", locale="fr"), TODAY) == day


@given(st.times(), st.sampled_from(("fr_FR", "fr_CA")))
def test_any_time_babel_writes_in_french_reads_back(at: time, locale: str) -> None:
    written = format_time(at, "short", locale=locale)  # `09:30`, `09 h 30`
    due, rest = parse_when(f"demain {written} x", NOW, PARIS)
    assert (due, rest) == (paris(2026, 11, 23, at.hour, at.minute), "x")


def test_every_french_month_and_weekday_is_known() -> None:
    assert set(month_names().values()) == set(range(1, 13))
    assert {month_names()[m] for m in ("janvier", "fevrier", "aout", "decembre")} == {1, 2, 8, 12}
    assert [weekday_names()[d] for d in ("lundi", "dimanche", "monday")] == [0, 6, 0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("demain", date(2026, 11, 23)),
        ("aujourd'hui", TODAY),
        ("lundi", date(2026, 11, 23)),
        ("lundi prochain", date(2026, 11, 23)),
        ("le 3 décembre", date(2026, 12, 3)),
        ("dans 2 semaines", date(2026, 12, 6)),
    ],
)
def test_french_campaign_starts(text: str, day: date) -> None:
    assert parse_start(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "days"), [("30 jours", 30), ("2 semaines", 14), ("1 mois", 30), ("3 mois", 90)]
)
def test_french_campaign_lengths(text: str, days: int) -> None:
    assert parse_length(text) == days


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2 jours", timedelta(days=2)),
        ("3 heures", timedelta(hours=3)),
        ("1 semaine", timedelta(weeks=1)),
        ("une heure", timedelta(hours=1)),
        ("un jour", timedelta(days=1)),
    ],
)
def test_french_durations(text: str, span: timedelta) -> None:
    assert parse_duration(text) == span


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("ventes=25 dépensé=800", {"conversions": 25, "spent_cents": 80_000}),
        ("portée=12000", {"reach": 12_000}),
        ("depense=800", {"spent_cents": 80_000}),
        ("Dépensé=800", {"spent_cents": 80_000}),
        (
            "portée=12 000 ventes=25 dépensé=800 €",
            {"reach": 12_000, "conversions": 25, "spent_cents": 80_000},
        ),
        ("vues=12\u202f000 interactions=1,2k", {"reach": 12_000, "engagements": 1_200}),
        ("clics : 300 commandes: 4", {"clicks": 300, "conversions": 4}),
        ("dépensé=1 500,50 € CA=3 000 €", {"spent_cents": 150_050, "revenue_cents": 300_000}),
        ("coût=700€ chiffre_d_affaires=2k", {"spent_cents": 70_000, "revenue_cents": 200_000}),
    ],
)
def test_french_results(text: str, values: dict[str, int]) -> None:
    assert parse_results(text, "EUR") == values


def test_every_result_has_a_french_name() -> None:
    french = {"portee", "interactions", "clics", "ventes", "ca", "depense"}
    assert {RESULT_FIELDS[name] for name in french} == set(RESULT_FIELDS.values())


@pytest.mark.parametrize(
    "text", ["portée=12 000 bonjour", "abonnés=30", "dépensé=800 $", "ventes=beaucoup"]
)
def test_french_results_not_read(text: str) -> None:
    with pytest.raises(ResultsInvalid):
        parse_results(text, "EUR")


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("reach", "12 000", 12_000),
        ("reach", "12\u202f000", 12_000),
        ("spent_cents", "800 €", 80_000),
        ("spent_cents", "1 500,50 €", 150_050),
        ("revenue_cents", "2,5k€", 250_000),
    ],
)
def test_one_french_figure(field: str, text: str, value: int) -> None:
    assert parse_result_value(field, text, "EUR") == value


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(FRENCH_LOCALES))
def test_any_results_babel_writes_in_french_read_back(cents: int, locale: str) -> None:
    spent = format_currency(Decimal(cents) / 100, "EUR", locale=locale)
    reach = format_decimal(cents, locale=locale)
    assert parse_results(f"portée={reach} dépensé={spent}", "EUR") == {
        "reach": cents,
        "spent_cents": cents,
    }


def test_sandbox_lets_time_pass_in_french(cli: Cli) -> None:
    script = (
        "/remind dans 2 heures appeler Léa\n1\n:attendre 1 heure\n:attendre bientôt\n"
        ":attendre 2 heures\n:quitter\n/remind demain 9h ne pas lire\n"
    )
    result = cli(stdin=script)
    assert result.code == 0, result.err
    before, _, after = result.out.partition("try :wait 2 hours")
    assert "appeler Léa" not in before.split("OK, I'll remind you")[1]  # not yet after 1 hour
    assert "Reminder" in after and "appeler Léa" in after and "late" not in after
    assert "ne pas lire" not in after  # `:quitter` stopped the sandbox


def test_results_typed_with_colons_and_commas_as_a_french_list() -> None:
    assert parse_results("ventes : 40, dépensé : 1 500 €", "EUR") == {
        "conversions": 40,
        "spent_cents": 150_000,
    }
    assert parse_results("reach=12k, sales=3; spent=700", "EUR") == {
        "reach": 12_000,
        "conversions": 3,
        "spent_cents": 70_000,
    }


def test_a_line_of_results_is_told_from_other_key_words() -> None:
    assert is_results_line("portée=12000 ventes=3") and is_results_line("Ventes : 4")
    assert not is_results_line("goal=sales budget=800")
    assert not is_results_line("country=FR language=fr")
    assert not is_results_line("hello there")


def test_time_zones_by_their_french_city_names() -> None:
    assert find_zone("Bruxelles") == "Europe/Brussels"
    assert find_zone("Montréal") == find_zone("montreal") == "America/Montreal"
    assert find_zone("Europe/Paris") == find_zone("paris") == "Europe/Paris"
    assert find_zone("new_york") == "America/New_York"
    assert find_zone("Atlantide") is None


@pytest.mark.parametrize(
    ("text", "days"),
    [("un mois", 30), ("a month", 30), ("2 months", 60), ("une semaine", 7), ("1 mois", 30)],
)
def test_a_campaign_length_in_months_and_in_words(text: str, days: int) -> None:
    assert parse_length(text) == days


def test_a_lone_article_is_not_a_length() -> None:
    with pytest.raises(WhenError):
        parse_length("un")


def test_a_figure_typed_at_its_own_question_is_quoted_the_readers_way() -> None:
    assert value_problem("abc", "must be a number") == "“abc” must be a number"
    with i18n.speaking("fr"):
        assert value_problem("abc", "doit être un nombre") == "« abc » doit être un nombre"
