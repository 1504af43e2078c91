"""Which language an article is in, cheaply: the share of its words that are the commonest
function words of each language. The extractors read the languages they are written for
(`extract/registry.py`: English, Spanish, French); an article in another language gets an
empty proposal from the caller, so it must be recognised, not read wrongly.

Good enough for the question asked (is this English prose?): function words make up a third or
more of running text in these languages, and their lists barely overlap. Scripts other than
Latin are told apart first, by the letters themselves.
"""

from __future__ import annotations

import re

from casework.ingest.article import Article

_SAMPLE_CHARS = 20_000
_MIN_WORDS = 20  # fewer words than this and the guess is left to the page's own claim
_MIN_SHARE = 0.12  # of the words, the best language's function words
_MARGIN = 1.5  # the best language must beat the runner-up by this factor

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """the of and to in is was that for on are with as by it at from his her be have has
        had were which this not but they their said who been an or its after would will he she
        we our than also more""".split()
    ),
    "de": frozenset(
        """der die das und ist nicht sich mit auf dem den des ein eine einer eines zu von für
        im auch wurde wurden sind bei aus nach wie oder über wird hat sie er es dass noch nur
        vor zum zur""".split()
    ),
    "fr": frozenset(
        """le la les et des est une du dans pour que qui sur au aux pas ne se ont sont avec
        par plus été ce cette il elle ils nous mais son sa ses leur selon après""".split()
    ),
    "es": frozenset(
        """el la los las y de del que en un una por con para es fue se su sus al como más pero
        sobre entre han ha este esta según también muy sin""".split()
    ),
    "it": frozenset(
        """il lo la gli le di del della dei delle che è e un una per con non sono nel nella
        anche come più ha hanno stato stata alla alle dal dalla secondo""".split()
    ),
    "pt": frozenset(
        """o a os as e de do da dos das que em um uma para com não por foi se no na nos nas ao
        mais pelo pela como também são entre""".split()
    ),
    "nl": frozenset(
        """de het een en van in is dat op te zijn met voor niet aan er ook als bij door naar
        werd worden heeft hebben maar dan wordt uit deze""".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Letters outside the Latin script, by block: a language code when the script alone says it.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("", re.compile(r"[\u0400-\u04ff]")),  # Cyrillic: Russian, Ukrainian, ... — not said here
    ("", re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")),  # CJK
    ("", re.compile(r"[\u0900-\u0dff]")),  # the scripts of South Asia
)


def guess_language(text: str) -> str:
    """An ISO 639-1 code for the language of `text`, or "" when it cannot be told (too few
    words, no language clearly ahead, or a script whose languages are not told apart here)."""
    sample = text[:_SAMPLE_CHARS]
    letters = sum(1 for char in sample if char.isalpha())
    if letters == 0:
        return ""
    for code, pattern in _SCRIPTS:
        if len(pattern.findall(sample)) > letters / 2:
            return code
    words = [word.lower() for word in _WORD.findall(sample)]
    if len(words) < _MIN_WORDS:
        return ""
    scores = sorted(
        ((sum(1 for word in words if word in stop), code) for code, stop in _STOPWORDS.items()),
        reverse=True,
    )
    (best, code), (second, _) = scores[0], scores[1]
    if best / len(words) < _MIN_SHARE or best < second * _MARGIN:
        return ""
    return code


def _mostly_latin(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    letters = [char for char in sample if char.isalpha()]
    if not letters:
        return True
    latin = sum(1 for char in letters if char < "\u0250" or "\u1e00" <= char <= "\u1eff")
    return latin >= len(letters) / 2


def article_language(article: Article) -> str:
    """The language of `article` as an ISO 639-1 code, "" when it cannot be told: the text
    decides when it is long enough to (a non-Latin script first); otherwise the language the
    page declares, if any (a page that declares none is taken as English, as most sources
    a tracker reads are)."""
    body = f"{article.title}\n{article.dek}\n{article.text}"
    if not _mostly_latin(body):
        return guess_language(body)
    guessed = guess_language(body)
    if guessed:
        return guessed
    declared = article.language.lower()
    return "en" if declared == "" else declared.split("-")[0]


def is_english(article: Article) -> bool:
    """Whether `article` is in English (`article_language`)."""
    return article_language(article) == "en"
