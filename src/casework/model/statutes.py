"""The statutes a tracker cites: one catalog of laws and treaties, each with its canonical name,
the other names it goes by and its acronyms, and the one way an authored name is resolved to
an entry of it.

Pure data and name folding, no I/O: ingest finds these names in articles
(`ingest/extract/law.py`), the site gives each statute one page (`publish/plan.py`), `check`
flags a statute named by an alias or not known at all, and `casework.toml` extends the catalog
(`[[law.statutes]]`, read into `Site.statutes`).

Names only, never descriptions: "the Ottawa Convention", "the Mine Ban Treaty" and "the
Anti-Personnel Mine Ban Convention" are one statute; "an international treaty banning
landmines" is none. "Geneva" or "Rome" alone is a city, never a convention or a statute.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

StatuteKind = Literal["treaty", "declaration", "national", "other"]


@dataclass(frozen=True)
class Statute:
    """One law or treaty: its canonical name, the names it also goes by (matched whatever
    their case, hyphens and spacing), acronyms (matched as written, in capitals)."""

    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    kind: StatuteKind = "treaty"
    known: bool = False  # the tracker uses it (ingest's with_statutes)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _s(
    name: str, *aliases: str, acronyms: tuple[str, ...] = (), kind: StatuteKind = "treaty"
) -> Statute:
    return Statute(name, aliases, acronyms, kind)


DEFAULT_STATUTES: tuple[Statute, ...] = (
    _s(
        "Ottawa Convention",
        "Ottawa Treaty",
        "Mine Ban Treaty",
        "Mine Ban Convention",
        "Anti-Personnel Mine Ban Convention",
        "Anti-Personnel Mine Ban Treaty",
        "Landmine Ban Treaty",
        "Tratado de Ottawa",
        "Convención de Ottawa",
        "Convention d'Ottawa",
        "Traité d'Ottawa",
        "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
        "Anti-Personnel Mines and on their Destruction",
        acronyms=("APMBC",),
    ),
    _s(
        "Rome Statute",
        "Rome Statute of the International Criminal Court",
        "ICC Statute",
        "Statute of the International Criminal Court",
        "Estatuto de Roma",
        "Estatuto de Roma de la Corte Penal Internacional",
        "Statut de Rome",
        "Statut de Rome de la Cour pénale internationale",
    ),
    _s("First Geneva Convention", "Geneva Convention I"),
    _s("Second Geneva Convention", "Geneva Convention II"),
    _s(
        "Third Geneva Convention",
        "Geneva Convention III",
        "Geneva Convention relative to the Treatment of Prisoners of War",
        "Tercer Convenio de Ginebra",
        "III Convenio de Ginebra",
        "troisième Convention de Genève",
        "IIIe Convention de Genève",
        acronyms=("GCIII",),
    ),
    _s(
        "Fourth Geneva Convention",
        "Geneva Convention IV",
        "Geneva Convention relative to the Protection of Civilian Persons in Time of War",
        "Cuarto Convenio de Ginebra",
        "IV Convenio de Ginebra",
        "quatrième Convention de Genève",
        "IVe Convention de Genève",
        acronyms=("GCIV",),
    ),
    _s(
        "Geneva Conventions",
        "Geneva Convention",
        "Geneva Conventions of 1949",
        "Convenios de Ginebra",
        "Convenio de Ginebra",
        "Convenciones de Ginebra",
        "Convención de Ginebra",
        "Conventions de Genève",
        "Convention de Genève",
    ),
    _s(
        "Additional Protocol I",
        "First Additional Protocol",
        "Additional Protocol I to the Geneva Conventions",
        "Protocol I Additional to the Geneva Conventions",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Protection of Victims of International Armed Conflicts",
        "Protocolo Adicional I",
        "Protocole additionnel I",
        acronyms=("AP I",),
    ),
    _s(
        "Additional Protocol II",
        "Second Additional Protocol",
        "Additional Protocol II to the Geneva Conventions",
        "Protocol II Additional to the Geneva Conventions",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Protection of Victims of Non-International Armed Conflicts",
        "Protocolo Adicional II",
        "Protocole additionnel II",
        acronyms=("AP II",),
    ),
    # Not "the Hague Convention" alone: the child-abduction one is in the news more often.
    _s(
        "Hague Regulations",
        "Hague Conventions",
        "Hague Convention of 1907",
        "1907 Hague Convention",
        "Hague Convention IV",
    ),
    _s(
        "Convention against Torture",
        "UN Convention against Torture",
        "United Nations Convention against Torture",
        "Torture Convention",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        "Convención contra la Tortura",
        "Convención de las Naciones Unidas contra la Tortura",
        "Convention contre la torture",
        "Convention des Nations unies contre la torture",
        acronyms=("CAT", "UNCAT"),
    ),
    _s(
        "Optional Protocol to the Convention against Torture",
        acronyms=("OPCAT",),
    ),
    _s(
        "ICCPR",
        "International Covenant on Civil and Political Rights",
        "Pacto Internacional de Derechos Civiles y Políticos",
        "Pacte international relatif aux droits civils et politiques",
        acronyms=("ICCPR", "PIDCP"),
    ),
    _s(
        "ICESCR",
        "International Covenant on Economic, Social and Cultural Rights",
        "Pacto Internacional de Derechos Económicos, Sociales y Culturales",
        "Pacte international relatif aux droits économiques, sociaux et culturels",
        acronyms=("ICESCR", "PIDESC"),
    ),
    _s(
        "Genocide Convention",
        "Convention on the Prevention and Punishment of the Crime of Genocide",
        "UN Genocide Convention",
        "Convención para la Prevención y la Sanción del Delito de Genocidio",
        "Convención sobre el Genocidio",
        "Convention pour la prévention et la répression du crime de génocide",
        "Convention sur le génocide",
    ),
    _s(
        "Refugee Convention",
        "1951 Refugee Convention",
        "1951 Convention",
        "Convention Relating to the Status of Refugees",
        "Geneva Convention relating to the Status of Refugees",
        "UN Refugee Convention",
        "Refugees Convention",
        "Convención sobre el Estatuto de los Refugiados",
        "Convención de Ginebra sobre el Estatuto de los Refugiados",
        "Convention relative au statut des réfugiés",
        "Convention de Genève relative au statut des réfugiés",
    ),
    _s(
        "1967 Protocol Relating to the Status of Refugees",
        "1967 Protocol",
        "Protocol Relating to the Status of Refugees",
        "1967 Refugee Protocol",
    ),
    _s("Convention on Cluster Munitions", "Cluster Munitions Convention", acronyms=("CCM",)),
    _s(
        "Convention on Certain Conventional Weapons",
        "Certain Conventional Weapons Convention",
        "Convention on Conventional Weapons",
        acronyms=("CCW",),
    ),
    _s(
        "Arms Trade Treaty",
        "Tratado sobre el Comercio de Armas",
        "Traité sur le commerce des armes",
        acronyms=("ATT",),
    ),
    _s(
        "American Convention on Human Rights",
        "Pact of San José",
        "Convención Americana sobre Derechos Humanos",
        "Convención Americana de Derechos Humanos",
        "Pacto de San José",
        "Convention américaine relative aux droits de l'homme",
    ),
    _s(
        "African Charter on Human and Peoples' Rights",
        "Banjul Charter",
        "Charte africaine des droits de l'homme et des peuples",
    ),
    _s(
        "UN Convention on the Law of the Sea",
        "United Nations Convention on the Law of the Sea",
        "Law of the Sea Convention",
        "Convención de las Naciones Unidas sobre el Derecho del Mar",
        "Convention des Nations unies sur le droit de la mer",
        acronyms=("UNCLOS", "CNUDM", "CONVEMAR"),
    ),
    # Bodies of law a tracker cites as such: names, as the Geneva Conventions are, not
    # descriptions ("international law" alone is neither: every article says it).
    _s(
        "international humanitarian law",
        "international humanitarian laws",
        "law of armed conflict",
        "laws of armed conflict",
        "derecho internacional humanitario",
        "droit international humanitaire",
        acronyms=("IHL", "DIH"),
        kind="other",
    ),
    _s(
        "international human rights law",
        "derecho internacional de los derechos humanos",
        "derecho internacional de derechos humanos",
        "droit international des droits de l'homme",
        "droit international des droits humains",
        "droit international relatif aux droits de l'homme",
        kind="other",
    ),
    _s(
        "UN Charter",
        "Charter of the United Nations",
        "United Nations Charter",
        "U.N. Charter",
        "Carta de las Naciones Unidas",
        "Carta de la ONU",
        "Charte des Nations unies",
        "Charte de l'ONU",
    ),
    _s(
        "Universal Declaration of Human Rights",
        "Declaración Universal de Derechos Humanos",
        "Declaración Universal de los Derechos Humanos",
        "Déclaration universelle des droits de l'homme",
        acronyms=("UDHR", "DUDH"),
        kind="declaration",
    ),
    _s(
        "European Convention on Human Rights",
        "Convention for the Protection of Human Rights and Fundamental Freedoms",
        "Convenio Europeo de Derechos Humanos",
        "Convention européenne des droits de l'homme",
        acronyms=("ECHR", "CEDH"),
    ),
    _s(
        "CEDAW",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        "Convention on the Elimination of Discrimination against Women",
        acronyms=("CEDAW",),
    ),
    _s(
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        acronyms=("ICERD", "CERD"),
    ),
    _s(
        "Convention on the Rights of the Child",
        "UN Convention on the Rights of the Child",
        "United Nations Convention on the Rights of the Child",
        "Convención sobre los Derechos del Niño",
        "Convention relative aux droits de l'enfant",
        "Convention internationale des droits de l'enfant",
        acronyms=("UNCRC", "CRC", "CIDE"),
    ),
    _s(
        "Convention on the Rights of Persons with Disabilities",
        acronyms=("CRPD",),
    ),
    _s(
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "Convention on Enforced Disappearances",
        "Enforced Disappearance Convention",
        acronyms=("ICPPED",),
    ),
    _s(
        "Chemical Weapons Convention",
        "Convention on the Prohibition of the Development, Production, Stockpiling and Use of "
        "Chemical Weapons and on their Destruction",
        acronyms=("CWC",),
    ),
    _s(
        "Biological Weapons Convention",
        "Biological and Toxin Weapons Convention",
        acronyms=("BWC", "BTWC"),
    ),
    _s(
        "Nelson Mandela Rules",
        "Mandela Rules",
        "UN Standard Minimum Rules for the Treatment of Prisoners",
        "Standard Minimum Rules for the Treatment of Prisoners",
        kind="other",
    ),
    _s(
        "UN Basic Principles on the Use of Force and Firearms",
        "Basic Principles on the Use of Force and Firearms",
        "Basic Principles on the Use of Force and Firearms by Law Enforcement Officials",
        "UN Basic Principles on the Use of Force and Firearms by Law Enforcement Officials",
        "Principios Básicos sobre el Empleo de la Fuerza y de Armas de Fuego",
        "Principes de base sur le recours à la force et l'utilisation des armes à feu",
        kind="declaration",
    ),
    # National laws common in accountability work.
    _s("Leahy Law", "Leahy Laws", "Leahy Amendment", "Leahy vetting law", kind="national"),
    _s("War Crimes Act", "War Crimes Act of 1996", kind="national"),
    _s(
        "Alien Tort Statute",
        "Alien Tort Claims Act",
        acronyms=("ATCA",),
        kind="national",
    ),
    _s("Torture Victim Protection Act", acronyms=("TVPA",), kind="national"),
    _s("Insurrection Act", "Insurrection Act of 1807", kind="national"),
    _s("Posse Comitatus Act", "Posse Comitatus Act of 1878", kind="national"),
    _s(
        "Global Magnitsky Act",
        "Global Magnitsky Human Rights Accountability Act",
        "Magnitsky Act",
        kind="national",
    ),
    _s("Human Rights Act 1998", "Human Rights Act", "UK Human Rights Act", kind="national"),
    _s(
        "Alien Enemies Act",
        "Alien Enemy Act",
        "Alien Enemies Act of 1798",
        "Alien Enemy Act of 1798",
        kind="national",
    ),
    _s("War Powers Resolution", "War Powers Act", "War Powers Resolution of 1973", kind="national"),
    _s(
        "Title 42",
        "Title 42 of the U.S. Code",
        "Title 42 of the United States Code",
        kind="national",
    ),
    _s(
        "US Constitution",
        "U.S. Constitution",
        "United States Constitution",
        "Constitution of the United States",
        kind="national",
    ),
    _s(
        "Immigration and Nationality Act",
        "Immigration and Nationality Act of 1952",
        acronyms=("INA",),
        kind="national",
    ),
    # Spain's two laws of the border and the street, under their full and short names.
    _s(
        "Ley Orgánica de Protección de la Seguridad Ciudadana",
        "Ley Orgánica de Seguridad Ciudadana",
        "Ley de Seguridad Ciudadana",
        "Ley Orgánica 4/2015",
        "ley mordaza",
        acronyms=("LOSC", "LOPSC"),
        kind="national",
    ),
    _s(
        "Ley Orgánica sobre Derechos y Libertades de los Extranjeros en España y su Integración "
        "Social",
        "Ley de Extranjería",
        "Ley Orgánica 4/2000",
        kind="national",
    ),
)

# An authored statute name longer than this is a description, not a name (the longest
# built-in name is 170 characters); it is never resolved, which also bounds the work.
MAX_NAME = 400
# Distinct authored names remembered per catalog; a build sees a few hundred.
_CACHE_LIMIT = 65_536
_YEAR = re.compile(r"(?:1[6-9]|20)\d\d")
_MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def statute_key(name: str) -> str:
    """How ingest compares a name found in text with the catalog's: accents folded, case,
    spacing, hyphens and full stops ignored."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s\-‐–—.]+", "", folded.replace("’", "'"))


def loose_key(name: str) -> str:
    """How an authored statute name is compared: as `statute_key`, and every other
    punctuation mark ignored too ("Convention against Torture and Other Cruel, Inhuman..."
    with or without its comma); "&" is "and"."""
    folded = unicodedata.normalize("NFKD", name.replace("&", " and "))
    return "".join(c for c in folded.casefold() if c.isalnum())


def bracketed(name: str) -> tuple[str, ...]:
    """The parts of "Ottawa Treaty (Mine Ban Treaty)": ("Ottawa Treaty", "Mine Ban Treaty");
    () when the name does not end in one bracketed part. String search, not a regex, so
    that it is linear in the name's length."""
    text = name.strip()
    open_at = text.rfind("(")
    if not text.endswith(")") or open_at < 0:
        return ()
    head, inner = text[:open_at].strip(), text[open_at + 1 : -1]
    if not head or not inner or ")" in inner:
        return ()
    return (head, inner)


def statute_kind(name: str) -> StatuteKind:
    """A guess at what a statute the catalog lacks is, from its name: an Act is a national
    law, Rules or a Declaration a declaration; "Customary IHL" is other."""
    lowered = name.lower()
    if re.search(r"\b(?:act|code|law|amendment|statute)\b", lowered) and not re.search(
        r"\b(?:convention|treaty|covenant|protocol)\b", lowered
    ):
        return "national"
    if re.search(r"\b(?:declaration|rules|principles|guidelines)\b", lowered):
        return "declaration"
    if not re.search(r"\b(?:convention|treaty|covenant|protocol|charter)\b", lowered):
        return "other"
    return "treaty"


def tracker_statute(name: str) -> Statute:
    """A statute the tracker cites and the catalog lacks: its own entry, the parts of a
    bracketed name its aliases (or acronyms, when in capitals)."""
    parts = bracketed(name)
    acronyms = tuple(p for p in parts if p.isupper() and " " not in p)
    aliases = tuple(p for p in parts if p not in acronyms)
    return Statute(name.strip(), aliases, acronyms, statute_kind(name), known=True)


class StatuteDefinition(BaseModel):
    """One `[[law.statutes]]` table of casework.toml: a statute the built-in catalog lacks,
    or more names for one it has. `name` is the canonical name (the one its page shows)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=MAX_NAME)
    aliases: tuple[str, ...] = ()

    @field_validator("name")
    @classmethod
    def _name_has_letters(cls, value: str) -> str:
        value = value.strip()
        if not loose_key(value):
            raise ValueError("a statute name needs a letter or a digit")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_have_letters(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, alias in enumerate(value):
            if not loose_key(alias) or len(alias) > MAX_NAME:
                raise ValueError(f"alias {i + 1} ({alias!r}) is empty or longer than {MAX_NAME}")
        return tuple(alias.strip() for alias in value)


class StatuteConflict(ValueError):
    """A `[[law.statutes]]` table contradicts the catalog or another table: `index` is the
    table's position (0-based), `field` its key ("name", "aliases")."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.field = field


class StatuteCatalog:
    """Statutes by every name and acronym they go by."""

    def __init__(self, statutes: Iterable[Statute]) -> None:
        self.statutes: tuple[Statute, ...] = tuple(statutes)
        self._by_key: dict[str, Statute] = {}
        self._by_acronym: dict[str, Statute] = {}
        self._by_loose: dict[str, Statute] = {}
        self._years: dict[int, frozenset[str]] = {}
        for statute in self.statutes:
            for name in statute.names():
                self._by_key.setdefault(statute_key(name), statute)
            for acronym in statute.acronyms:
                self._by_acronym.setdefault(acronym, statute)
                self._by_key.setdefault(statute_key(acronym), statute)
            for name in (*statute.names(), *statute.acronyms):
                self._by_loose.setdefault(loose_key(name), statute)
            self._years[id(statute)] = frozenset(
                year for name in statute.names() for year in re.findall(r"\b\d{4}\b", name)
            )
        # Then the names a team wrote with "the" ("the Border Act"), without it.
        for statute in self.statutes:
            for name in statute.names():
                first, _, rest = name.partition(" ")
                if first.casefold() == "the" and loose_key(rest):
                    self._by_loose.setdefault(loose_key(rest), statute)
        self._resolved: dict[str, Statute | None] = {}

    @classmethod
    def default(cls) -> Self:
        """The built-in catalog: the major international instruments and a few national laws."""
        return cls(DEFAULT_STATUTES)

    def find(self, name: str) -> Statute | None:
        """The statute `name` is exactly a name, alias or acronym of (ingest's test for a
        name found in text)."""
        statute = self._by_key.get(statute_key(name))
        if statute is None and name.strip() in self._by_acronym:
            statute = self._by_acronym[name.strip()]
        return statute

    def resolve(self, name: str) -> Statute | None:
        """The statute an authored name (a record's `statute`) stands for, or None.

        Case, spacing, hyphens and punctuation do not count; a bracketed part may be the name
        ("Ottawa Treaty (Mine Ban Treaty)", "Convention against Torture (CAT)"), an acronym
        is one ("APMBC", "iccpr"); a leading "the" and a year before or after the name are
        tolerated ("the Geneva Conventions of 1949", "Ottawa Convention 1997") unless the
        statute's names hold another year ("Geneva Convention of 1929" is not the 1949 one).
        A description or a bare city ("Geneva") is nothing. Linear in the name's length, and
        remembered per distinct name: it runs for every provision of every record."""
        try:
            return self._resolved[name]
        except KeyError:
            pass
        found = None
        if len(name) <= MAX_NAME:
            for form in (name, *bracketed(name)):
                found = self._lookup(form)
                if found is not None:
                    break
        if len(self._resolved) >= _CACHE_LIMIT:
            self._resolved.clear()
        self._resolved[name] = found
        return found

    def _lookup(self, form: str) -> Statute | None:
        words = form.split()
        tries = [words]
        if len(words) > 1 and words[0].casefold() == "the":
            tries.append(words[1:])
        for each in tries:
            found = self._by_loose.get(loose_key(" ".join(each)))
            if found is not None:
                return found
        for each in tries:
            found = self._without_year(each)
            if found is not None:
                return found
        return None

    def _without_year(self, words: list[str]) -> Statute | None:
        """The statute `words` name with a year before or after the name ("1997 Ottawa
        Convention", "Refugee Convention of 1951", "... of 12 August 1949"), when none of
        the statute's names holds a different year."""
        if len(words) < 2:
            return None
        last, first = words[-1].strip("(),."), words[0].strip("(),.")
        if _YEAR.fullmatch(last):
            year, rest = last, words[:-1]
            if len(rest) > 2 and rest[-1].casefold() in _MONTHS and rest[-2].isdigit():
                rest = rest[:-2]
            if len(rest) > 1 and rest[-1].casefold() == "of":
                rest = rest[:-1]
        elif _YEAR.fullmatch(first):
            year, rest = first, words[1:]
        else:
            return None
        found = self._by_loose.get(loose_key(" ".join(rest)))
        if found is None:
            return None
        years = self._years[id(found)]
        return found if not years or year in years else None

    def with_statutes(self, names: Iterable[str]) -> Self:
        """This catalog with the tracker's statutes: a statute the catalog knows (by any of its
        names, or by a part of it in brackets: "Ottawa Treaty (Mine Ban Treaty)") takes the
        tracker's spelling as its canonical name — the spelling most used, when the tracker
        has several; a statute it does not know becomes a statute of its own."""
        counts = Counter(n.strip() for n in names if n and n.strip())
        chosen: dict[int, str] = {}  # statute index → the tracker's spelling
        extra: list[Statute] = []
        index = {id(statute): i for i, statute in enumerate(self.statutes)}
        for name, _count in sorted(counts.items(), key=lambda item: -item[1]):
            statute = self.resolve(name)
            if statute is not None:
                chosen.setdefault(index[id(statute)], name)
                continue
            extra.append(tracker_statute(name))
        statutes = []
        for i, statute in enumerate(self.statutes):
            if i in chosen:
                spelled = chosen[i]
                aliases = tuple(n for n in (*statute.names(), *bracketed(spelled)) if n != spelled)
                statute = replace(statute, name=spelled, aliases=aliases, known=True)
            statutes.append(statute)
        return type(self)([*statutes, *extra])

    def extended(self, definitions: Iterable[StatuteDefinition]) -> Self:
        """This catalog with a tracker's `[[law.statutes]]`: a definition whose name or an
        alias the catalog knows adds its names to that statute and makes its name the
        canonical one; any other is a statute of its own. StatuteConflict when one names
        two statutes, when two name the same one, or when two give the same name."""
        statutes = list(self.statutes)
        position = {id(statute): i for i, statute in enumerate(statutes)}
        claimed: dict[int, int] = {}  # statute position → the definition that extends it
        given: dict[str, int] = {}  # loose key of a name → the definition that gives it
        added: list[Statute] = []
        for n, definition in enumerate(definitions):
            target: Statute | None = None
            target_field = ""
            names = (("name", definition.name), *(("aliases", a) for a in definition.aliases))
            for field, name in names:
                earlier = given.get(loose_key(name), n)
                if earlier != n:
                    raise StatuteConflict(
                        n, field, f"{name!r} is already a name in [[law.statutes]] #{earlier + 1}"
                    )
                given[loose_key(name)] = n
                found = self.resolve(name)
                if found is None or found is target:
                    continue
                if target is not None:
                    raise StatuteConflict(
                        n,
                        field,
                        f"{name!r} is a name of {found.name!r}, but {target_field} is "
                        f"{target.name!r}'s: one table, one statute",
                    )
                target = found
                target_field = f"the name {name!r}" if field == "name" else f"the alias {name!r}"
            if target is None:
                aliases = tuple(
                    dict.fromkeys(a for a in definition.aliases if a != definition.name)
                )
                added.append(Statute(definition.name, aliases, kind=statute_kind(definition.name)))
                continue
            at = position[id(target)]
            if at in claimed:
                raise StatuteConflict(
                    n,
                    "name",
                    f"{target.name!r} is already extended by [[law.statutes]] #{claimed[at] + 1}",
                )
            claimed[at] = n
            merged = dict.fromkeys((*target.names(), *definition.aliases))
            merged.pop(definition.name, None)
            statutes[at] = replace(target, name=definition.name, aliases=tuple(merged))
        return type(self)([*statutes, *added])


@lru_cache(maxsize=16)
def statute_catalog(definitions: tuple[StatuteDefinition, ...] = ()) -> StatuteCatalog:
    """The built-in catalog extended by a site's `[[law.statutes]]`; one object per distinct
    set of definitions, so that its memory of resolved names lasts across builds."""
    return StatuteCatalog.default().extended(definitions)
