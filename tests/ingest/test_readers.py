"""Readers: HTML, Markdown, plain text and PDF → Article, and what they refuse.

Fixtures are in tests/ingest/fixtures/ (written for these tests); PDFs are made here, with
fpdf2 or byte by byte for the hostile ones.
"""

from __future__ import annotations

import socket
import tracemalloc
import zlib
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF

from casework.ingest.article import Article, ReadError
from casework.ingest.extract.sentences import sentences
from casework.ingest.readers import guess_language, is_english, read_bytes, read_path
from casework.ingest.readers.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1024 * 1024


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


# --- HTML -------------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_page_around_it() -> None:
    article = read_path(FIXTURES / "news_page.html")
    assert article.kind == "html"
    assert paragraphs(article)[0].startswith("Municipal crews demolished at least 412 homes")
    assert paragraphs(article)[-1].endswith("Police did not respond to requests for comment.")
    assert len(paragraphs(article)) == 5
    for chrome in (
        "cookies",  # the banner
        "Subscribe",  # the navigation
        "Related stories",
        "City unveils flood plan",  # a related link
        "All rights reserved",  # the footer
        "Privacy policy",
        "By Mira Castellanos",  # the byline: metadata, not text
    ):
        assert chrome not in article.text
    # The headline is the title, not the first paragraph.
    assert not article.text.startswith("Families evicted")


def test_html_metadata_comes_from_the_pages_meta_tags() -> None:
    article = read_path(FIXTURES / "news_page.html", publishers={"example.org": "Not This One"})
    assert article.title == "Families evicted from Lower Varna river district, monitors say"
    assert article.authors == ("Mira Castellanos",)
    assert article.published == date(2025, 3, 14)
    # The page names its publisher: the table does not override it.
    assert article.publisher == "The Harbour Ledger"
    assert article.url == "https://ledger.example.org/2025/03/14/lower-varna-evictions"
    assert (
        article.dek == "Monitors counted 412 homes demolished in three weeks, most without notice."
    )
    assert article.language == "en"
    assert article.found == {
        "title": "page",
        "authors": "page",
        "published": "page",
        "url": "page",
        "publisher": "page",
        "dek": "page",
    }


def test_html_byline_paragraph_becomes_metadata_and_the_table_names_the_publisher() -> None:
    data = (FIXTURES / "byline_in_text.html").read_bytes()
    article = read_bytes(
        data,
        "text/html; charset=utf-8",
        "https://www.northern-dispatch.example.com/2025/08/hospital",
        publishers={"northern-dispatch.example.com": "Northern Dispatch"},
    )
    assert article.authors == ("Farid Nasser",)
    assert article.found["authors"] == "byline"
    assert article.published == date(2025, 8, 7)
    assert "Farid Nasser" not in article.text
    assert article.text.startswith("Two strikes hit the only working hospital")
    assert article.publisher == "Northern Dispatch"
    assert article.found["publisher"] == "config"
    assert article.source == "https://www.northern-dispatch.example.com/2025/08/hospital"


@pytest.mark.parametrize("name", ["login_page.html", "link_list.html"])
def test_a_page_that_is_not_an_article_is_refused(name: str) -> None:
    with pytest.raises(ReadError, match=rf"{name}: no article text on the page"):
        read_path(FIXTURES / name)


def test_html_that_is_a_url_is_not_fetched() -> None:
    # htmldate downloads a string that looks like a URL; the reader must never hand it one.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        with pytest.raises(ReadError, match=r"not an HTML page|no article text"):
            read_bytes(f"http://127.0.0.1:{port}/article".encode(), "text/html", "")
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


# --- Markdown and plain text ------------------------------------------------------------------


def test_markdown_title_dek_and_byline() -> None:
    article = read_path(FIXTURES / "byline_article.md")
    assert article.kind == "markdown"
    assert article.title == (
        "'A Betrayal of Survivors': Watchdog Condemns Ministry Order Lifting Ban on Cluster "
        "Munitions"
    )
    assert article.dek.startswith("“Cluster munitions keep killing for decades")
    assert article.authors == ("Amara Okonkwo",)
    assert article.published == date(2025, 11, 4)
    assert article.found == {
        "title": "page",
        "dek": "page",
        "authors": "byline",
        "published": "byline",
    }
    assert article.text.startswith("A coalition of humanitarian groups has denounced a defence")
    assert "By AMARA" not in article.text
    assert len(paragraphs(article)) == 5


def test_markdown_syntax_is_gone_so_offsets_index_plain_text() -> None:
    article = read_path(FIXTURES / "byline_article.md")
    for mark in ("[", "](", "*", "**"):
        assert mark not in article.text
    assert "The Daily Courier reported on Monday" in article.text
    assert "According to a report released earlier this month" in article.text
    sentence = next(s for s in sentences(article.text) if "219" in s.text)
    assert sentence.text == (
        "According to a report released earlier this month, cluster munition remnants killed "
        "at least 219 people and injured 318 more in 2024—an 11% rise on the year before."
    )
    assert article.text[sentence.start : sentence.end] == sentence.text


def test_front_matter_gives_the_metadata() -> None:
    article = read_path(FIXTURES / "front_matter.md", publishers={"example.net": "Other"})
    assert article.title == "Court orders release of detained journalists"
    assert article.published == date(2024, 6, 18)
    assert article.authors == ("Lena Brandt", "Jonas Keller")
    assert article.publisher == "Northern Press Review"
    assert article.url == "https://review.example.net/2024/06/18/journalists-released"
    assert article.dek.startswith("The ruling ends a five-month detention")
    assert set(article.found.values()) == {"page"}
    # The heading repeating the title is not text.
    assert article.text.startswith("A regional court on Tuesday ordered the release")


def test_front_matter_with_an_alias_is_refused() -> None:
    text = "---\ntitle: &t Headline\nsubtitle: *t\n---\n\nBody text here.\n"
    with pytest.raises(ReadError, match=r"alias\.md: YAML anchors and aliases"):
        read_bytes(text.encode(), "text/markdown", "", source="alias.md")


def test_malformed_front_matter_is_refused_with_its_line() -> None:
    text = "---\ntitle: fine\ndate: [2024\n---\n\nBody text here.\n"
    with pytest.raises(ReadError, match=r"bad\.md: malformed YAML front matter on line \d"):
        read_bytes(text.encode(), "text/markdown", "", source="bad.md")


def test_plain_text_title_byline_and_wrapped_lines() -> None:
    article = read_path(FIXTURES / "plain_article.txt")
    assert article.kind == "text"
    assert article.title == "Relief convoy blocked at border crossing for a second week"
    assert article.authors == ("Jane Doe", "Ali Khan")
    assert article.published == date(2024, 3, 3)
    assert len(paragraphs(article)) == 3
    # Hard-wrapped lines are one paragraph again: a sentence is not cut at a line's end.
    assert "has been held at the Kessel crossing since February 24, aid agencies" in article.text
    quote = next(s for s in sentences(article.text) if "hungry" in s.text)
    assert quote.text.endswith("said Omar Haddad, a driver from the lead truck.")


def test_published_date_then_by_line() -> None:
    text = "Title of the piece\n\nPublished 2024-03-03 by Jane Doe\n\nThe body, one sentence."
    article = read_bytes(text.encode(), "text/plain", "https://example.org/piece")
    assert (article.authors, article.published) == (("Jane Doe",), date(2024, 3, 3))
    assert article.text == "The body, one sentence."


def test_publisher_table_fills_a_missing_publisher_from_the_url() -> None:
    text = "Title\n\nBy Jane Doe | Dec 23, 2025\n\nSomething happened on Friday."
    article = read_bytes(
        text.encode(),
        "text/markdown",
        "https://news.example.org/a",
        publishers={"www.example.org": "Example News"},
    )
    assert article.publisher == "Example News"
    assert article.found["publisher"] == "config"


def test_text_in_a_legacy_charset_is_decoded() -> None:
    text = "Título\n\nLa policía detuvo a 12 manifestantes el viernes en la plaza."
    article = read_bytes(text.encode("latin-1"), "text/plain; charset=ISO-8859-1", "")
    assert article.title == "Título"
    assert "policía" in article.text


# --- PDF --------------------------------------------------------------------------------------


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def _report_pdf() -> bytes:
    pdf = _Report()
    pdf.set_title("Water cuts in the eastern camps")
    pdf.set_author("Field Monitoring Unit")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Water cuts in the eastern camps", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Published 2025-01-20 by Nadia Rahman", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    body = [
        "Water deliveries to the three eastern camps fell by 40% in December, leaving an "
        "estimated 12,000 residents with less than the emergency minimum of 15 litres a day, "
        "according to camp committees.",
        "Committee members said trucks were turned back at a checkpoint on December 11 and "
        'again on December 19. "We are rationing drinking water for children first," said '
        "Yusuf Alami, who chairs the committee in the largest camp.",
    ]
    for _ in range(8):  # onto a second page
        for paragraph in body:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())


def test_pdf_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(_report_pdf())
    article = read_path(path)
    assert article.kind == "pdf"
    assert article.title == "Water cuts in the eastern camps"
    assert article.found["title"] == "page"
    # The byline names the writer; the info dictionary's author (the unit) is the fallback.
    assert article.authors == ("Nadia Rahman",)
    assert article.published == date(2025, 1, 20)
    assert "Page 1" not in article.text and "Page 2" not in article.text
    assert paragraphs(article)[0].startswith("Water deliveries to the three eastern camps")
    assert len(paragraphs(article)) == 16
    # A sentence wrapped over lines in the PDF is one sentence again.
    quote = next(s for s in sentences(article.text) if "rationing" in s.text)
    assert quote.text == (
        '"We are rationing drinking water for children first," said Yusuf Alami, who chairs '
        "the committee in the largest camp."
    )


def test_pdf_behind_a_password_is_refused_and_one_merely_restricted_is_read() -> None:
    def encrypted(user_password: str) -> bytes:
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, "Winter report\n\nWater ran short in the camps in December.")
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
        return bytes(pdf.output())

    with pytest.raises(ReadError, match=r"locked\.pdf: the PDF is encrypted"):
        read_pdf(encrypted("open-sesame"), source="locked.pdf")
    assert read_pdf(encrypted(""), source="restricted.pdf").text == (
        "Water ran short in the camps in December."
    )


def test_a_file_named_pdf_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"<html><body>surprise</body></html>")
    with pytest.raises(ReadError, match=r"fake\.pdf: not a PDF"):
        read_path(path)


def _pdf(objects: list[bytes], *, prev_loop: bool = False) -> bytes:
    """A PDF of the given object bodies (object 1 the catalog) with a correct xref table;
    `prev_loop` makes the cross-reference chain point back at itself."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    prev = b" /Prev %d" % xref if prev_loop else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>"
)
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = (
    b"BT /F1 12 Tf 72 700 Td (Camp report) Tj 0 -20 Td "
    b"(Water ran short in the camps in December, committees said.) Tj ET"
)


def test_pdf_whose_page_tree_loops_is_refused() -> None:
    looping = _pdf(
        [_CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", _PAGE, _stream(_TEXT), _FONT]
    )
    with pytest.raises(ReadError, match=r"loop\.pdf: not a readable PDF .*cyclic"):
        read_pdf(looping, source="loop.pdf")


def test_pdf_whose_xref_chain_loops_ends_and_is_read() -> None:
    looping = _pdf(
        [_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE, _stream(_TEXT), _FONT],
        prev_loop=True,
    )
    article = read_pdf(looping, source="xref.pdf")
    assert article.title == "Camp report"
    assert article.text == "Water ran short in the camps in December, committees said."


def test_pdf_form_that_draws_itself_ends() -> None:
    form = _stream(
        b"/Fm1 Do",
        b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /Fm1 4 0 R >> >>",
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Fm1 4 0 R >> >> >>"
    )
    pdf = _pdf([_CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, form])
    with pytest.raises(ReadError, match=r"form\.pdf: no text in the PDF"):
        read_pdf(pdf, source="form.pdf")


def test_pdf_decompression_bomb_is_refused_without_inflating() -> None:
    # 512 MB of zeros (seven times pypdf's own limit), compressed to 0.5 MB, as a page's
    # content stream.
    compressor = zlib.compressobj(9)
    zeros = b"\0" * MB
    bomb = b"".join(compressor.compress(zeros) for _ in range(512)) + compressor.flush()
    pdf = _pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE,
            _stream(bomb, b"/Filter /FlateDecode"),
            _FONT,
        ]
    )
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"bomb\.pdf: no text read .*safety limit"):
            read_pdf(pdf, source="bomb.pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * MB


def test_pdf_of_pages_each_too_costly_to_parse_ends_at_the_deadline() -> None:
    # Each page's stream inflates to 7 MB of text operators, under the inflation limit; the
    # parsing budget or the deadline stops it (a second here, to keep the test short).
    operators = zlib.compress(b"BT /F1 12 Tf 72 700 Td (x) Tj ET\n" * 220_000, 9)
    kids = b" ".join([b"3 0 R"] * 200)
    pdf = _pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count 200 >>" % kids,
            _PAGE,
            _stream(operators, b"/Filter /FlateDecode"),
            _FONT,
        ]
    )
    with pytest.raises(ReadError, match=r"slow\.pdf: reading the PDF took over 1 s with no text"):
        read_pdf(pdf, source="slow.pdf", seconds=1)


# --- Sizes, kinds and failures ----------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(50 * MB)  # sparse: the size is real, the disk is not used
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"huge\.html: too large \(50\.0 MB; the limit is 20"):
            read_path(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB


def test_fetched_bytes_over_the_limit_are_refused() -> None:
    with pytest.raises(ReadError, match=r"https://example\.org/big: too large"):
        read_bytes(b"a" * (20 * MB + 1), "text/plain", "https://example.org/big")


def test_the_bytes_outrank_a_wrong_content_type() -> None:
    article = read_bytes(_report_pdf(), "text/html", "https://example.org/report")
    assert article.kind == "pdf"
    with pytest.raises(ReadError, match=r"not an article: content type image/png"):
        read_bytes(b"\x89PNG\r\n\x1a\n", "image/png", "https://example.org/a.png")


def test_markdown_served_as_plain_text_is_read_as_markdown() -> None:
    data = (FIXTURES / "byline_article.md").read_bytes()
    article = read_bytes(data, "text/plain; charset=utf-8", "https://example.org/raw/story.md")
    assert article.kind == "markdown"
    assert "The Daily Courier reported on Monday" in article.text


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "no article text"), (b"\x00\x01\x02binary", "not a text file")],
)
def test_empty_and_binary_text_files_are_refused(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=rf"article\.txt: {message}"):
        read_path(path)


def test_missing_files_and_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"nothing\.md: no such file"):
        read_path(tmp_path / "nothing.md")
    with pytest.raises(ReadError, match="is a folder"):
        read_path(tmp_path)


# --- Language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("german_article.md", "de"),
        ("french_article.html", "fr"),
    ],
)
def test_an_article_in_another_language_is_read_and_flagged(name: str, language: str) -> None:
    article = read_path(FIXTURES / name)
    assert article.text  # read, not refused: the caller makes an empty proposal
    assert article.language == language
    assert not is_english(article)


@pytest.mark.parametrize(
    "name", ["news_page.html", "byline_article.md", "front_matter.md", "plain_article.txt"]
)
def test_english_articles_are_english(name: str) -> None:
    article = read_path(FIXTURES / name)
    assert article.language == "en"
    assert is_english(article)


def test_language_of_text_in_other_scripts_and_too_short_to_tell() -> None:
    assert guess_language("Задержаны двенадцать журналистов во время протеста в столице") == ""
    assert not is_english(
        Article(text="Задержаны двенадцать журналистов во время протеста в столице страны.")
    )
    assert guess_language("Twelve held.") == ""
    assert is_english(Article(text="Twelve held.", language="en"))
    assert not is_english(Article(text="Douze arrêtés.", language="fr"))
