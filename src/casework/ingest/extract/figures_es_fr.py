"""Figures in Spanish and French articles: the numbers of figures.py, read in the article's own
language and reported with English `counts` ("1.153 heridos" → 1153 people injured, "environ
1 400 morts" → 1400 people killed), so a Spanish, a French and an English report of one
incident propose the same figures.

What differs from English, and is read here:

- Number formats: "1.234" and "1 234" (a dot or a space, narrow or not, between thousands) and
  "12,5" (a decimal comma); "12,5 %", "por ciento", "pour cent".
- Numbers in words, with their own grammar: "veintidós", "setenta y cinco", "cinco mil 565"
  (words and digits in one number), "cinquante-quatre", "quatre-vingt-dix", "vingt et un". An
  "un"/"une"/"una" alone is an article, not a figure; vague words are not figures ("una
  veintena", "decenas", "cientos", "miles", "une centaine", "des dizaines", "une douzaine").
- Shares in words: "la mitad", "la moitié" (50%), "un tercio", "un tiers", "un cuarto", "un
  quart".
- Money: "5 millones de euros", "2 millions d'euros", "300 millions de dollars", "€", "$".
- The noun comes first, its adjective or participle after it: "dos personas muertas", "huit
  civils tués", "470 personas fueron rechazadas" (rejected at a border: deported), "36
  personnes, dont 25 témoins" (a subset counts its own noun), "le bilan des tueries … 300
  victimes" (victims of a toll of killings: killed), "eleva a 416 el número de fallecidos".

Not figures: years, dates ("15 de diciembre", "le 10 et le 30 juillet"), times ("16:14",
"12h26"), durations and measures ("24 horas", "70 ans", "10 metros"), article numbers
("artículo 5"), and a number whose noun is not known here (its English word is not known
either, and a count must say what it counts).

Every unit of work is a token of a sentence, each looked at within a window of a few tokens:
linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.figures import _nearest
from casework.ingest.extract.items import Figure, FigureUnit
from casework.ingest.extract.sentences import sentences

# -- numbers in words

_ES_UNITS = {
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciséis": 16, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
    "veinte": 20, "veintiuno": 21, "veintiuna": 21, "veintiún": 21, "veintidós": 22,
    "veintidos": 22, "veintitrés": 23, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
    "veintiséis": 26, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
    "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
    "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "ochocientos": 800, "ochocientas": 800,
    "novecientos": 900, "novecientas": 900,
    "un": 1, "uno": 1, "una": 1,
}  # fmt: skip
_FR_UNITS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "cent": 100, "cents": 100,
    "un": 1, "une": 1,
}  # fmt: skip
_SCALES = {"mil": 1_000, "mille": 1_000, "millón": 1_000_000, "millones": 1_000_000,
           "million": 1_000_000, "millions": 1_000_000, "milliard": 1_000_000_000,
           "milliards": 1_000_000_000}  # fmt: skip
_HUNDREDS = {"cent", "cents", "ciento", "cien"}
_ARTICLE_ONE = {"un", "une", "uno", "una"}  # alone, an article: never a figure

_SHARES = {
    "es": {("la", "mitad"): 50.0, ("un", "tercio"): 33.3, ("dos", "tercios"): 66.7,
           ("un", "cuarto"): 25.0, ("tres", "cuartos"): 75.0},
    "fr": {("la", "moitié"): 50.0, ("un", "tiers"): 33.3, ("deux", "tiers"): 66.7,
           ("un", "quart"): 25.0, ("trois", "quarts"): 75.0},
}  # fmt: skip

_MONTHS = frozenset(
    """enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre janvier février fevrier mars avril mai juin juillet août aout septembre octobre
    novembre décembre decembre ene feb mar abr jun jul ago sept sep oct nov dic janv févr avr
    juil déc""".split()
)
_REFERENCES = frozenset(
    """artículo artículos article articles art arts ley loi décret decreto resolución
    résolution número numéro n nº no página páginas page chapitre capítulo sección section
    alinéa párrafo paragraphe apartado inciso disposición protocole protocolo expediente
    dossier affaire caso edad âge vuelo vol calle rue""".split()
)
_MEASURES = frozenset(
    """años año ans an années année meses mes mois semanas semana semaines semaine días día
    jours jour journées horas hora heures heure minutos minutes segundos secondes siglos
    siècles décadas décennies kilómetros kilomètres km metros mètres kilos kilogramos
    kilogrammes toneladas tonnes hectáreas hectares millas milles grados degrés veces fois
    puntos points h""".split()
)

# -- what is counted, in English

# A word for people → its English word.
_PEOPLE = {
    # Spanish
    "personas": "people", "civiles": "civilians", "niños": "children", "niñas": "children",
    "menores": "children", "mujeres": "women", "hombres": "men", "manifestantes": "protesters",
    "periodistas": "journalists", "activistas": "activists", "migrantes": "migrants",
    "inmigrantes": "migrants", "refugiados": "refugees", "soldados": "soldiers",
    "militares": "soldiers", "policías": "officers", "agentes": "officers",
    "carabineros": "officers", "presos": "prisoners", "reclusos": "prisoners",
    "prisioneros": "prisoners", "rehenes": "hostages", "estudiantes": "students",
    "víctimas": "victims", "testigos": "witnesses", "palestinos": "palestinians",
    "habitantes": "residents", "vecinos": "residents", "trabajadores": "workers",
    "médicos": "doctors", "pacientes": "patients", "miembros": "members",
    "defensores": "defenders", "abogados": "lawyers", "líderes": "leaders",
    "dirigentes": "leaders", "campesinos": "farmers", "indígenas": "indigenous",
    "jóvenes": "young", "adolescentes": "teenagers", "bebés": "babies", "familias": "families",
    "traficantes": "traffickers", "funcionarios": "officials", "oficiales": "officers",
    "combatientes": "fighters", "rebeldes": "rebels", "guerrilleros": "guerrillas",
    "pasajeros": "passengers", "ocupantes": "occupants", "sospechosos": "suspects",
    "acusados": "defendants", "jueces": "judges", "fiscales": "prosecutors",
    "diputados": "deputies", "sindicalistas": "unionists", "voluntarios": "volunteers",
    "cadáveres": "bodies", "cuerpos": "bodies", "hijos": "children", "hijas": "daughters",
    "hermanos": "brothers", "familiares": "relatives",
    # French
    "personnes": "people", "civils": "civilians", "enfants": "children", "mineurs": "children",
    "femmes": "women", "hommes": "men", "manifestants": "protesters",
    "journalistes": "journalists", "militants": "activists", "migrants": "migrants",
    "réfugiés": "refugees", "soldats": "soldiers", "policiers": "officers",
    "gendarmes": "officers", "agents": "officers", "prisonniers": "prisoners",
    "otages": "hostages", "étudiants": "students", "victimes": "victims",
    "témoins": "witnesses", "palestiniens": "palestinians", "habitants": "residents",
    "villageois": "villagers", "travailleurs": "workers", "médecins": "doctors",
    "patients": "patients", "membres": "members", "défenseurs": "defenders",
    "avocats": "lawyers", "dirigeants": "leaders", "cultivateurs": "farmers",
    "paysans": "farmers", "agriculteurs": "farmers", "jeunes": "young",
    "adolescents": "teenagers", "bébés": "babies", "familles": "families",
    "trafiquants": "traffickers", "fonctionnaires": "officials", "responsables": "officials",
    "combattants": "fighters", "rebelles": "rebels", "passagers": "passengers",
    "occupants": "occupants", "suspects": "suspects", "accusés": "defendants",
    "juges": "judges", "députés": "deputies", "syndicalistes": "unionists",
    "bénévoles": "volunteers", "enseignants": "teachers", "infirmiers": "nurses",
    "infirmières": "nurses", "élèves": "pupils", "fidèles": "worshippers",
    "corps": "bodies", "cadavres": "bodies", "fils": "sons", "filles": "daughters",
    "frères": "brothers", "proches": "relatives", "parents": "relatives",
}  # fmt: skip
# What happened to people → the English `counts`: said of them ("dos personas muertas") or
# as the noun itself ("1.153 heridos", "1 400 morts").
_HAPPENED = {
    # Spanish
    "muertos": "killed", "muertas": "killed", "muerto": "killed", "fallecidos": "killed",
    "fallecidas": "killed", "asesinados": "killed", "asesinadas": "killed",
    "matados": "killed", "ejecutados": "killed", "ejecutadas": "killed", "murieron": "killed",
    "fallecieron": "killed", "heridos": "injured", "heridas": "injured",
    "lesionados": "injured", "lesionadas": "injured", "detenidos": "detained",
    "detenidas": "detained", "encarcelados": "detained", "presas": "detained",
    "arrestados": "arrested", "arrestadas": "arrested", "capturados": "arrested",
    "desaparecidos": "missing", "desaparecidas": "missing", "desplazados": "displaced",
    "desplazadas": "displaced", "deportados": "deported", "deportadas": "deported",
    "expulsados": "deported", "expulsadas": "deported", "rechazados": "deported",
    "rechazadas": "deported", "devueltos": "deported", "devueltas": "deported",
    "liberados": "released", "liberadas": "released", "excarcelados": "released",
    "secuestrados": "abducted", "secuestradas": "abducted",
    # French
    "morts": "killed", "mortes": "killed", "tués": "killed", "tuées": "killed",
    "décédés": "killed", "décédées": "killed", "exécutés": "killed", "exécutées": "killed",
    "assassinés": "killed", "assassinées": "killed", "blessés": "injured",
    "blessées": "injured", "détenus": "detained", "détenues": "detained",
    "emprisonnés": "detained", "incarcérés": "detained", "arrêtés": "arrested",
    "arrêtées": "arrested", "interpellés": "arrested", "interpellées": "arrested",
    "disparus": "missing", "disparues": "missing", "déplacés": "displaced",
    "déplacées": "displaced", "expulsés": "deported", "expulsées": "deported",
    "refoulés": "deported", "refoulées": "deported", "libérés": "released",
    "libérées": "released", "relâchés": "released", "enlevés": "abducted",
    "enlevées": "abducted",
}  # fmt: skip
# Nouns of what happened, in "N cas d'arrestations", "la muerte de N personas".
_EVENT_NOUNS = {
    "arrestations": "arrested", "arrestaciones": "arrested", "détentions": "detained",
    "detenciones": "detained", "disparitions": "missing", "desapariciones": "missing",
    "exécutions": "killed", "ejecuciones": "killed", "expulsions": "deported",
    "expulsiones": "deported", "muerte": "killed", "muertes": "killed", "mort": "killed",
    "morts": "killed", "décès": "killed", "asesinatos": "killed", "meurtres": "killed",
}  # fmt: skip
# Verbs before a number whose object it is: "ha matado a 12 personas", "exécuté 140 civils".
_VERBS_BEFORE = {
    "matado": "killed", "mató": "killed", "mataron": "killed", "asesinado": "killed",
    "asesinó": "killed", "asesinaron": "killed", "ejecutado": "killed", "ejecutó": "killed",
    "matando": "killed", "herido": "injured", "hirió": "injured", "hiriendo": "injured",
    "detenido": "detained", "detuvo": "detained", "detuvieron": "detained",
    "arrestado": "arrested", "arrestó": "arrested", "desplazado": "displaced",
    "deportado": "deported", "deportó": "deported", "expulsado": "deported",
    "liberado": "released", "liberó": "released",
    "tué": "killed", "tuant": "killed", "tuent": "killed", "exécuté": "killed",
    "exécutant": "killed", "assassiné": "killed", "blessé": "injured", "blessant": "injured",
    "arrêté": "arrested", "interpellé": "arrested", "détenu": "detained",
    "déplacé": "displaced", "expulsé": "deported", "libéré": "released",
}  # fmt: skip
# Phrases after people: what happened to them.
_PHRASES_AFTER = (
    (("perdu", "la", "vie"), "killed"), (("perdieron", "la", "vida"), "killed"),
    (("trouvé", "la", "mort"), "killed"), (("portés", "disparus"), "missing"),
    (("portées", "disparues"), "missing"), (("porté", "disparu"), "missing"),
    (("sufren", "trauma"), "injured"), (("sufrieron", "lesiones"), "injured"),
    (("sufren", "lesiones"), "injured"), (("resultaron", "heridos"), "injured"),
    (("resultaron", "heridas"), "injured"), (("ont", "péri"), "killed"),
    (("travaillent",), "staff"), (("trabajan",), "staff"),
)  # fmt: skip
# Between a people noun and what happened to them.
_AUXILIARIES = frozenset(
    """fueron fue han ha sido habían había son eran están estaban quedaron resultaron ya
    también presuntamente ont été sont étaient avaient a ont aussi également auraient
    seraient ont-ils présumément notamment toujours encore siguen seguían todavía aún
    continúan""".split()
)
# Between a number and its noun: "otras 12 personas", "12 autres personnes", "184 más".
_BEFORE_NOUN = frozenset("otros otras más nuevos nuevas autres nouveaux nouvelles".split())
# A plural noun of things → its English word (a count).
_COUNT_NOUNS = {
    "balas": "bullets", "balles": "bullets", "firmas": "signatures", "signatures": "signatures",
    "páginas": "pages", "pages": "pages", "camas": "beds", "lits": "beds",
    "cohetes": "rockets", "roquettes": "rockets", "misiles": "missiles", "missiles": "missiles",
    "drones": "drones", "bombas": "bombs", "bombes": "bombs", "obuses": "shells",
    "obus": "shells", "ataques": "attacks", "attaques": "attacks", "frappes": "strikes",
    "bombardeos": "strikes", "bombardements": "strikes", "series": "series",
    "séries": "series", "blocs": "theatres", "quirófanos": "theatres",
    "pueblos": "villages", "aldeas": "villages", "villages": "villages",
    "ciudades": "cities", "villes": "cities", "localités": "towns", "localidades": "towns",
    "provincias": "provinces", "provinces": "provinces", "países": "countries",
    "pays": "countries", "estados": "states", "états": "states", "hospitales": "hospitals",
    "hôpitaux": "hospitals", "escuelas": "schools", "écoles": "schools", "casas": "homes",
    "viviendas": "homes", "maisons": "homes", "logements": "homes", "edificios": "buildings",
    "bâtiments": "buildings", "vuelos": "flights", "vols": "flights", "barcos": "boats",
    "embarcaciones": "boats", "bateaux": "boats", "camiones": "trucks", "camions": "trucks",
    "vehículos": "vehicles", "véhicules": "vehicles", "casos": "cases", "cas": "cases",
    "denuncias": "complaints", "plaintes": "complaints", "querellas": "complaints",
    "organizaciones": "organisations", "organisations": "organisations",
    "comunidades": "communities", "communautés": "communities", "municipios": "municipalities",
    "communes": "municipalities", "campos": "camps", "camps": "camps", "centros": "centres",
    "centres": "centres", "informes": "reports", "rapports": "reports", "votos": "votes",
    "voix": "votes", "cargos": "charges", "chefs": "charges", "armas": "weapons",
    "armes": "weapons", "convoyes": "convoys", "convois": "convoys", "manifestaciones": "protests",
    "manifestations": "protests", "protestas": "protests", "sentencias": "rulings",
    "condenas": "sentences", "peines": "sentences", "detenciones": "arrests",
}  # fmt: skip
# Words of a toll: "le bilan des tueries … 300 victimes" counts the killed.
_TOLL_WORDS = frozenset("bilan balance tueries massacre masacre mortales".split())
_RISES = frozenset(
    """elevó eleva elevado asciende ascendió alcanza alcanzó aumentó subió élève alourdi
    atteint passé grimpé""".split()
)
_COPULAS = frozenset("eran son fueron era es étaient sont était est".split())
_FUNCTION_WORDS = frozenset(
    """el la los las un una de del en a al y o que por con para su sus le les des du au aux
    et ou qui pour par sur dans ce cette ses leur leurs à""".split()
)
_ASIDE = frozenset("dont parmi entre incluidos incluidas including".split())
_SUBSET = frozenset("dont entre incluidos incluidas parmi".split())  # "36 personnes, dont 25"
_QUALIFIERS = (
    (("al", "menos"), "at least"), (("por", "lo", "menos"), "at least"),
    (("no", "menos", "de"), "at least"), (("más", "de"), "more than"),
    (("cerca", "de"), "nearly"), (("casi",), "nearly"), (("unos",), "about"),
    (("unas",), "about"), (("alrededor", "de"), "about"), (("aproximadamente",), "about"),
    (("hasta",), "up to"), (("menos", "de"), "fewer than"),
    (("au", "moins"), "at least"), (("plus", "de"), "more than"), (("plus", "d"), "more than"),
    (("près", "de"), "nearly"), (("presque",), "nearly"), (("environ",), "about"),
    (("quelque",), "about"), (("jusqu", "à"), "up to"), (("moins", "de"), "fewer than"),
)  # fmt: skip
_INCREASE = {"aumento": "increase", "aumentó": "increase", "subió": "increase",
             "alza": "increase", "hausse": "increase", "augmentation": "increase",
             "augmenté": "increase", "progression": "increase", "descenso": "decrease",
             "caída": "decrease", "cayó": "decrease", "bajó": "decrease",
             "disminución": "decrease", "baisse": "decrease", "diminution": "decrease",
             "recul": "decrease", "chuté": "decrease", "reducción": "decrease",
             "réduction": "decrease", "reculé": "decrease", "diminué": "decrease",
             "baissé": "decrease", "progressé": "increase", "disminuyó": "decrease",
             "creció": "increase", "incremento": "increase"}  # fmt: skip
_CURRENCY_WORDS = {"euros": "EUR", "euro": "EUR", "dólares": "USD", "dollars": "USD",
                   "dollar": "USD", "dólar": "USD", "libras": "GBP", "livres": "GBP",
                   "francos": "CHF", "francs": "CHF", "pesos": "", "soles": "PEN"}  # fmt: skip
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}

# A token: a word (hyphens inside: "cinquante-quatre"), a number in digits with its thousands
# separators and decimal comma, or one mark.
_TOKEN = re.compile(
    r"(?P<num>(?<![\w.,/:])(?:\d{1,3}(?:(?:\.|[ \u00a0\u202f](?=\d{3}(?!\d)))\d{3})+(?:,\d+)?"
    r"|\d+(?:,\d+)?)(?![\w/:]|[.,]\d))"
    r"|(?P<word>[^\W\d_]+(?:[-‑][^\W\d_]+)*)"
    r"|(?P<mark>US\$|[%$€£,;:.!?()«»\"“”–—])"
    r"|(?P<other>\d[\w.,/:]*)",
    re.IGNORECASE,
)
_CLAUSE_END = frozenset(',;:.!?()«»"“”–—')


@dataclass(frozen=True)
class _Token:
    text: str  # lowercased
    start: int
    end: int
    kind: str  # num | word | mark | other


def extract_figures_es_fr(article: Article, language: str) -> list[Figure]:
    """Every figure of a Spanish ("es") or French ("fr") article, in reading order, each
    (value, unit, counts) once."""
    figures: list[Figure] = []
    seen: set[tuple[float, str, str]] = set()
    units = _ES_UNITS if language == "es" else _FR_UNITS
    for span in sentences(article.text):
        check_budget()
        sentence = article.text[span.start : span.end]
        tokens = [
            _Token(m.group().lower(), m.start(), m.end(), m.lastgroup or "")
            for m in _TOKEN.finditer(sentence)
        ]
        toll = any(t.text in _TOLL_WORDS for t in tokens)
        where = Span(span.start, span.end, sentence)
        periods = _periods(sentence, article)
        at = 0
        while at < len(tokens):
            check_budget()
            number = _number(tokens, at, units, language)
            if number is None:
                at += 1
                continue
            value, end, percent = number
            start = at
            figure = _figure(sentence, tokens, at, end, value, percent, toll, where)
            at = end
            if figure is None:
                continue
            figure = replace(figure, period=_nearest(periods, tokens[start].start))
            key = (figure.value, figure.unit, figure.counts)
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures


def _number(
    tokens: list[_Token], at: int, units: dict[str, int], language: str
) -> tuple[float, int, bool] | None:
    """The number starting at token `at`: (value, index of the token after it, whether it is
    a share in words), or None."""
    token = tokens[at]
    if token.kind == "word":
        pair = tuple(t.text for t in tokens[at : at + 2])
        share = _SHARES[language].get(pair)  # type: ignore[arg-type]
        if share is not None and len(pair) == 2:
            return share, at + 2, True
    if token.kind == "num":
        value = _digits_value(token.text)
        end = at + 1
        # "5 mil", "2,5 millones", "1 400" already joined; "cinco mil 565" below
    elif token.kind == "word" and (token.text in units or _compound(token.text, units)):
        words = []
        end = at
        while end < len(tokens):
            text = tokens[end].text
            if tokens[end].kind == "word" and (
                text in units or text in _SCALES or _compound(text, units) is not None
            ):
                words.append(text)
            elif text in ("y", "et") and words and end + 1 < len(tokens):
                following = tokens[end + 1].text
                if not (following in units or _compound(following, units) is not None):
                    break
            elif (
                tokens[end].kind == "num" and words and words[-1] in ("mil", "mille")
            ):  # "cinco mil 565"
                words.append(tokens[end].text)
            else:
                break
            end += 1
        parsed = _words_value(words, units)
        if parsed is None:
            return None
        if len(words) == 1 and words[0] in _ARTICLE_ONE:
            return None  # "un herido", "une semaine": an article
        value = parsed
    else:
        return None
    # a scale after digits: "2,5 millones", "300 millions"
    if end < len(tokens) and tokens[end].text in _SCALES and token.kind == "num":
        scale = tokens[end].text
        if (
            scale in ("mil", "mille")
            and end + 1 < len(tokens)
            and tokens[end + 1].text
            in (
                "millones",
                "millions",
            )
        ):
            value *= 1_000_000_000
            end += 2
        else:
            value *= _SCALES[scale]
            end += 1
    return value, end, False


def _compound(text: str, units: dict[str, int]) -> float | None:
    """A hyphenated French number: "cinquante-quatre" 54, "quatre-vingt-dix" 90."""
    if "-" not in text:
        return None
    parts = text.split("-")
    if all(p in units or p in _SCALES or p == "et" for p in parts):
        return _words_value([p for p in parts if p != "et"], units)
    return None


def _words_value(words: list[str], units: dict[str, int]) -> float | None:
    """ "setenta y cinco" 75, "cinco mil 565" 5565, "quatre-vingt-dix" 90, "deux cents" 200."""
    parts: list[str] = []
    for word in words:
        parts.extend(word.split("-") if "-" in word else [word])
    total = current = 0
    previous = ""
    for part in parts:
        if part in ("et", "y"):
            continue
        if part[0].isdigit():
            current += int(float(_digits_value(part)))
        elif part in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4  # "quatre-vingts": 4 × 20
        elif part in _HUNDREDS and part not in ("ciento", "cien"):
            current = (current or 1) * 100
        elif part in units:
            current += units[part]
        elif part in ("mil", "mille"):
            total += (current or 1) * 1_000
            current = 0
        elif part in _SCALES:
            total = (total + (current or 1)) * _SCALES[part]
            current = 0
        else:
            return None
        previous = part
    value = total + current
    return float(value) if value else None


def _digits_value(text: str) -> float:
    """ "1.153" 1153, "1 400" 1400, "12,5" 12.5."""
    cleaned = re.sub(r"[.\s\u00a0\u202f]", "", text).replace(",", ".")
    return float(cleaned)


# -- the period a figure covers

_YEAR = r"(?:19|20)\d{2}"
_PERIODS = re.compile(
    rf"\bentre\s+(?:el\s+año\s+|l['’]an\s+)?(?P<a1>{_YEAR})\s+(?:y|et)\s+(?P<b1>{_YEAR})\b"
    rf"|\b(?:de|desde)\s+(?P<a2>{_YEAR})\s+(?:a|à|hasta)\s+(?P<b2>{_YEAR})\b"
    rf"|\b(?P<a3>{_YEAR})\s*[-–]\s*(?P<b3>{_YEAR})\b"
    rf"|\b(?:desde|depuis)\s+(?:(?:el|le)\s+)?(?:(?:\d{{1,2}}|1er)\s+(?:de\s+)?)?(?:\w+\s+(?:de\s+)?)?"
    rf"(?P<since>{_YEAR})\b"
    rf"|\b(?:en|durante|pendant|au\s+cours\s+de)\s+(?:[^\W\d]+\s+){{0,3}}?(?P<year>{_YEAR})\b"
    r"|\b(?P<last>(?:el\s+)?año\s+pasado|l['’]an\s+dernier|l['’]année\s+dernière"
    r"|l['’]année\s+passée)\b"
    r"|\b(?P<this>este\s+año|cette\s+année|en\s+lo\s+que\s+va\s+de\s+año)\b",
    re.IGNORECASE,
)


def _periods(sentence: str, article: Article) -> list[tuple[int, str]]:
    """The period expressions of a sentence, (offset, period), as figures.py reads them in
    English: "entre 2010 y 2016" → "2010-2016", "desde 2020" → "2020-", "en 2024", "l'an
    dernier" (with a publication date)."""
    found: list[tuple[int, str]] = []
    for match in _PERIODS.finditer(sentence):
        check_budget()
        first = match["a1"] or match["a2"] or match["a3"]
        if first:
            last = match["b1"] or match["b2"] or match["b3"]
            if last > first:
                found.append((match.start(), f"{first}-{last}"))
        elif match["since"]:
            found.append((match.start(), f"{match['since']}-"))
        elif match["year"]:
            found.append((match.start(), match["year"]))
        elif article.published is not None:
            shift = 1 if match["last"] else 0
            found.append((match.start(), str(article.published.year - shift)))
    return found


# -- what a number counts


def _figure(
    sentence: str,
    tokens: list[_Token],
    start: int,
    end: int,
    value: float,
    share: bool,
    toll: bool,
    where: Span,
) -> Figure | None:
    before = [t.text for t in tokens[max(0, start - 4) : start]]
    after = tokens[end : end + 8]
    words_after = [t.text for t in after]
    if _not_a_figure(tokens, start, end, value):
        return None
    qualifier, q_start = _qualifier(tokens, start)
    expression_start = tokens[q_start].start
    expression_end = tokens[end - 1].end
    unit: FigureUnit
    counts = ""
    currency = ""
    if (
        share
        or words_after[:1] == ["%"]
        or words_after[:2]
        in (
            ["por", "ciento"],
            ["pour", "cent"],
        )
    ):
        skip = 0 if share else (1 if words_after[:1] == ["%"] else 2)
        expression_end = tokens[end + skip - 1].end if skip else expression_end
        unit, counts = "percent", _share_counts(before, words_after[skip:])
    elif _currency(tokens, start, end):
        currency, skip = _currency(tokens, start, end)  # type: ignore[misc]
        if skip:
            expression_end = tokens[end + skip - 1].end
        unit, counts = "money", "money"
    else:
        found = _people_or_count(tokens, start, end, toll)
        if found is None:
            return None
        unit, counts = found
        if value == 1:
            return None  # "un fallecido": never counted
    return Figure(
        value=value,
        unit=unit,
        counts=counts,
        period=None,
        expression=sentence[expression_start:expression_end].strip(),
        span=where,
        qualifier=qualifier,
        currency=currency,
    )


def _not_a_figure(tokens: list[_Token], start: int, end: int, value: float) -> bool:
    token = tokens[start]
    following = [t.text for t in tokens[end : end + 5]]
    previous = tokens[start - 1].text if start else ""
    if token.kind == "num" and "." not in token.text and " " not in token.text:
        if 1900 <= value <= 2100 and "," not in token.text:
            return not (following and following[0] in _PEOPLE)  # a year
    if previous in _MONTHS or previous in _REFERENCES or previous == "©":
        return True
    # a date: "15 de diciembre", "10 octobre", "le 10 et le 30 juillet"
    for word in following[:5]:
        if word in _MONTHS:
            return True
        if word not in ("de", "del", "y", "et", "le", "el", "al", "au") and not (word[0].isdigit()):
            break
    return bool(following) and following[0] in _MEASURES


def _qualifier(tokens: list[_Token], start: int) -> tuple[str, int]:
    before = [t.text for t in tokens[max(0, start - 3) : start]]
    for words, qualifier in _QUALIFIERS:
        if tuple(before[-len(words) :]) == words:
            return qualifier, start - len(words)
    return "", start


def _currency(tokens: list[_Token], start: int, end: int) -> tuple[str, int] | None:
    """The currency of a number: a sign before it, or a word after ("millones de euros" is
    read with the scale; "de" between)."""
    previous = tokens[start - 1].text if start else ""
    if previous in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[previous], 0
    following = [t.text for t in tokens[end : end + 3]]
    if following[:1] and following[0] in _CURRENCY_SIGNS:
        return _CURRENCY_SIGNS[following[0]], 1
    if following[:1] and following[0] in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[following[0]], 1
    if following[:1] in (["de"], ["d"]) and len(following) > 1 and following[1] in _CURRENCY_WORDS:
        # "5 millones de euros": only after a scale word (else "3 de dólares" is not money)
        if tokens[end - 1].text in _SCALES:
            return _CURRENCY_WORDS[following[1]], 2
    return None


def _share_counts(before: list[str], after: list[str]) -> str:
    for word in reversed(before):
        if word in _INCREASE:
            return _INCREASE[word]
    for word in after[:2]:
        if word in _INCREASE:
            return _INCREASE[word]
    # "el 40 % de los detenidos", "la moitié des victimes"
    rest = list(after)
    if rest[:1] in (["de"], ["des"], ["del"], ["d"]):
        for index, word in enumerate(rest[1:4], start=1):
            if word in _HAPPENED or word in _PEOPLE:
                # "de los fallecidos eran niños", "des détenus sont des femmes": the predicate
                predicate = [w for w in rest[index + 1 : index + 4] if w not in ("des", "de")]
                if predicate[:1] and predicate[0] in _COPULAS and len(predicate) > 1:
                    if predicate[1] in _PEOPLE:
                        return _PEOPLE[predicate[1]]
                return _HAPPENED.get(word) or _PEOPLE[word]
    return ""


def _people_or_count(
    tokens: list[_Token], start: int, end: int, toll: bool
) -> tuple[FigureUnit, str] | None:
    at = end
    if tokens[end - 1].text in _SCALES and at < len(tokens) and tokens[at].text in ("de", "d"):
        at += 1  # "1,5 millones de personas"
    while at < len(tokens) and tokens[at].text in _BEFORE_NOUN:
        at += 1
    if at >= len(tokens):
        return _toll_before(tokens, start, toll)
    noun = tokens[at].text
    if noun == "de" and at + 2 < len(tokens) and tokens[at + 1].text in ("ellos", "ellas"):
        if tokens[at + 2].text in _PEOPLE:
            return "people", _PEOPLE[tokens[at + 2].text]  # "120 de ellas menores"
    previous = [t.text for t in tokens[max(0, start - 4) : start] if t.kind == "word"]
    subset = bool(previous) and previous[-1] in _SUBSET
    if noun in _HAPPENED and not subset:
        return "people", _HAPPENED[noun]
    if noun in ("cas", "casos") and at + 2 < len(tokens) and tokens[at + 1].text in ("de", "d"):
        following = tokens[at + 2].text
        if following in _EVENT_NOUNS:
            return "people", _EVENT_NOUNS[following]  # "104 cas d'arrestations"
        if following in _PEOPLE:
            at, noun = at + 2, following  # "104 cas de personnes détenues"
    if noun in _PEOPLE:
        people = _PEOPLE[noun]
        if people == "bodies":
            return "people", "killed"  # a body counted is a person killed
        if subset:
            return "people", people  # "dont 25 témoins": which people
        happened = _happened_after(tokens, at + 1)
        if happened:
            return "people", happened
        verb = _verb_before(tokens, start)
        if verb:
            return "people", verb
        if people == "victims" and toll:
            return "people", "killed"
        return "people", people
    if noun in _COUNT_NOUNS:
        return "count", _COUNT_NOUNS[noun]
    if noun not in _FUNCTION_WORDS and noun not in _CLAUSE_END and tokens[at].kind == "word":
        return None  # a noun not known here
    # "eleva a 416 el número de fallecidos"
    rest = [t.text for t in tokens[at : at + 4]]
    if (
        len(rest) == 4
        and rest[0] in ("el", "le", "la")
        and rest[1] in ("número", "nombre", "total", "balance", "bilan", "cifra")
        and rest[2] in ("de", "des", "d")
        and rest[3] in _HAPPENED
    ):
        return "people", _HAPPENED[rest[3]]
    return _toll_before(tokens, start, toll)


def _toll_before(tokens: list[_Token], start: int, toll: bool) -> tuple[FigureUnit, str] | None:
    """ "El balance de víctimas mortales se elevó a 54": a toll that rose to a bare number."""
    words = [t.text for t in tokens[max(0, start - 3) : start]]
    if toll and words[-1:] in (["a"], ["à"]) and any(w in _RISES for w in words):
        return "people", "killed"
    return None


def _happened_after(tokens: list[_Token], at: int) -> str:
    """What happened to the people whose noun ends before token `at`: "muertas", "fueron
    rechazadas", "ont été tués", "ont perdu la vie", "portés disparus"."""
    words: list[str] = []
    index = at
    while index < len(tokens) and len(words) < 7:
        text = tokens[index].text
        if text == "," and index + 1 < len(tokens) and tokens[index + 1].text in _ASIDE:
            # ", parmi lesquels un enfant, ont perdu la vie": past the aside
            index += 1
            while index < min(len(tokens), at + 20) and tokens[index].text != ",":
                index += 1
            index += 1
            continue
        if text == "," and index + 1 < len(tokens) and _starts_happened(tokens, index + 1):
            index += 1  # "huit membres du personnel, portés disparus"
            continue
        if not words and text in ("du", "de", "des", "del") and index + 1 < len(tokens):
            # "membres du personnel", "miembros de la familia": the noun's complement
            index += 2 if tokens[index + 1].text not in ("la", "los", "las", "l") else 3
            continue
        if text in _CLAUSE_END:
            break
        words.append(text)
        index += 1
    for index, word in enumerate(words):
        for phrase, happened in _PHRASES_AFTER:
            if tuple(words[index : index + len(phrase)]) == phrase:
                return happened
        if word in _HAPPENED:
            return _HAPPENED[word]
        if word not in _AUXILIARIES and index > 0:
            return ""
    return ""


def _starts_happened(tokens: list[_Token], at: int) -> bool:
    words = tuple(t.text for t in tokens[at : at + 3])
    return bool(words) and (
        words[0] in _HAPPENED or any(words[: len(p)] == p for p, _h in _PHRASES_AFTER)
    )


def _verb_before(tokens: list[_Token], start: int) -> str:
    """The verb whose object the number is: "ha matado a 12", "a exécuté sommairement plus
    de 140"."""
    words = [t.text for t in tokens[max(0, start - 5) : start]]
    for word in reversed(words):
        if word in _VERBS_BEFORE:
            return _VERBS_BEFORE[word]
        if word in _CLAUSE_END:
            return ""
    return ""
