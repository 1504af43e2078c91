"""snowball.js (the browser's stemmers) stems every word as the server does: on the words of
the real English, Spanish and French articles in tests/fixtures, each with inflections made
for it, on the demo tracker's words, and on Snowball's own test vocabularies when Debian's
snowball-data is installed; and the file is what scripts/snowball_to_js.py makes today."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casework.examples import generate_records
from casework.model import Site
from casework.search_words import LANGUAGES, _stemmers

NODE = shutil.which("node")
ROOT = Path(__file__).resolve().parents[2]
SNOWBALL_JS = ROOT / "src/casework/render/static/snowball.js"
FIXTURES = ROOT / "tests/fixtures/realnews"
DEBIAN_VOCABULARY = Path("/usr/share/snowball/data")
ENDINGS = {
    "english": ("s", "es", "ed", "ing", "ly", "ness", "ation", "ational", "ies", "ement", "ful"),
    "spanish": ("s", "es", "ción", "ciones", "mente", "ando", "iendo", "aron", "ieron", "ísimo"),
    "french": ("s", "x", "ment", "ements", "ation", "ations", "èrent", "issons", "euse", "ités"),
}

if NODE is None:
    if os.environ.get("CI") == "true":
        pytest.fail("node is needed to test snowball.js", pytrace=False)
    pytest.skip("node is not installed", allow_module_level=True)


def _vocabulary(language: str) -> list[str]:
    prefix = {"english": "", "spanish": "es-", "french": "fr-"}[language]
    texts = [
        path.read_text(encoding="utf-8")
        for folder in ("dev", "heldout")
        for path in sorted((FIXTURES / folder).glob(f"{prefix}*.md"))
        if prefix or not path.name.startswith(("es-", "fr-"))
    ]
    if language == "english":
        site = Site(url="https://demo.example.org", title="demo")
        texts += [r.to_storage().__repr__() for r in generate_records(120, seed=1, site=site)]
    words = {w.lower() for text in texts for w in re.findall(r"[^\W\d_]+", text)}
    words |= {w + ending for w in list(words) if len(w) > 3 for ending in ENDINGS[language]}
    debian = DEBIAN_VOCABULARY / language / "voc.txt"
    if debian.exists():
        words |= set(debian.read_text(encoding="utf-8").split())
    return sorted(w for w in words if all(ord(c) <= 0xFFFF for c in w))


def test_snowball_js_stems_as_the_server_does(tmp_path: Path) -> None:
    assert NODE is not None
    vocabularies = {language: _vocabulary(language) for language in LANGUAGES}
    assert all(len(words) > 5000 for words in vocabularies.values()), {
        k: len(v) for k, v in vocabularies.items()
    }
    request = tmp_path / "words.json"
    request.write_text(json.dumps(vocabularies), encoding="utf-8")
    script = (
        f"const {{snowballStem}} = require({json.dumps(str(SNOWBALL_JS))});"
        "const v = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const out = {}; for (const l in v) out[l] = v[l].map((w) => snowballStem(l, w));"
        "process.stdout.write(JSON.stringify(out));"
    )
    done = subprocess.run(
        [NODE, "-e", script, str(request)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    stemmed = json.loads(done.stdout)
    for language, words in vocabularies.items():
        expected = [_stemmers.stem(language, w) for w in words]
        differ = [(w, a, b) for w, a, b in zip(words, expected, stemmed[language], strict=True)]
        differ = [d for d in differ if d[1] != d[2]]
        assert differ == [], (language, differ[:10])


def test_snowball_js_is_what_the_translator_makes_of_the_pinned_stemmers() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from snowball_to_js import translate
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert SNOWBALL_JS.read_text(encoding="utf-8") == translate(), "run scripts/snowball_to_js.py"
