"""Publication dates (issue 15): date lines wherever a page puts them, datelines, a date in
the URL, page metadata; none of them is article text, and the chrome's running date is not
the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from casework.ingest.extract.events import extract_events
from casework.ingest.readers.header import find_dateline, parse_date_line, url_date
from casework.ingest.readers.html import read_html
from casework.ingest.readers.markdown import read_markdown

BODY = (
    "The commission said the detainees were held without charge for weeks, and that their "
    "lawyers were refused access to them throughout."
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 08:32 | 18 April 2025", date(2025, 4, 18)),
        ("Published: March 12, 2024, 7:46am", date(2024, 3, 12)),
        ("Date: 2023-01-18 14:46:13+01:00", date(2023, 1, 18)),
        ("November 9, 2012 / 10:26 AM / 5 years ago", date(2012, 11, 9)),
        ("May 9, 2025, 1:18 p.m. ET", date(2025, 5, 9)),
        ("Wednesday، 17 May 2017 07:01 PM", date(2017, 5, 17)),
        ("12:3529/05/2025, Thursday", date(2025, 5, 29)),
        ("18.11.2025 à 16:14", date(2025, 11, 18)),
        ("16 Février 2020    Lu: 788", date(2020, 2, 16)),
        ("lunes, 1 de julio de 2019", date(2019, 7, 1)),
        ("Human Rights Watch - Friday, July 26, 2024", date(2024, 7, 26)),
        ("Sep. 2, 2025", date(2025, 9, 2)),
        # not date lines: a sentence, a title with a date in it
        ("The court sat on 2 September 2025 to hear the appeal.", None),
        ("UNOG press briefing: 19 November 2019", None),
    ],
)
def test_date_lines(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON, March 16 (Reuters) - The court", (None, 3, 16)),
        ("DONETSK, Ukraine, Sept 4 (Reuters) - Fresh shelling", (None, 9, 4)),
        ("MADRID, 16 Mar. (EUROPA PRESS) - El Gobierno", (None, 3, 16)),
        ("GENÈVE, 3 avril (AFP) - Le Conseil", (None, 4, 3)),
        ("St. Louis, March 12 (RHC)-- Early this morning", (None, 3, 12)),
        ("News Americas, New York, NY, May 1, 2025: In a rebuke", (2025, 5, 1)),
        ("(Harwick, 20 March 2026) – The authorities", (2026, 3, 20)),
        ("Police said on Monday, March 16 that the march was banned.", None),
        ("Last year, March 16 was a day of protest.", None),
    ],
)
def test_datelines(text: str, expected: tuple[int | None, int, int] | None) -> None:
    found = find_dateline(text)
    assert (found and (found.year, found.month, found.day)) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/2025/03/16/judge-rules", date(2025, 3, 16)),
        ("https://example.org/news/2026-01-19/judge-rules", date(2026, 1, 19)),
        ("https://example.org/intl/noticia-judge-20260101134804.html", date(2026, 1, 1)),
        ("https://example.org/intl/Judge-rules-20191111-0014.html", date(2019, 11, 11)),
        ("https://example.org/stories/201710110418.html", date(2017, 10, 11)),
        ("https://example.org/news/20240729091340244/a-story", date(2024, 7, 29)),
        ("https://example.org/noticias/1150309", None),
        ("https://example.org/article_55bb685f-dee7-5ebd-a1ba-018516531f63.html", None),
        ("https://example.org/2025/13/45/not-a-date", None),
    ],
)
def test_url_dates(url: str, expected: date | None) -> None:
    assert url_date(url) == expected


def test_a_source_line_gives_the_url_and_its_date() -> None:
    text = f"Source: https://example.org/2025/05/22/judge-rules\n\n# Judge rules\n\n{BODY}\n"
    article = read_markdown(text, source="t.md")
    assert article.url == "https://example.org/2025/05/22/judge-rules"
    assert article.published == date(2025, 5, 22)
    assert article.found["published"] == "url"
    assert "Source:" not in article.text


def test_front_matter_source_is_a_url_or_a_publisher() -> None:
    text = (
        "---\ntitle: Judge rules\npublisher: El Diario\n"
        "source: https://example.org/2022/10/14/judge-rules\n---\n\n" + BODY + "\n"
    )
    article = read_markdown(text, source="t.md")
    assert (article.publisher, article.published) == ("El Diario", date(2022, 10, 14))


def test_chrome_above_the_headline_is_not_text_and_its_running_date_loses() -> None:
    text = (
        "Thursday, November 21, 2024\n\nThe Daily Ledger\n\nLinkedin Pinterest\n\n"
        "# Man found dead in cell\n\nBy Peter Talbot, The News Tribune\n\n"
        f"Published: March 12, 2024, 7:46am\n\n{BODY}\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.title == "Man found dead in cell"
    assert article.published == date(2024, 3, 12)
    assert article.text == BODY
    # the chrome's date counts only when nothing else gives one
    alone = read_markdown("Thursday, November 21, 2024\n\n# Man found dead\n\n" + BODY, source="t")
    assert alone.published == date(2024, 11, 21)


def test_a_date_line_further_down_is_taken_out_of_the_text() -> None:
    text = (
        "# Judge orders release\n\n9 hours ago 5\n\nA caption-free paragraph of chrome.\n\n"
        f"Anemona Hartocollis\n\nMay 9, 2025, 1:18 p.m. ET\n\n{BODY}\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.published == date(2025, 5, 9)
    assert "1:18" not in article.text


def test_an_agency_trailer_dates_the_copy_and_is_not_text() -> None:
    text = f"# Ley mordaza\n\n{BODY}\n\n(SERVIMEDIA)\n01 Jul 2019\nGIC/caa\n"
    article = read_markdown(text, source="t.md")
    assert article.published == date(2019, 7, 1)
    assert "01 Jul 2019" not in article.text


def test_a_dateline_with_its_year_dates_the_article_and_is_no_event() -> None:
    text = f"# Judge rules\n\nNews Americas, New York, NY, May 1, 2025: {BODY}\n"
    article = read_markdown(text, source="t.md")
    assert article.published == date(2025, 5, 1)
    assert extract_events(article) == []


def test_photo_captions_are_not_text() -> None:
    text = (
        "# Soldiers filmed\n\nHuman Rights Watch - Friday, July 26, 2024\n\n"
        "Click to expand Image A soldier stands guard, October 2, 2022. © 2022 REUTERS/Vincent"
        f" Bado\n\n{BODY}\n\nPeople rallied in Boston.Credit...Sophie Park for The Times\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.published == date(2024, 7, 26)
    assert article.text == BODY


def test_a_caption_is_the_last_guess_at_the_date() -> None:
    text = (
        "# Missiles hit cities\n\nRescuers work at a hospital in Kyiv on July 8, 2024. "
        f"(Gleb Garanich/Reuters)\n\n{BODY}\n"
    )
    article = read_markdown(text, source="t.md")
    assert (article.published, article.found["published"]) == (date(2024, 7, 8), "caption")
    assert article.dek == ""


def _page(head: str, body: str = f"<p>{BODY} {BODY}</p>") -> str:
    return (
        f"<html><head><title>Detainees held</title>{head}</head><body><article>"
        f"<h1>Detainees held</h1>{body}</article></body></html>"
    )


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2025-03-16T08:00:00Z">',
        '<meta property="og:published_time" content="2025-03-16">',
        '<meta name="dc.date" content="2025-03-16">',
        '<meta itemprop="datePublished" content="2025-03-16T10:00">',
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"NewsArticle", "datePublished": "2025-03-16T10:00:00+01:00", "dateModified": '
        '"2025-04-01"}</script>',
        '<link rel="canonical" href="https://news.example.org/2025/03/16/detainees-held">',
    ],
)
def test_html_dates_the_page_declares(head: str) -> None:
    assert read_html(_page(head), source="t.html").published == date(2025, 3, 16)


def test_html_without_a_declared_date_never_takes_one_from_the_footer() -> None:
    body = (
        f"<p>GENEVA, March 16, 2025 (Reuters) - {BODY}</p><p>{BODY}</p>"
        "<p>Copyright The Ledger. Today is December 3, 2026.</p>"
    )
    article = read_html(_page("", body), source="t.html")
    assert (article.published, article.found["published"]) == (date(2025, 3, 16), "dateline")


def test_a_paragraph_ending_in_a_colon_is_body_not_a_dek() -> None:
    text = (
        "# Press briefing: 19 November 2019\n\nRupert Colville read out a statement on Iran:\n\n"
        f"“We are deeply concerned by reported violations,” he said. {BODY}\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.dek == ""
    assert article.text.startswith("Rupert Colville read out a statement on Iran:")


def test_a_dateline_alone_in_its_paragraph_is_not_text() -> None:
    text = (
        "---\ntitle: Gaza\nsource: https://example.org/noticia-gaza-20260101134804.html\n---\n\n"
        f"MADRID, 1 Ene. (EUROPA PRESS) -\n\n{BODY}\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.text == BODY
    assert article.published == date(2026, 1, 1)


def test_a_date_line_among_section_labels_under_the_headline() -> None:
    # A list of labels with the date as one item: the publication date, and no text.
    text = (
        "# Shelling hits a market\n\n- World\n- Top Stories\n- 14 March, 2024 09:12:55\n\n"
        "Shelling hit the market on Tuesday, killing four people, officials said.\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.published == date(2024, 3, 14)
    assert "Top Stories" not in article.text
    assert [e.date for e in extract_events(article)] == [date(2024, 3, 12)]


def test_a_page_stored_without_its_headline_opens_with_the_lede() -> None:
    text = (
        "Source: https://example.org/2024/05/10/court-convicts-officers\n\n"
        "On Thursday a court in the capital found four police officers guilty of beating "
        "protesters during the march, a defence lawyer said.\n\n"
        "The officers were given prison terms.\n"
    )
    article = read_markdown(text, source="t.md")
    assert article.title == ""
    assert article.text.startswith("On Thursday a court")
    assert [e.date for e in extract_events(article)] == [date(2024, 5, 9)]
