"""Figures: people killed, injured, detained…, percentages, money and counts, with their
qualifier and period — and the numbers that are not figures."""

from __future__ import annotations

from datetime import date

import pytest

from casework.ingest.article import Article
from casework.ingest.extract.figures import extract_figures
from casework.ingest.extract.items import Figure
from tests.watchdog import finishes

PUBLISHED = date(2025, 12, 23)


def figures(text: str, published: date | None = PUBLISHED) -> list[Figure]:
    return extract_figures(Article(text=text, published=published))


def triples(text: str) -> list[tuple[float, str, str]]:
    return [(f.value, f.unit, f.counts) for f in figures(text)]


def test_casualties_with_qualifier_and_period() -> None:
    text = (
        "Mines and unexploded ordnance killed at least 1,945 people and injured another "
        "4,325 in 2024, the monitoring group said."
    )
    killed, injured = figures(text)
    assert (killed.value, killed.unit, killed.counts) == (1945, "people", "killed")
    assert (killed.qualifier, killed.expression, killed.period) == (
        "at least",
        "at least 1,945",
        "2024",
    )
    assert (injured.value, injured.unit, injured.counts) == (4325, "people", "injured")
    assert (injured.qualifier, injured.expression, injured.period) == ("", "4,325", "2024")
    assert killed.span.text == text and injured.span == killed.span


def test_percentages_count_what_they_measure() -> None:
    text = (
        "The toll marks a 9% increase on the year before. Ninety percent of those "
        "casualties were civilians, and 46% of those civilians were children. Funding "
        "fell by 12 per cent, while 30% of the victims never received care."
    )
    assert triples(text) == [
        (9, "percent", "increase"),
        (90, "percent", "civilians"),
        (46, "percent", "children"),
        (12, "percent", "decrease"),
        (30, "percent", "victims"),
    ]


def test_counts_of_things() -> None:
    (countries,) = figures("More than 160 countries have joined the treaty.")
    assert (countries.value, countries.unit, countries.counts) == (160, "count", "countries")
    assert (countries.qualifier, countries.expression) == ("more than", "More than 160")
    assert triples("Some 33 national programmes reported shortfalls.") == [
        (33, "count", "programmes")
    ]
    assert triples("The treaty now has 164 states parties.") == [(164, "count", "states parties")]


@pytest.mark.parametrize(
    ("sentence", "value", "currency", "counts"),
    [
        (
            "Washington pledged $2.5 million for victim assistance.",
            2_500_000,
            "USD",
            "victim assistance",
        ),
        ("The EU added €40m for clearance in Ukraine.", 40_000_000, "EUR", "clearance"),
        (
            "Tokyo gave 1.2 billion dollars in humanitarian aid.",
            1_200_000_000,
            "USD",
            "humanitarian aid",
        ),
        ("London promised £3bn over five years.", 3_000_000_000, "GBP", ""),
        ("A budget of US$750,000 was approved.", 750_000, "USD", "budget"),
        ("The court fined the firm 5 million euros.", 5_000_000, "EUR", ""),
    ],
)
def test_money(sentence: str, value: float, currency: str, counts: str) -> None:
    (money,) = figures(sentence)
    assert (money.value, money.unit, money.currency, money.counts) == (
        value,
        "money",
        currency,
        counts,
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Police detained 300 protesters outside the court.", (300, "people", "detained")),
        ("At least 52 students were arrested at dawn.", (52, "people", "arrested")),
        ("The floods displaced 3.4 million people.", (3_400_000, "people", "displaced")),
        ("The drought uprooted 1.5m people.", (1_500_000, "people", "displaced")),
        ("Eleven villagers were wounded by shrapnel.", (11, "people", "injured")),
        ("By nightfall 14 were dead.", (14, "people", "killed")),
        ("Twenty-five prisoners died in custody.", (25, "people", "killed")),
        ("Three dozen journalists remain missing.", (36, "people", "missing")),
        ("A million people fled the fighting.", (1_000_000, "people", "displaced")),
        ("Fighting forced some 40,000 to flee.", (40_000, "people", "displaced")),
        ("The death toll rose to 45.", (45, "people", "killed")),
        ("Landmines killed or injured 6,279 people.", (6279, "people", "casualties")),
        ("Officials counted 212 deaths and 90 arrests.", (212, "people", "killed")),
        ("At least 12 Palestinians were killed.", (12, "people", "killed")),
        ("Gunmen abducted two hundred and ten schoolgirls.", (210, "people", "abducted")),
        ("The camp now shelters 120,000 refugees.", (120_000, "people", "refugees")),
    ],
)
def test_people(sentence: str, expected: tuple[float, str, str]) -> None:
    assert triples(sentence)[0] == expected


def test_numbers_in_words_after_numbers_in_digits() -> None:
    text = "On 20 March 2026 police freed five reporters but charged seven photographers."
    # being charged is not what `counts` names (the gold conventions: killed, injured,
    # detained, …, else the people word)
    assert triples(text) == [(5, "people", "released"), (7, "people", "photographers")]


def test_what_happened_is_found_around_the_number() -> None:
    assert triples(
        "It raises the number of people killed in the strike on 14 April to 24, and finds "
        "that 41 people were injured."
    ) == [(24, "people", "killed"), (41, "people", "injured")]
    assert triples("They demand an inquiry into the deaths of three protesters.") == [
        (3, "people", "killed")
    ]
    assert triples("Police said 612 people had been detained, 29 of them children.") == [
        (612, "people", "detained"),
        (29, "people", "children"),
    ]
    assert triples("Charges against the seven reporters and photographers arrested.") == [
        (7, "people", "arrested")
    ]
    assert triples("The government raised the price of diesel and petrol by 18% overnight.") == [
        (18, "percent", "increase")
    ]
    assert triples("The government survived the vote by two votes.") == [(2, "count", "votes")]


def test_a_number_compared_with_the_one_before_counts_the_same_thing() -> None:
    assert triples("Malnutrition reached 38% of children, up from 21% in February.") == [
        (38, "percent", "children"),
        (21, "percent", "children"),
    ]
    assert triples("Mines killed 1,945 people, up from 1,500 the year before.") == [
        (1945, "people", "killed"),
        (1500, "people", "killed"),
    ]


def test_a_subset_counts_its_people_not_the_verb() -> None:
    assert triples("The strike killed 15 civilians, including five children.") == [
        (15, "people", "killed"),
        (5, "people", "children"),
    ]


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Since 2020, authorities have detained 1,200 activists.", "2020-"),
        ("Between 2019 and 2021, the group recorded 17,000 casualties.", "2019-2021"),
        ("From 2015 to 2018 some 800 people disappeared.", "2015-2018"),
        ("In the 2022-23 season, 40 schools were closed.", "2022-2023"),
        ("Last year, 310 people were executed.", "2024"),
        ("So far this year, 95 people have been evicted.", "2025"),
        ("During 2023, 61 journalists were jailed.", "2023"),
        ("Police detained 80 people.", None),
    ],
)
def test_periods(sentence: str, period: str | None) -> None:
    (figure,) = figures(sentence)
    assert figure.period == period


def test_a_relative_period_needs_the_publication_date() -> None:
    (figure,) = figures("Last year, 310 people were executed.", published=None)
    assert figure.period is None


def test_a_comparison_is_not_the_period() -> None:
    (figure,) = figures("The toll, 4,000 casualties, was the highest since 2018.")
    assert (figure.value, figure.counts, figure.period) == (4000, "casualties", None)
    (shot,) = figures(
        "Troops shot dead 17 demonstrators, the worst violence since the election in 2021."
    )
    assert (shot.value, shot.counts, shot.period) == (17, "killed", None)


@pytest.mark.parametrize(
    "sentence",
    [
        "The 2024 report is the Monitor's 26th edition.",
        "The attack on December 2 was condemned on 3 March 2025.",
        "Prosecutors cited Article 8 of the statute and Articles 5 and 7 of the convention.",
        "Resolution 2417 was adopted at 10:30 on 12/02/2025.",
        "A 12-year-old boy and a nine-year-old girl were among them.",
        "Aged 17, he was the youngest.",
        "For details call +41 22 917 9000 or 555-123-4567.",
        "The M23 group blamed COVID-19 and the G20.",
        "He was sentenced to 10 years and moved 40 km away.",
        "Dozens were hurt and hundreds of homes burned; thousands watched.",
        "It was the second attack this week and one of the worst.",
        "Negotiators met at 3 p.m. in Room 12.",
        "The wall is 40m high.",
    ],
)
def test_numbers_that_are_not_figures(sentence: str) -> None:
    assert figures(sentence) == []


def test_the_same_figure_twice_in_a_sentence_is_one_figure() -> None:
    text = "Police detained 40 protesters; 40 protesters were detained, a lawyer repeated."
    assert triples(text) == [(40, "people", "detained")]


def test_every_figure_carries_the_whole_sentence() -> None:
    text = "The vote passed.\n\nOfficials said 7 people were killed. Nobody else was hurt."
    (figure,) = figures(text)
    assert figure.span.text == "Officials said 7 people were killed."
    assert text[figure.span.start : figure.span.end] == figure.span.text


def test_a_news_article_yields_exactly_its_figures() -> None:
    text = (
        "GENEVA — Landmines and explosive remnants of war killed at least 1,945 people and "
        "injured another 4,325 in 2024, according to a report released on Tuesday. Myanmar "
        "recorded 1,003 people killed or injured, ahead of Syria.\n\n"
        '"More than 160 countries have joined the treaty," said the campaign\'s director, '
        "adding that three states announced their withdrawal last year.\n\n"
        "Support for mine action fell to $798 million in 2024, down 12% from 2023. The EU "
        "pledged €40m for clearance in Ukraine under Article 5 of the convention.\n\n"
        "A 12-year-old boy died in an explosion near Battambang on 2 December, police said. "
        "Earlier this month, 300 protesters were detained in the capital, and a dozen "
        "journalists remain missing."
    )
    assert triples(text) == [
        (1945, "people", "killed"),
        (4325, "people", "injured"),
        (1003, "people", "casualties"),
        (160, "count", "countries"),
        (3, "count", "states"),
        (798_000_000, "money", ""),
        (12, "percent", "decrease"),
        (40_000_000, "money", "clearance"),
        (300, "people", "detained"),
        (12, "people", "missing"),
    ]


def test_number_words_joined_by_hyphens_are_read_in_one_pass() -> None:
    # "one-one-…" read as one word or two at each hyphen: 24 words took 0.2 s and every 4 more
    # seven times as long (these 40: ~7 minutes). Now ~0.1 ms.
    text = "They counted " + "one-" * 40 + "onex people."
    assert finishes(10, figures, text) == []


def test_a_run_of_number_words_that_ends_no_number_is_read_once() -> None:
    # Each word of the run was a start from which the run was read to its end: 4,000 words
    # took 25 s, so these 20,000 ~10 minutes. Read once: ~0.1 s.
    text = "They counted " + "one- " * 20_000 + "people."
    assert finishes(15, figures, text) == []
    # A number after such a run is still read.
    text = "They counted " + "one- " * 3 + "people and twenty-five civilians."
    assert triples(text) == [(25, "people", "civilians")]


# -- real-news failure classes (issue 15), in invented sentences


def test_shot_people_and_a_subset_that_died() -> None:
    text = "Eleven police officers were shot, four of them fatally, when two snipers fired."
    assert triples(text) == [
        (11, "people", "injured"),
        (4, "people", "killed"),
        (2, "people", "snipers"),
    ]


def test_of_them_without_a_noun_counts_the_people_before() -> None:
    text = "The video shows at least 18 men in uniform looking on while 2 of them cut the body."
    assert triples(text) == [(18, "people", "men"), (2, "people", "men")]


def test_n_of_m_counts_what_m_counts() -> None:
    text = (
        "The office verified 8,119 of the more than 34,500 people reported killed. The judge "
        "absolved 19 out of 29 former naval and police officials."
    )
    assert triples(text) == [
        (8119, "people", "killed"),
        (34500, "people", "killed"),
        (19, "people", "officials"),
        (29, "people", "officials"),
    ]


def test_count_noun_after_more_and_compounds() -> None:
    text = (
        "72 bodies were recovered and 278 more people were injured. Police cited two other "
        "protestors. The mission rescued over 110 child victims; 40 or more towns saw protests."
    )
    assert triples(text) == [
        (72, "people", "killed"),
        (278, "people", "injured"),
        (2, "people", "protestors"),
        (110, "people", "victims"),
        (40, "count", "towns"),
    ]


def test_one_person_is_a_figure_only_when_something_happened_to_them() -> None:
    text = (
        "One officer tried a stun gun. One female was in custody. One man pointed a laser "
        "at an officer, police said, and was arrested. Officials said one person was killed."
    )
    # the same figure is proposed once: "1 arrested" and "1 killed" are told apart by counts
    assert triples(text) == [
        (1, "people", "detained"),
        (1, "people", "arrested"),
        (1, "people", "killed"),
    ]


def test_among_the_dead_and_perished_lists() -> None:
    text = (
        "Six children were among the dead. Three women and one man perished in the yard. "
        "Several hundred more people were injured; several dozen people gathered."
    )
    assert triples(text) == [
        (6, "people", "killed"),
        (3, "people", "killed"),
        (1, "people", "killed"),
    ]


def test_accented_i_in_a_scraped_english_copy() -> None:
    (figure,) = figures("Two políce offícers were shot ín the square.")
    assert (figure.value, figure.unit, figure.counts) == (2, "people", "injured")
    assert figure.span.text == "Two políce offícers were shot ín the square."


def test_years_and_copyright_lines_are_not_counts() -> None:
    text = (
        "Image © 2022 REUTERS/Vincent Bado. They were arrested during the 2021 protests. "
        "The Posse Comitatus Act, the 1878 federal law against using troops at home."
    )
    assert triples(text) == []


def test_the_same_figure_is_proposed_once() -> None:
    text = "The strike killed 23 civilians. Rebels said the strike killed 23 civilians."
    assert triples(text) == [(23, "people", "killed")]


def test_share_of_them_is_not_a_stray_letter() -> None:
    assert triples("Some 612 people were detained and 3% of them were released.") == [
        (612, "people", "detained"),
        (3, "percent", "released"),
    ]


def test_a_treaty_definition_is_not_a_casualty() -> None:
    text = (
        "The convention defines a mass killing as the deaths of 50 people or more. "
        "Under the treaty, 12 people were killed last year."
    )
    assert triples(text) == [(12, "people", "killed")]


def test_shares_in_words() -> None:
    text = (
        "One in five children was hurt, and nine of ten victims were civilians. Violent crime "
        "fell by almost half. A third of the detainees were women. Arrivals rose 23% in the "
        "first half of the year, and funds cover more than half of their budget."
    )
    assert triples(text) == [
        (20, "percent", "children"),
        (90, "percent", "civilians"),
        (50, "percent", "decrease"),
        (33.3, "percent", "women"),
        (23, "percent", "increase"),
    ]


def test_share_of_a_group_that_made_it_up() -> None:
    text = "Women and children made up nearly 70 percent of the thousands of deaths."
    (figure,) = figures(text)
    assert (figure.value, figure.unit, figure.counts, figure.qualifier) == (
        70,
        "percent",
        "children",
        "nearly",
    )


def test_cumulative_tolls() -> None:
    text = (
        "Another 184 people were injured, bringing the number wounded in the onslaught to "
        "123,492. Two more people died, bringing the toll to 53,901. A military source put "
        "the dead at 20 civilians."
    )
    assert triples(text) == [
        (184, "people", "injured"),
        (123492, "people", "injured"),
        (2, "people", "killed"),
        (53901, "people", "killed"),
        (20, "people", "killed"),
    ]


def test_a_restated_number_is_not_a_new_figure() -> None:
    text = (
        "Two former members of parliament stood trial. In detention the two former MPs "
        "were reportedly assaulted. All two face charges."
    )
    assert triples(text) == [(2, "people", "members")]


def test_numbers_in_capitals() -> None:
    assert triples("FOUR CIVILIANS KILLED IN SHELLING, 12 OTHERS WERE SHOT") == [
        (4, "people", "killed"),
        (12, "people", "injured"),
    ]


def test_people_put_on_a_flight_past_a_phrase() -> None:
    text = "Eight detainees from several countries were put on a flight to South Sudan."
    assert triples(text) == [(8, "people", "deported")]


def test_both_ends_of_a_range_are_figures() -> None:
    assert triples("Some 20 to 25 people were jailed for blocking the road.") == [
        (20, "people", "detained"),
        (25, "people", "detained"),
    ]
    assert triples("Activists say that between 300 and 450 people have been killed.") == [
        (300, "people", "killed"),
        (450, "people", "killed"),
    ]


def test_numbers_with_no_noun_in_a_list_count_what_the_first_counts() -> None:
    text = "Four people were killed in Aleppo, two in Idlib and one in a village near Hama."
    assert triples(text) == [(4, "people", "killed"), (2, "people", "killed"),
                             (1, "people", "killed")]  # fmt: skip


def test_taken_to_hospital_is_injured() -> None:
    assert triples("The fight sent 9 prisoners to hospital, guards said.") == [
        (9, "people", "injured")
    ]
    assert triples("Five of those taken to hospital had burns.") == [(5, "people", "injured")]


def test_a_part_of_named_people_counts_what_happened_to_it() -> None:
    text = "Three of the agency's reporters were killed on assignment."
    assert triples(text) == [(3, "people", "killed")]


def test_what_happened_is_read_past_an_appositive() -> None:
    text = "Two other staff, driver Omar Said and guard Ali Noor, were killed in the blast."
    assert triples(text) == [(2, "people", "killed")]


def test_ranks_are_people_and_aircraft_a_plural() -> None:
    assert triples("The court sentenced two army colonels for the raid.") == [
        (2, "people", "colonels")
    ]
    assert triples("Witnesses said three military aircraft circled the town.") == [
        (3, "count", "aircraft")
    ]


def test_one_body_found_is_one_killed() -> None:
    assert triples("Divers said at least one body was found in the hold.") == [
        (1, "people", "killed")
    ]


def test_a_total_named_by_its_noun() -> None:
    text = "That could take the city's arrest total for the week above 240, police said."
    assert triples(text) == [(240, "people", "arrested")]


def test_of_them_were_and_a_people_word() -> None:
    text = "He said every victim was a pupil and that three of them were children of nurses."
    assert triples(text) == [(3, "people", "children")]


def test_an_attested_participle_before_the_noun() -> None:
    assert triples("Investigators were given 212 confirmed incidents to check.") == [
        (212, "count", "incidents")
    ]
    assert triples("The march ended with only one reported injury, to a steward.") == [
        (1, "people", "injured")
    ]


def test_to_death_after_a_sentence_counts_no_death() -> None:
    assert triples("The court condemned two men to death in absentia.") == [(2, "people", "men")]
