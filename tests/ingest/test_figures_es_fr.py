"""Figures in Spanish and French: number formats, numbers in words, the noun before its
participle, and English `counts` — invented sentences of the shapes seen in real articles."""

from __future__ import annotations

from casework.ingest.article import Article
from casework.ingest.extract.figures import extract_figures
from tests.watchdog import finishes


def triples(text: str, language: str) -> list[tuple[float, str, str]]:
    article = Article(text=text, language=language)
    return [(f.value, f.unit, f.counts) for f in extract_figures(article)]


def test_spanish_thousands_separator_and_people_words() -> None:
    text = (
        "El ministerio contabilizó 71.271 muertos y 171.233 heridos desde el 7 de octubre "
        "de 2023. Además, dos personas muertas y 1.153 heridos en las últimas 24 horas."
    )
    assert triples(text, "es") == [
        (71271, "people", "killed"),
        (171233, "people", "injured"),
        (2, "people", "killed"),
        (1153, "people", "injured"),
    ]


def test_spanish_words_and_digits_in_one_number() -> None:
    text = "Al menos cinco mil 565 personas han sido detenidas durante las protestas."
    (figure,) = extract_figures(Article(text=text, language="es"))
    assert (figure.value, figure.unit, figure.counts) == (5565, "people", "detained")
    assert (figure.qualifier, figure.expression) == ("at least", "Al menos cinco mil 565")


def test_spanish_noun_then_participle_and_counts_of_things() -> None:
    text = (
        "Según el informe, 470 personas fueron rechazadas en la frontera y se dispararon "
        "más de 1.200 balas. La ONG reunió 125.000 firmas. Hubo un herido."
    )
    assert triples(text, "es") == [
        (470, "people", "deported"),
        (1200, "count", "bullets"),
        (125000, "count", "signatures"),
    ]


def test_spanish_toll_share_and_money() -> None:
    text = (
        "Eso eleva a 416 el número de fallecidos. Más de la mitad de los detenidos eran "
        "menores. El fondo asciende a 2,5 millones de euros y el alquiler subió un 12,5 %."
    )
    assert triples(text, "es") == [
        (416, "people", "killed"),
        (50, "percent", "children"),  # the group the share describes, as in English
        (2_500_000, "money", "money"),
        (12.5, "percent", "increase"),
    ]


def test_french_space_separator_and_words_with_hyphens() -> None:
    text = (
        "La répression a fait environ 1 400 morts. « Cinquante-quatre personnes travaillent "
        "dans cet hôpital de trente lits », et quatre-vingt-dix civils ont été tués."
    )
    assert triples(text, "fr") == [
        (1400, "people", "killed"),
        (54, "people", "staff"),
        (30, "count", "beds"),
        (90, "people", "killed"),
    ]


def test_french_aside_subset_and_missing() -> None:
    text = (
        "Au moins huit civils, parmi lesquels un enfant, ont perdu la vie. On est sans "
        "nouvelles de huit membres du personnel, portés disparus. L'ONG a parlé avec 36 "
        "personnes, dont 25 témoins. Le M23 a exécuté sommairement plus de 140 civils."
    )
    assert triples(text, "fr") == [
        (8, "people", "killed"),
        (8, "people", "missing"),
        (36, "people", "people"),
        (25, "people", "witnesses"),
        (140, "people", "killed"),
    ]


def test_french_dates_durations_ages_and_vague_words_are_not_figures() -> None:
    text = (
        "Entre le 10 et le 30 juillet 2025, une douzaine de villages ont été attaqués. "
        "Shah Mir, 70 ans, a attendu une semaine. Des dizaines de civils sont morts. "
        "Publié le 18.11.2025 à 16:14, durée 12h26. La moitié des victimes."
    )
    assert triples(text, "fr") == [(50, "percent", "victims")]


def test_french_money_and_percent() -> None:
    text = "L'Union a promis 300 millions d'euros ; le chômage a reculé de 3,5 pour cent."
    assert triples(text, "fr") == [(300_000_000, "money", "money"), (3.5, "percent", "decrease")]


def test_long_runs_stay_linear() -> None:
    text = "cinco mil " * 20_000 + "muertos. " + "1.234 " * 20_000
    found = finishes(10, triples, text, "es")
    assert [counts for _value, _unit, counts in found] == ["killed"]


def test_spanish_scale_before_people_subset_of_them_and_a_share_predicate() -> None:
    text = (
        "Más de 1,5 millones de personas han sido desplazadas. Un total de 2.345 personas "
        "fueron detenidas, 120 de ellas menores. Cerca del 40 % de los fallecidos eran niños. "
        "El balance de víctimas mortales se elevó a 54 el domingo."
    )
    assert triples(text, "es") == [
        (1_500_000, "people", "displaced"),
        (2345, "people", "detained"),
        (120, "people", "children"),
        (40, "percent", "children"),
        (54, "people", "killed"),
    ]


def test_french_share_predicate_and_still_missing() -> None:
    text = (
        "La moitié des détenus sont des femmes. Dix corps ont été retrouvés et 13 personnes "
        "sont toujours portées disparues. Un policier a été tué et deux autres blessés."
    )
    assert triples(text, "fr") == [
        (50, "percent", "women"),
        (10, "people", "killed"),
        (13, "people", "missing"),
        (2, "people", "injured"),
    ]


def test_periods_in_spanish_and_french() -> None:
    from datetime import date

    cases = [
        ("HRW a documenté 104 cas de personnes détenues entre 2010 et 2016.", "fr", "2010-2016"),
        ("Al menos 92 personas han muerto desde abril de 2018.", "es", "2018-"),
        ("Les manifestations ont fait environ 1 400 morts en juillet et août 2024.", "fr", "2024"),
        ("El Gobierno ha deportado a 3.200 migrantes en lo que va de año.", "es", "2025"),
    ]
    for text, language, period in cases:
        article = Article(text=text, language=language, published=date(2025, 5, 1))
        (figure,) = extract_figures(article)
        assert figure.period == period, text
