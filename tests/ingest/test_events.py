"""Dated events: absolute, month, year and relative dates, resolved against the publication
date, with the clause that says what happened — and the dates that are not events."""

from __future__ import annotations

from datetime import date

import pytest

from casework.ingest.article import Article
from casework.ingest.extract.events import SUMMARY_LIMIT, extract_events
from casework.ingest.extract.items import Event
from tests.watchdog import finishes

TUESDAY = date(2025, 12, 23)  # a Tuesday


def events(text: str, published: date | None = TUESDAY) -> list[Event]:
    return extract_events(Article(text=text, published=published))


def dated(text: str, published: date | None = TUESDAY) -> list[tuple[str, str]]:
    return [(e.date.isoformat(), e.precision) for e in events(text, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Soldiers shelled the market on December 2.", ("2025-12-02", "day")),
        ("The tribunal opened its hearing on Dec. 2, 2024.", ("2024-12-02", "day")),
        ("Police cleared the camp on 2 December 2023.", ("2023-12-02", "day")),
        ("The order was signed on the 4th of March 2021.", ("2021-03-04", "day")),
        ("The ministry's log records the raid as 2025-11-30.", ("2025-11-30", "day")),
        ("The memo, dated 25/11/2025, was leaked.", ("2025-11-25", "day")),
        ("Talks collapsed in June 2022 after a week.", ("2022-06-01", "month")),
        (
            "In 2024, mines killed more people than in any year of the decade.",
            ("2024-01-01", "year"),
        ),
        ("Fighting flared again in late 2023.", ("2023-01-01", "year")),
        ("The camp was emptied at the end of 2021.", ("2021-01-01", "year")),
    ],
)
def test_absolute_dates(sentence: str, expected: tuple[str, str]) -> None:
    assert dated(sentence) == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # published on a Tuesday: "on Friday" is the Friday just gone, "on Tuesday" that day
        ("Security forces fired on the crowd on Friday.", ("2025-12-19", "day")),
        ("The Monitor published its findings on Tuesday.", ("2025-12-23", "day")),
        ("Protesters gathered Sunday outside the court.", ("2025-12-21", "day")),
        ("The hearing was adjourned last Tuesday.", ("2025-12-16", "day")),
        ("The convoy will leave on Friday.", ("2025-12-26", "day")),
        ("The rally is planned for next Monday.", ("2025-12-29", "day")),
        ("Unions have called a general strike for Saturday.", ("2025-12-27", "day")),
        ("Police raided the office yesterday.", ("2025-12-22", "day")),
        ("The court will rule tomorrow.", ("2025-12-24", "day")),
        ("Two journalists were released earlier this month.", ("2025-12-01", "month")),
        ("The ministry closed the shelter last month.", ("2025-11-01", "month")),
        ("The law was passed last year.", ("2024-01-01", "year")),
        ("Parliament will vote on the bill next year.", ("2026-01-01", "year")),
        ("Three villages were shelled earlier this year.", ("2025-01-01", "year")),
        ("The checkpoint opened three years ago.", ("2022-01-01", "year")),
        ("The detainees were moved two days ago.", ("2025-12-21", "day")),
        # a week: the month most of its days fall in, never a made-up day
        ("Troops withdrew from the town last week.", ("2025-12-01", "month")),
        ("Activists were beaten over the weekend.", ("2025-12-01", "month")),
        # a month without a year: the publication's year unless said to be in the future
        ("Negotiations stalled in May.", ("2025-05-01", "month")),
        ("The envoys will meet again in May.", ("2026-05-01", "month")),
    ],
)
def test_relative_dates_resolve_against_publication(
    sentence: str, expected: tuple[str, str]
) -> None:
    assert dated(sentence) == [expected]


def test_a_week_across_two_months_goes_to_the_month_of_most_of_its_days() -> None:
    # published Wednesday 3 December 2025: last week ran Mon 24 to Sun 30 November
    assert dated("Troops withdrew last week.", date(2025, 12, 3)) == [("2025-11-01", "month")]
    # published Tuesday 4 March 2025: last week ran Mon 24 Feb to Sun 2 Mar (5 days in Feb)
    assert dated("Troops withdrew last week.", date(2025, 3, 4)) == [("2025-02-01", "month")]


def test_the_future_belongs_to_the_part_of_the_sentence_that_says_it() -> None:
    text = "On 9 December, a judge granted an injunction until a hearing, set for 5 January."
    assert dated(text) == [("2025-12-09", "day"), ("2026-01-05", "day")]
    assert dated("On Friday, the court will rule on the appeal.") == [("2025-12-26", "day")]


def test_a_date_with_no_year_written_does_not_lead_the_next_one() -> None:
    text = "A survey in April found 38% of children malnourished; in January it found 30%."
    assert dated(text, date(2026, 5, 8)) == [("2026-04-01", "month"), ("2026-01-01", "month")]


def test_a_reporting_verb_beside_the_weekday_dates_the_saying() -> None:
    # "will" is about what was said, not when it was said
    assert dated("Amnesty said on Friday that it will publish the names.") == [
        ("2025-12-19", "day")
    ]


def test_a_yearless_date_takes_the_publication_year_or_the_nearest_sensible_one() -> None:
    january = date(2026, 1, 5)
    assert dated("The camp was raided on December 28.", january) == [("2025-12-28", "day")]
    assert dated("The panel will meet on January 20.", TUESDAY) == [("2026-01-20", "day")]
    # a weekday beside the date says which year: 26 December is a Friday in 2025
    assert dated("The vote is on Friday, December 26.", TUESDAY) == [("2025-12-26", "day")]


def test_later_counts_from_the_last_date_of_the_paragraph_only() -> None:
    text = (
        "The treaty entered into force on March 1, 1999. Two years later, the first "
        "stockpile was destroyed. A week later, inspectors arrived.\n\n"
        "Two years later, nothing had changed."
    )
    # "a week later" than a year gives no day, and the last paragraph has nothing to count from
    assert dated(text) == [("1999-03-01", "day"), ("2001-01-01", "year")]
    # the next paragraph has no date to count from
    assert all(e.span.text != "Two years later, nothing had changed." for e in events(text))


def test_a_month_without_year_follows_the_months_of_its_sentence() -> None:
    assert dated("The mission arrived in June 2022 and left in March.") == [
        ("2022-06-01", "month"),
        ("2023-03-01", "month"),
    ]


def test_a_yearless_date_takes_the_year_of_the_date_before_it_in_the_sentence() -> None:
    text = "Trials ran from November 20, 2023 until January 8, when the court adjourned."
    assert dated(text, published=None) == [("2023-11-20", "day"), ("2024-01-08", "day")]


def test_without_a_publication_date_only_absolute_dates_are_given() -> None:
    text = (
        "Police detained 40 people on Friday. The law was passed last year. "
        "Its first trial opened on 12 May 2024, and a retrial followed a week later."
    )
    assert dated(text, published=None) == [("2024-05-12", "day"), ("2024-05-19", "day")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The 2024 report is the Monitor's 26th edition.",
        "Casualties rose to 6,279, up from 5,757 in 2023.",
        "It was the highest toll since 2020.",
        "Since March 2023, 40 editors have been held without charge.",  # the count's period
        "About 180,000 people have fled since October.",
        "Malnutrition reached 38%, up from 21% in February.",
        "It was the third death in custody this year.",
        "Between 2019 and 2021, the group documented 17,000 casualties.",
        "The treaty must be fully implemented by 2030.",
        "The memo was dated 12/02/2025.",  # 12 February or 2 December: nobody can say
        "The Good Friday Agreement is often cited by negotiators.",
        "A Sunday Times reporter was refused entry.",
        "Fridays for Future organised the march.",
        "Today, 164 states are party to the treaty.",
        "In the 1990s, few states had signed.",
        "Parliament may vote soon, and a march is planned.",
        "The February 30 deadline in the draft was a typo.",
        "Over the year, the number of checkpoints doubled.",
    ],
)
def test_dates_that_are_not_events(sentence: str) -> None:
    assert dated(sentence) == []


def test_an_event_carries_its_clause_expression_and_sentence() -> None:
    text = (
        "Aid groups warned of shortages.\n\n"
        "On Friday, the ministry announced that troops had detained 14 activists — the "
        "largest sweep in a decade; their lawyers were not told."
    )
    (event,) = events(text)
    assert event.expression == "On Friday"
    assert event.summary == (
        "On Friday, the ministry announced that troops had detained 14 activists"
    )
    assert event.span.text == text[event.span.start : event.span.end]
    assert event.span.text.startswith("On Friday") and event.span.text.endswith("told.")


def test_a_clause_that_is_only_the_date_takes_the_next_one() -> None:
    text = "It began on Monday; police sealed the building. Nobody was hurt."
    (event,) = events(text)
    assert event.summary == "It began on Monday; police sealed the building"


def test_a_time_compared_with_is_not_an_event() -> None:
    text = "In March, inflation reached 7.2%, compared with 5.4% a year earlier."
    assert dated(text) == [("2025-03-01", "month")]


def test_a_dateline_is_not_an_event() -> None:
    text = "KAMPALA, March 4 (Reuters) - Police shot dead 17 demonstrators on Monday."
    assert dated(text, date(2025, 3, 4)) == [("2025-03-03", "day")]


def test_summaries_are_short() -> None:
    long_clause = "the regional court ordered the release of " + ", ".join(
        f"detainee number {n} held in the northern prison" for n in range(1, 15)
    )
    (event,) = events(f"On 3 March 2025 {long_clause}.")
    assert len(event.summary) <= SUMMARY_LIMIT
    assert event.summary.startswith("On 3 March 2025 the regional court ordered")
    assert event.summary.endswith("…")


def test_the_same_date_twice_in_a_sentence_is_one_event() -> None:
    text = "Fighting resumed earlier this month and again last week, residents said."
    assert dated(text) == [("2025-12-01", "month")]
    # but the same date in two sentences is two events, each with its own sentence
    two = events("Troops arrived on Monday. Shelling began on Monday night.")
    assert [(e.date, e.span.start) for e in two] == [
        (date(2025, 12, 22), 0),
        (date(2025, 12, 22), 26),
    ]


def test_a_news_article_yields_exactly_its_events() -> None:
    text = (
        "GENEVA — Landmines killed at least 1,945 people in 2024, according to a report "
        "released on Tuesday by the International Campaign to Ban Landmines. The 2024 "
        "figure was the highest since 2020.\n\n"
        "Lithuania, Latvia and Estonia said in March that they would leave the treaty, and "
        "Finland followed in June 2025. Poland's parliament voted on Friday, December 19, "
        "to begin the same process.\n\n"
        "A 12-year-old boy was killed near Battambang on 2 December, police said. The next "
        "meeting of states parties will open in Geneva on 1 December 2026.\n\n"
        "Yesterday, activists delivered a petition to the foreign ministry. The government "
        "said last week that it would review the cases."
    )
    assert dated(text) == [
        ("2024-01-01", "year"),
        ("2025-12-23", "day"),
        ("2025-03-01", "month"),
        ("2025-06-01", "month"),
        ("2025-12-19", "day"),
        ("2025-12-02", "day"),
        ("2026-12-01", "day"),
        ("2025-12-22", "day"),
        ("2025-12-01", "month"),
    ]


def test_dates_after_a_long_bracketed_opening_are_read_once() -> None:
    # Whether a date sat in a dateline's place ("(Harwick, ") was matched from the sentence's
    # start up to each date: 20,000 dates took 55 s, so these 40,000 some four minutes. Now
    # the dateline is read once per sentence: ~0.6 s.
    text = "(Harwick" + " 2024-03-04" * 40_000
    found = finishes(60, events, text)
    assert [(e.date, e.precision) for e in found] == [(date(2024, 3, 4), "day")]
    # A date in a dateline's place is still no event; one after it is.
    assert dated("(Harwick, 2024-03-04) The court met on 2024-03-05.") == [("2024-03-05", "day")]


# --- real news (issue 15): datelines, "since", ranges, and Spanish and French ---------------


def dated_in(text: str, language: str, published: date | None = TUESDAY) -> list[tuple[str, str]]:
    article = Article(text=text, published=published, language=language)
    return [(e.date.isoformat(), e.precision) for e in extract_events(article)]


@pytest.mark.parametrize(
    "text",
    [
        "WASHINGTON, Dec 23 (Reuters) - The court ruled against the ministry.",
        "DONETSK, Ukraine, Dec 23 (Reuters) - Shelling damaged the station.",
        "St. Louis, December 23 (RHC)-- Protesters gathered outside the court.",
        "News Wire, New York, NY, December 23, 2025: The court ruled against the ministry.",
    ],
)
def test_datelines_of_real_news_are_not_events(text: str) -> None:
    assert dated(text) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # no figure is counted from it: the day something began
        ("He has been on the throne since 1986.", [("1986-01-01", "year")]),
        ("The editor has been held since March 2023.", [("2023-03-01", "month")]),
        # a figure is: its period
        ("Forces have killed at least 21 people since June 17, 2011, witnesses said.", []),
        ("At least 54,321 people have died since October 2023.", []),
        (
            "He was found guilty of acts committed in 2002-2003.",
            [("2002-01-01", "year"), ("2003-01-01", "year")],
        ),
        ("The group recorded 17,000 casualties in 2019-2021.", []),
        ("The act was passed in 1798 when war with France was feared.", [("1798-01-01", "year")]),
        ("It abandoned a January ceasefire.", [("2025-01-01", "month")]),
        ("Early this morning two officers were shot.", [("2025-12-23", "day")]),
        ("He resigned after last week's report.", [("2025-12-01", "month")]),
        ("The protests began on Friday and continued into this week.", [("2025-12-19", "day")]),
        ("The ban is still in effect today.", []),
        ("The hearing was held on December 16th.", [("2025-12-16", "day")]),
        ("The order is on hold until Sept. 12 so the state can appeal.", [("2025-09-12", "day")]),
        ("Tomorrow the court will rule.", [("2025-12-24", "day")]),
        (
            "In the period from August 7 to August 25, crime fell by half compared with 2024.",
            [],
        ),
    ],
)
def test_real_news_dates(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert dated(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("El tribunal falló el 16 de marzo de 2025.", [("2025-03-16", "day")]),
        ("Se declaró el alto el fuego el pasado 10 de octubre.", [("2025-10-10", "day")]),
        ("La vista se celebrará el próximo 3 de febrero.", [("2026-02-03", "day")]),
        ("Este martes la policía detuvo a dos periodistas.", [("2025-12-23", "day")]),
        ("El pasado jueves se conoció el informe.", [("2025-12-18", "day")]),
        ("Ayer se registraron nuevas protestas.", [("2025-12-22", "day")]),
        (
            "Las protestas desde diciembre de 2022 hasta principios de 2023 dejaron muertos.",
            [("2022-12-01", "month"), ("2023-01-01", "year")],
        ),
        ("La ley empezó a aplicarse en 2015.", [("2015-01-01", "year")]),
        ("El informe se publicó la semana pasada.", [("2025-12-01", "month")]),
        ("El ministro dimitió el mes pasado.", [("2025-11-01", "month")]),
        ("Ocurrió el pasado mes de junio.", [("2025-06-01", "month")]),
        ("La ley se aprobó el pasado año.", [("2024-01-01", "year")]),
        ("Ocurrió hace tres días.", [("2025-12-20", "day")]),
        ("Lo ocurrido hace casi cuatro meses sigue sin aclararse.", []),
        ("Hoy en día la ley sigue vigente.", []),
        ("Desde 2022 han muerto 49 personas.", []),
        ("Los lunes hay manifestaciones.", []),
        ("Por la mañana llegaron los agentes.", []),
    ],
)
def test_spanish_dates(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert dated_in(sentence, "es") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le tribunal a statué le 3 avril 2025.", [("2025-04-03", "day")]),
        ("Un hôpital a été bombardé lundi 15 décembre.", [("2025-12-15", "day")]),
        ("Le verdict a été rendu le 17 novembre.", [("2025-11-17", "day")]),
        (
            "Huit civils ont été tués vendredi, ont indiqué samedi des responsables.",
            [("2025-12-19", "day"), ("2025-12-20", "day")],
        ),
        (
            "La répression a eu lieu en juillet et août 2024.",
            [("2024-07-01", "month"), ("2024-08-01", "month")],
        ),
        (
            "Entre le 10 et le 30 juillet, des civils ont été exécutés.",
            [("2025-07-10", "day"), ("2025-07-30", "day")],
        ),
        (
            "Les tueries ont duré de la mi-juillet à la mi-août.",
            [("2025-07-01", "month"), ("2025-08-01", "month")],
        ),
        ("Le groupe est revenu en force fin 2021.", [("2021-01-01", "year")]),
        (
            "Human Rights Watch a indiqué aujourd'hui que le procès était inéquitable.",
            [("2025-12-23", "day")],
        ),
        ("Hier, la police a dispersé la foule.", [("2025-12-22", "day")]),
        ("Le rapport a été publié la semaine dernière.", [("2025-12-01", "month")]),
        ("Il a été arrêté le mois dernier.", [("2025-11-01", "month")]),
        ("Il a été libéré il y a deux jours.", [("2025-12-21", "day")]),
        ("Le bilan pourrait dépasser 300 victimes depuis juillet.", []),
        ("Chaque lundi, les familles manifestent.", []),
    ],
)
def test_french_dates(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert dated_in(sentence, "fr") == expected


def test_a_language_s_own_words_are_read_only_in_that_language() -> None:
    # "mars" and "mayo" are words of their own in English text; "hier" too.
    assert dated_in("Rovers on Mars in 2021 found water.", "en") == [("2021-01-01", "year")]
    assert dated_in("Le rover a été lancé en mars 2021.", "fr") == [("2021-03-01", "month")]


def test_a_month_with_last_year_after_it_is_of_the_year_before() -> None:
    # Published in December 2025: "since October last year" is October 2024, and "last
    # year" is read with the month, not on its own.
    assert dated("Since October last year the army has blocked the convoys.") == [
        ("2024-10-01", "month")
    ]


def test_a_list_item_opened_by_an_underscore_keeps_its_date() -> None:
    # AP's underscore for a dash: "_Nov. 4," is a date at the head of a list item.
    text = "Summaries of the rulings:\n\n_Nov. 4, Judge Ana Ruiz ordered three men released."
    assert dated(text) == [("2025-11-04", "day")]


def test_today_describing_a_state_is_no_event() -> None:
    assert dated("The camp opened in 1999 and today holds 4,000 people.") == [
        ("1999-01-01", "year")
    ]
    assert dated("Status today: three men still detained.") == []
    assert dated("The court ruled today that the law stands.") == [("2025-12-23", "day")]


def test_until_a_past_year_dates_a_change_until_a_coming_one_does_not() -> None:
    assert dated("Until 1994 the prison was called Camp North.") == [("1994-01-01", "year")]
    assert dated("The ban stays in force until 2027.") == []


def test_a_month_named_with_an_adjective_before_it() -> None:
    # Published in December 2025: "a bloody May crackdown" is May 2025.
    assert dated("Investigators looked into a bloody May crackdown in the port.") == [
        ("2025-05-01", "month")
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # from the date the paragraph gave last, to the day
        ("Troops entered the town on 3 December. The day before, shells hit the market.", "en",
         [("2025-12-03", "day"), ("2025-12-02", "day")]),
        ("Les soldats sont entrés le 3 décembre. La veille, des obus avaient frappé le marché.",
         "fr", [("2025-12-03", "day"), ("2025-12-02", "day")]),
        ("Les soldats sont entrés le 3 décembre. Le lendemain, ils ont fouillé les maisons.",
         "fr", [("2025-12-03", "day"), ("2025-12-04", "day")]),
        ("Los soldados entraron el 3 de diciembre. El día anterior, los obuses cayeron.", "es",
         [("2025-12-03", "day"), ("2025-12-02", "day")]),
        # else from the publication's date
        ("La veille, la police avait arrêté trois militants.", "fr", [("2025-12-22", "day")]),
        # a day from an event with no date of its own
        ("The day before the vote, the office was raided.", "en", []),
        ("La veille du scrutin, le bureau a été perquisitionné.", "fr", []),
    ],
)  # fmt: skip
def test_the_day_before_and_after(
    text: str, language: str, expected: list[tuple[str, str]]
) -> None:
    assert dated_in(text, language) == expected


def test_an_approximate_time_ago_writes_no_date() -> None:
    assert dated("Just over a year ago, a video showed the boat being towed out.") == []
    assert dated("The camp was cleared almost two years ago.") == []
    assert dated("The camp was cleared two years ago.") == [("2023-01-01", "year")]


def test_a_month_in_an_opening_since_clause_before_a_toll_is_its_period() -> None:
    text = "Since the militia began its revolt last May, more than 2,000 people have been killed."
    assert dated(text) == []
    # no toll: the month dates what happened
    text = "Ever since the army took power in May 2021, rebels have come under attack."
    assert dated(text) == [("2021-05-01", "month")]


def test_a_label_of_the_page_with_this_week_is_no_event() -> None:
    assert dated("Police fired tear gas at marchers.\n\nMost read this week:") == []
