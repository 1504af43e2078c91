"""People, organisations and places an article names, matched to the tracker's own parties.

No model: capitalised word sequences, classified by cues — a title before a name ("President",
"Mr"), an organisation word in it ("Ministry", "Watch", "Committee"), a small gazetteer of
countries, capitals and regions, "in X"/"from X" — and matched to the names the tracker already
uses (`KnownNames`: every party's name and entity slug, lowercased, "the " dropped).

Every occurrence is returned, in text order, so that a matcher can count them; within one
article a last name alone ("Linden") is the person named in full before ("Ben Linden"), and an
acronym given in brackets after a name ("... to Ban Landmines (ICBL)") stands for that name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Mention, MentionKind
from casework.ingest.extract.sentences import sentences
from casework.model import Party, PartyKind, Record


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


def _lines(block: str) -> frozenset[str]:
    """Entries one per line or comma-separated (for names holding spaces)."""
    return frozenset(
        part.strip() for line in block.splitlines() for part in line.split(",") if part.strip()
    )


MAX_NAME_WORDS = 12  # longer capitalised runs (headings in title case) are cut into pieces

# Capitalised only because they open a sentence (or a quotation): never the start of a name.
SENTENCE_WORDS = _words(
    """The A An In On At It Its He She They We I You Your Our Their His Her Him Them Us Me My
    But And Or Nor So Yet For Of To From By With Without Within Into Onto Over Under Above
    Below After Before During Since Until While When Whenever Where Wherever Why How What
    Which Who Whom Whose That This These Those There Here Then Thus Now Still Also Even Just
    Only Already Again According Although Though Because As If Unless Whether Once Despite
    Amid Among Between Against Across Along Around Behind Beyond Toward Towards Through
    Throughout Upon About Meanwhile However Moreover Furthermore Nevertheless Instead Indeed
    Last Next Earlier Later Today Yesterday Tomorrow Tonight Recently Previously Finally First
    Second Third Some Many Most More Much Few Several All Both Each Every Either Neither Any No
    None Not Other Another Such One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve
    Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety Hundred Hundreds Thousand Thousands
    Million Millions Dozens Half Nearly Almost About Roughly Around Approximately Over Under
    Up Down Out Off Yes Well Let Please Do Does Did Is Are Was Were Be Been Has Have Had Will
    Would Can Could Should Must May Might Shall Asked Speaking Including Like Unlike Given
    Following Per Via Whatever Whoever Whichever Overall Together Nobody Everyone Everybody
    Someone Somebody Anyone Nothing Everything Something Anything Officials Authorities
    Residents Witnesses Survivors Families Activists Critics Experts Researchers Lawyers
    Police Soldiers Troops Civilians Children Women Men People Protesters Journalists
    Read See Note Update Editor Photo Source Sources Related Share"""
)
MONTHS_AND_DAYS = _words(
    """January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday"""
)
# Nationality adjectives: "Russian landmine use" names no one.
DEMONYMS = _words(
    """Afghan African Albanian Algerian American Arab Argentine Argentinian Armenian Asian
    Australian Austrian Azerbaijani Bahraini Bangladeshi Belarusian Belgian Bolivian Bosnian
    Brazilian British Bulgarian Burmese Burundian Cambodian Cameroonian Canadian Chadian Chilean
    Chinese Colombian Congolese Croatian Cuban Czech Danish Dutch Ecuadorian Egyptian Emirati
    English Eritrean Estonian Ethiopian European Filipino Finnish French Georgian German
    Ghanaian Greek Guatemalan Haitian Honduran Hungarian Indian Indonesian Iranian Iraqi Irish
    Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan Korean Kurdish Kuwaiti
    Kyrgyz Lao Latvian Lebanese Liberian Libyan Lithuanian Malaysian Malian Mexican Moldovan
    Mongolian Moroccan Mozambican Nepali Nicaraguan Nigerian Nigerien Norwegian Pakistani
    Palestinian Panamanian Paraguayan Peruvian Polish Portuguese Qatari Romanian Russian
    Rwandan Saudi Scottish Senegalese Serbian Slovak Slovenian Somali Sudanese Spanish Swedish
    Swiss Syrian Taiwanese Tajik Tanzanian Thai Tunisian Turkish Turkmen Ugandan Ukrainian
    Uruguayan Uzbek Venezuelan Vietnamese Welsh Western Eastern Northern Southern Yemeni
    Zambian Zimbabwean Sunni Shia Shiite Muslim Muslims Christian Christians Jewish Hindu
    Buddhist Catholic Protestant Orthodox Rohingya Uyghur Uighur Yazidi Kurds Arabs"""
)
# Words a name of a person is introduced by; what follows them (not part of it) is the name.
TITLES = _words(
    """President Vice Prime Minister Secretary Secretary-General Chancellor General Gen
    Lieutenant Lt Colonel Col Major Maj Captain Capt Sergeant Sgt Corporal Cpl Commander Cmdr
    Admiral Adm Brigadier Marshal Senator Sen Representative Rep Congressman Congresswoman
    Governor Gov Mayor Judge Justice Ambassador King Queen Prince Princess Sheikh Emir Pope
    Archbishop Bishop Rev Reverend Father Imam Rabbi Dr Mr Mrs Ms Mx Prof Professor Lord Lady
    Sir Dame Chief Director Commissioner Spokesperson Spokesman Spokeswoman Officer Deputy
    Attorney Prosecutor Rapporteur Chairman Chairwoman Chair Speaker Leader Inspector
    Superintendent Detective Constable Agent Premier Envoy Special Acting Former
    Presidente Présidente Ministro Ministra Ministre Secretario Secretaria Juez Jueza Juge
    Fiscal Procureur Procureure Alcalde Alcaldesa Maire Gobernador Gobernadora Gouverneur
    Directora Directeur Directrice Portavoz Porte-parole Général Coronel Comandante
    Commandant Sra Mme Señor Señora Monsieur Madame Embajador Embajadora Ambassadeur
    Relator Relatora"""
)
# The department a title belongs to ("Secretary of Defense Pete Hegseth"): never part of the name.
DEPARTMENT_WORDS = _words(
    """Defense Defence State Justice Interior Homeland Security Foreign Affairs Health Education
    Labor Labour Treasury Finance Commerce Energy Agriculture Transportation Transport War
    Veterans Home Human Services Public Safety Internal Immigration National Intelligence
    General Staff Armed Forces Economy Trade Development Environment Culture Information
    Emergency Emergencies Refugees Migration Welfare Social Youth Women Rights Police Army
    Navy Air Military Operations Central Command Joint Chiefs the of for and"""
)
ORG_CUES = _words(
    """Ministry Agency Army Police Committee International Council Court Department Office
    Union Party Corps Command Watch Amnesty Commission Organization Organisation Foundation
    Institute Institution Association Bureau Force Forces Guard Guards Service Services
    Authority Authorities Government Administration Parliament Assembly Congress Senate
    Monitor Campaign Coalition Network Center Centre Group Company Corporation Corp Inc Ltd
    LLC Bank Fund University College Academy Times Post News Press Journal Herald Tribunal
    Mission Brigade Brigades Battalion Regiment Division Militia Front Movement Federation
    League Alliance Society Initiative Project Program Programme Trust Board Cabinet
    Secretariat Directorate Navy Marines Rights Nations Embassy Consulate Caucus Patrol
    Enforcement Intelligence Prison Hospital Church Clinic Council Observatory House
    Commissariat Kommandatura Junta Legion Airlines Media Network Networks Broadcasting
    Television Radio Magazine Gazette Tribune Chronicle Telegraph Guardian Reuters
    Instituto Institut Internacional Nacional Nacionales Ministerio Ministère Comisión Comité
    Consejo Conseil Corte Cour Tribunal Policía Ejército Armée Gobierno Gouvernement
    Organización Fundación Fondation Asociación Defensor Defensoría Amnistía Naciones Unidas
    Unies Fiscalía Procuraduría Secretaría Oficina Agencia Agence Frente Partido Parti
    Movimiento Mouvement Derechos Droits Humanos Sindicato Syndicat Universidad Université
    Carabineros Guardia Gendarmerie Fuerzas Médecins Médicos Reporteros Ayuntamiento
    Alcaldía Mairie Préfecture Juzgado Audiencia Parlamento Parlement Congreso Senado Sénat
    Asamblea Assemblée Observatorio Observatoire Cruz Croix"""
)
# A name never ends in these: events, prizes, laws, documents (laws are extract/law.py's).
NOT_NAMES_LAST = _words(
    """War Wars Prize Award Awards Day Act Acts Convention Conventions Treaty Treaties Statute
    Protocol Protocols Charter Declaration Covenant Law Laws Rules Amendment Code Bill Accord
    Accords Agreement Memo Report Index Games Cup Olympics Summit Conference Revolution Spring
    Era Century Article Articles Section Sections Paragraph Chapter Annex Clause"""
)
# Nor starts with these (Spanish and French put the kind of law first: "Ley Orgánica de…").
NOT_NAMES_FIRST = _words(
    """Ley Loi Convención Código Code Decreto Décret Tratado Traité Estatuto Statut Pacto
    Pacte Carta Charte Declaración Déclaration Protocolo Protocole Artículo Article Resolución
    Résolution Reglamento Règlement"""
)
# After a person's name, not their last name: "Fernando Rodriguez Jr." is "Rodriguez".
NAME_SUFFIXES = frozenset("Jr. Jr Sr. Sr II III IV".split())
# Heads a connector ("of", "for", "to") may follow inside one name: "Republic of", "Campaign to".
LINK_HEADS = _words(
    """Republic Kingdom State States Gulf Bay Sea Isle Island Islands Peninsula Horn Strait
    Straits Cape Lake Mount Province Region District City County Emirate Emirates Federation
    Friends Physicians Doctors Reporters Lawyers Journalists Mothers Students Veterans
    Coalition Campaign Committee Council Court Commission Ministry Department Office Agency
    Bureau Institute Center Centre Fund Bank University College School Union League Society
    Association Organization Organisation Federation Board Secretary Minister Director Chief
    Head Commissioner Rapporteur President Governor Mayor Chairman Chair Commander Tribunal
    Party Front Movement Army Forces Force Corps Command Brigade Division Network Alliance
    Friends Voice Voices Women Human Protection Defense Defence Assistance Security"""
)
CONNECTORS = _words("of for to the and on de da du des la le van von der den bin ibn al y del di")
PERSON_PARTICLES = _words("de da du des la le van von der den bin ibn al y del di")
# Organisations that hold no cue word.
FIXED_ORGANIZATIONS = _lines(
    """White House, Pentagon, Kremlin, Congress, NATO, UN, United Nations, European Union, EU,
    African Union, Interpol, Europol, Frontex, Hamas, Hezbollah, Houthis, Taliban, Wagner,
    Doctors Without Borders, Médecins Sans Frontières, MSF, Reporters Without Borders,
    Human Rights Watch, Amnesty International, Red Cross, Red Crescent, UNICEF, UNHCR,
    UNRWA, OHCHR, ICRC, ICC, ICJ, WHO, OSCE, OECD, Mossad, Shin Bet, Bellingcat, Airwars,
    Memorial, B'Tselem, Al Jazeera, Facebook, Meta, Google, Twitter, YouTube, TikTok,
    Telegram, Microsoft, Amazon, Palantir"""
)
# Countries (and common short forms), capitals and other cities in the news, regions.
GAZETTEER = _lines(
    """Afghanistan, Albania, Algeria, Andorra, Angola, Antigua and Barbuda, Argentina, Armenia,
    Australia, Austria, Azerbaijan, Bahamas, Bahrain, Bangladesh, Barbados, Belarus, Belgium,
    Belize, Benin, Bhutan, Bolivia, Bosnia and Herzegovina, Bosnia, Botswana, Brazil, Brunei,
    Bulgaria, Burkina Faso, Burundi, Cambodia, Cameroon, Canada, Cape Verde, Cabo Verde,
    Central African Republic, Chad, Chile, China, Colombia, Comoros, Congo,
    Democratic Republic of the Congo, DRC, Republic of the Congo, Costa Rica, Côte d'Ivoire,
    Ivory Coast, Croatia, Cuba, Cyprus, Czech Republic, Czechia, Denmark, Djibouti, Dominica,
    Dominican Republic, East Timor, Timor-Leste, Ecuador, Egypt, El Salvador,
    Equatorial Guinea, Eritrea, Estonia, Eswatini, Ethiopia, Fiji, Finland, France, Gabon,
    Gambia, Georgia, Germany, Ghana, Greece, Grenada, Guatemala, Guinea, Guinea-Bissau, Guyana,
    Haiti, Honduras, Hungary, Iceland, India, Indonesia, Iran, Iraq, Ireland, Israel, Italy,
    Jamaica, Japan, Jordan, Kazakhstan, Kenya, Kiribati, Kosovo, Kuwait, Kyrgyzstan, Laos,
    Latvia, Lebanon, Lesotho, Liberia, Libya, Liechtenstein, Lithuania, Luxembourg, Madagascar,
    Malawi, Malaysia, Maldives, Mali, Malta, Marshall Islands, Mauritania, Mauritius, Mexico,
    Micronesia, Moldova, Monaco, Mongolia, Montenegro, Morocco, Mozambique, Myanmar, Burma,
    Namibia, Nauru, Nepal, Netherlands, New Zealand, Nicaragua, Niger, Nigeria, North Korea,
    North Macedonia, Norway, Oman, Pakistan, Palau, Palestine, Panama, Papua New Guinea,
    Paraguay, Peru, Philippines, Poland, Portugal, Qatar, Romania, Russia, Rwanda,
    Saint Kitts and Nevis, Saint Lucia, Samoa, San Marino, Saudi Arabia, Senegal, Serbia,
    Seychelles, Sierra Leone, Singapore, Slovakia, Slovenia, Solomon Islands, Somalia,
    South Africa, South Korea, South Sudan, Spain, Sri Lanka, Sudan, Suriname, Sweden,
    Switzerland, Syria, Taiwan, Tajikistan, Tanzania, Thailand, Togo, Tonga,
    Trinidad and Tobago, Tunisia, Turkey, Türkiye, Turkmenistan, Tuvalu, Uganda, Ukraine,
    United Arab Emirates, UAE, United Kingdom, UK, U.K., Britain, Great Britain, England,
    Scotland, Wales, Northern Ireland, United States, United States of America, US, U.S., USA,
    U.S.A., America, Uruguay, Uzbekistan, Vanuatu, Vatican, Venezuela, Vietnam, Yemen, Zambia,
    Zimbabwe, Korea, Western Sahara, Hong Kong, Puerto Rico, Greenland, Somaliland,
    Kabul, Tirana, Algiers, Luanda, Buenos Aires, Yerevan, Canberra, Vienna, Baku, Manama,
    Dhaka, Minsk, Brussels, Thimphu, La Paz, Sarajevo, Gaborone, Brasília, Brasilia, Sofia,
    Ouagadougou, Gitega, Bujumbura, Phnom Penh, Yaoundé, Ottawa, Bangui, N'Djamena, Santiago,
    Beijing, Bogotá, Bogota, Kinshasa, Brazzaville, San José, Zagreb, Havana, Nicosia, Prague,
    Copenhagen, Santo Domingo, Dili, Quito, Cairo, San Salvador, Asmara, Tallinn, Addis Ababa,
    Helsinki, Paris, Libreville, Banjul, Tbilisi, Berlin, Accra, Athens, Guatemala City,
    Conakry, Bissau, Georgetown, Port-au-Prince, Tegucigalpa, Budapest, Reykjavik, New Delhi,
    Delhi, Mumbai, Jakarta, Tehran, Baghdad, Dublin, Jerusalem, Tel Aviv, Rome, Kingston, Tokyo,
    Amman, Astana, Nairobi, Pristina, Kuwait City, Bishkek, Vientiane, Riga, Beirut, Maseru,
    Monrovia, Tripoli, Benghazi, Vilnius, Antananarivo, Lilongwe, Kuala Lumpur, Bamako,
    Valletta, Nouakchott, Mexico City, Chisinau, Ulaanbaatar, Podgorica, Rabat, Maputo,
    Naypyidaw, Yangon, Mandalay, Windhoek, Kathmandu, Amsterdam, The Hague, Hague, Wellington,
    Managua, Niamey, Abuja, Lagos, Pyongyang, Skopje, Oslo, Muscat, Islamabad, Karachi, Lahore,
    Ramallah, Panama City, Port Moresby, Asunción, Lima, Manila, Warsaw, Lisbon, Doha,
    Bucharest, Moscow, St Petersburg, Kigali, Riyadh, Jeddah, Dakar, Belgrade, Freetown,
    Bratislava, Ljubljana, Mogadishu, Pretoria, Cape Town, Johannesburg, Seoul, Juba, Madrid,
    Barcelona, Colombo, Khartoum, Omdurman, Port Sudan, El Fasher, Stockholm, Bern, Geneva,
    Zurich, Damascus, Aleppo, Homs, Idlib, Raqqa, Taipei, Dushanbe, Dodoma, Dar es Salaam,
    Bangkok, Lomé, Tunis, Ankara, Istanbul, Ashgabat, Kampala, Kyiv, Kiev, Kharkiv, Odesa,
    Odessa, Mariupol, Bucha, Kherson, Zaporizhzhia, Abu Dhabi, Dubai, London, Manchester,
    Washington, Washington DC, Washington D.C., New York, New York City, Los Angeles, Chicago,
    Miami, Houston, San Francisco, Minneapolis, Portland, Seattle, Atlanta, Boston,
    Philadelphia, Montevideo, Tashkent, Caracas, Hanoi, Ho Chi Minh City, Sanaa, Sana'a, Aden,
    Lusaka, Harare, Strasbourg, Luxembourg, Mosul, Erbil, Basra, Fallujah, Gaza City, Rafah,
    Khan Younis, Jenin, Hebron, Nablus, Goma, Bukavu, Mekelle, Marawi, Mogadishu, Hamburg,
    Munich, Frankfurt, Lyon, Marseille, Milan, Naples, Lampedusa, Calais, Lesbos, Ceuta,
    Melilla, Tijuana, Ciudad Juárez, Rio de Janeiro, São Paulo, Sao Paulo, Hong Kong, Macau,
    Europe, Asia, Africa, Oceania, Antarctica, Central Asia, South Asia, Southeast Asia,
    East Asia, Middle East, Latin America, South America, North America, Central America,
    Caribbean, Balkans, Western Balkans, Caucasus, North Caucasus, South Caucasus, Sahel,
    Horn of Africa, Gaza, Gaza Strip, West Bank, East Jerusalem, Golan Heights, Donbas,
    Donbass, Donetsk, Luhansk, Crimea, Darfur, Kordofan, Kashmir, Tigray, Amhara, Oromia,
    Xinjiang, Tibet, Rakhine, Kurdistan, Nagorno-Karabakh, Korean Peninsula, Persian Gulf,
    Gulf, Red Sea, Black Sea, Mediterranean, Aegean, English Channel, Arctic, Pacific,
    Atlantic, Eastern Europe, Western Europe, Central Europe, Scandinavia, Siberia, Sinai,
    Kivu, North Kivu, South Kivu, Ituri, Cabo Delgado, Papua, West Papua, Mindanao,
    Balochistan, Punjab, Chechnya, Abkhazia, South Ossetia, Transnistria, Sub-Saharan Africa,
    West Africa, East Africa, North Africa, Southern Africa, Central Africa, Alabama, Alaska,
    Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida, Hawaii, Idaho,
    Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland, Massachusetts,
    Michigan, Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada, New Hampshire,
    New Jersey, New Mexico, North Carolina, North Dakota, Ohio, Oklahoma, Oregon,
    Pennsylvania, Rhode Island, South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont,
    Virginia, West Virginia, Wisconsin, Wyoming, Guantanamo, Guantánamo Bay, Guantanamo Bay"""
)
# After these a name with no other cue is a place.
PLACE_PREPOSITIONS = _words("in from near across throughout outside inside into toward towards")
# A name these follow is a person ("Linden said", "Linden told").
SPEECH_VERBS = _words(
    """said says told tells explained explains added adds warned warns noted notes wrote
    writes stated states argued argues condemned condemns asked asks replied replies
    declared declares insisted insists recalled recalls urged urges testified claimed"""
)
_PARTY_KINDS: dict[PartyKind, MentionKind] = {
    PartyKind.person: "person",
    PartyKind.group: "organization",
    PartyKind.organization: "organization",
    PartyKind.state: "place",
    PartyKind.population: "organization",
}

_TOKEN = re.compile(
    r"""[^\W\d_](?:[\w&]|['’.\-](?=\w))*\.?   # a word: U.S., al-Assad, N'Djamena, USA’s
    |\d[\d,.]*\w*                             # a number
    |[^\w\s]                                  # punctuation, one character
    """,
    re.VERBOSE,
)
_BRACKETED = re.compile(r"\s*(.+?)\s*\(([^()]+)\)\s*")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z0-9&]{1,7}s?")
_INITIAL = re.compile(r"[A-Z]\.")
_POSSESSIVE = re.compile(r"['’]s?$")
_HYPHEN_MODIFIER = re.compile(r"^[A-Z][\w.]*-[a-z]")  # Biden-era, Prize-winning, US-backed
_PARTICLE_NAME = re.compile(r"^(?:al|el|bin|ibn|abu|de|da|van|von|ben)-[A-Z]")
_OPENERS = frozenset("“\"‘'«:")
_ABBREVIATIONS = _words(
    """Mr. Mrs. Ms. Mx. Dr. Gen. Lt. Col. Maj. Capt. Sgt. Sen. Rep. Gov. Prof. Rev. Adm. St.
    Jr. Sr. Inc. Corp. Ltd. Co."""
)


def alias_key(name: str) -> str:
    """The form names are compared in: accents folded, lowercase, a leading "the" and a
    trailing possessive dropped, dots removed ("U.S." = "US"), hyphens and other punctuation
    as spaces ("amnesty-international" = "Amnesty International")."""
    words = " ".join(_word_key(w) for w in _POSSESSIVE.sub("", name.strip()).split()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """One word's part of an alias key (without alias_key's "the" rule)."""
    folded = unicodedata.normalize("NFKD", word)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    folded = folded.replace("’", "'").replace(".", "")
    return " ".join(re.sub(r"[^\w&']+", " ", folded).replace("'", "").split())


@dataclass(frozen=True)
class KnownName:
    known: str  # the tracker's own name: the party's name as its first record writes it
    kind: MentionKind


@dataclass
class KnownNames:
    """The names the tracker already uses for parties, by `alias_key`: each party's name and
    its entity slug both lead to the party's name as the tracker writes it."""

    aliases: dict[str, KnownName] = field(default_factory=dict)
    longest: int = 0  # the most words an alias has: how far a lookup reaches
    # (name, entity) of the parties added: thousands of records repeat the same few.
    _added: set[tuple[str, str | None]] = field(default_factory=set, repr=False)

    @classmethod
    def from_records(cls, records: Iterable[Record]) -> KnownNames:
        known = cls()
        for record in records:
            for party in (*record.structured_victims, *record.structured_perpetrators):
                known.add_party(party)
        return known

    @classmethod
    def from_parties(cls, parties: Iterable[Party]) -> KnownNames:
        known = cls()
        for party in parties:
            known.add_party(party)
        return known

    def add_party(self, party: Party) -> None:
        if (party.name, party.entity) in self._added:
            return
        self._added.add((party.name, party.entity))
        kind = _PARTY_KINDS[party.kind]
        if kind == "place" and party.name.strip() not in GAZETTEER:
            kind = "organization"  # a state party may be a government: "Trump administration"
        target = KnownName(party.name.strip(), kind)
        forms = [party.name]
        if party.entity:
            forms.append(party.entity)
        # "International Campaign to Ban Landmines (ICBL)": the bracketed short form too.
        bracket = _BRACKETED.fullmatch(party.name) if "(" in party.name else None
        if bracket:
            forms.extend(bracket.groups())
        for form in forms:
            self.add(form, target)

    def add(self, name: str, target: KnownName) -> None:
        key = alias_key(name)
        if not key or key in self.aliases:
            return  # the first record to use a name keeps it
        self.aliases[key] = target
        self.longest = max(self.longest, key.count(" ") + 1)

    def lookup(self, name: str) -> KnownName | None:
        return self.aliases.get(alias_key(name))

    def __len__(self) -> int:
        return len(self.aliases)


@dataclass(frozen=True)
class _Token:
    text: str  # possessive and sentence-final dot removed
    start: int
    end: int
    possessive: bool
    initial: bool  # opens its sentence or a quotation: capitalised whatever it is
    key: str  # as alias_key makes it; "" for punctuation


def _tokens(text: str, span: Span) -> list[_Token]:
    tokens: list[_Token] = []
    previous = ""
    seen_word = False
    for match in _TOKEN.finditer(text, span.start, span.end):
        word, start, end = match.group(), match.start(), match.end()
        if word.endswith(".") and len(word) > 1:
            if not (_INITIAL.fullmatch(word) or "." in word[:-1] or word in _ABBREVIATIONS):
                word, end = word[:-1], end - 1
        possessive = False
        stripped = _POSSESSIVE.sub("", word) if word[0].isupper() else word
        if stripped != word and stripped:
            possessive, word, end = True, stripped, start + len(stripped)
        initial = not seen_word or previous in _OPENERS
        tokens.append(_Token(word, start, end, possessive, initial, _word_key(word)))
        seen_word = seen_word or word[0].isalnum()
        previous = word
    return tokens


def _is_name_word(token: _Token) -> bool:
    first = token.text[0]
    if first.isupper():
        return not _HYPHEN_MODIFIER.match(token.text) or bool(_ACRONYM.fullmatch(token.text))
    return bool(_PARTICLE_NAME.match(token.text))


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.fullmatch(word)) and any(c.isupper() for c in word[1:])


def _has_cue(words: list[str]) -> bool:
    return any(w in ORG_CUES for w in words)


def _looks_like_person(words: list[str]) -> bool:
    """Two to four name-shaped words: "Ben Linden", "J. Smith", "Bashar al-Assad"."""
    names = [w for w in words if w not in PERSON_PARTICLES]
    if not 2 <= len(names) <= 4 or _has_cue(words):
        return False
    return all(
        (w[0].isupper() and any(c.islower() for c in w)) or _INITIAL.fullmatch(w)
        for w in names
        if not _PARTICLE_NAME.match(w)
    )


def split_title(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(before, title, name) of a capitalised sequence holding a person's title:
    "US Secretary of Defense Pete Hegseth" → (["US"], ["Secretary", "of", "Defense"],
    ["Pete", "Hegseth"]); "the Secretary of State" names no one: name is []. Without a title,
    or when what follows it is no person's name ("General Assembly"): ([], [], words)."""
    last_title = -1
    for i, word in enumerate(words):
        if word.rstrip(".") in TITLES or word.split("-")[-1] in TITLES or (i, word) == (0, "M."):
            last_title = i  # ("M." opening a name is French "Monsieur", not an initial)
    if last_title < 0:
        return [], [], words
    first_title = last_title
    while first_title > 0 and (
        words[first_title - 1].rstrip(".") in TITLES or words[first_title - 1] in ("of", "for")
    ):
        first_title -= 1
    name_from = last_title + 1
    while name_from < len(words) and words[name_from] in DEPARTMENT_WORDS:
        name_from += 1
    name = words[name_from:]
    if name and (len(name) > 4 or _has_cue(name) or name[0] in CONNECTORS):
        return [], [], words
    if not name and _has_cue(words[last_title + 1 :]):
        return [], [], words  # "Secretary of the Army"... is a title; "Foreign Ministry" a name
    return words[:first_title], words[first_title:name_from], name


def names_nothing(words: list[str]) -> bool:
    """Whether a capitalised sequence names no person, organisation or place: a month, a
    nationality, a war, a prize, a law."""
    if words[-1] in NOT_NAMES_LAST or words[0] in NOT_NAMES_FIRST:
        return True
    # A nationality in the plural names people, not an organisation ("Palestinians").
    return len(words) == 1 and (
        words[0] in MONTHS_AND_DAYS
        or words[0] in DEMONYMS
        or (words[0].endswith("s") and words[0][:-1] in DEMONYMS)
    )


def last_name(name: str) -> str:
    """The word a person is called by alone: "Fernando Rodriguez Jr." → "Rodriguez"."""
    words = name.split()
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else name


def name_kind(
    words: list[str],
    *,
    before: str = "",
    after: str = "",
    fallback: MentionKind | None = "organization",
) -> MentionKind | None:
    """What a capitalised sequence names, from its own words and the words around it; None
    when it names nothing (`names_nothing`), `fallback` when nothing tells."""
    if names_nothing(words):
        return None
    if all(w.isupper() for w in words) and (len(words) > 1 or words[0].title() in GAZETTEER):
        words = [w.title() for w in words]  # a dateline or a byline: "KYIV", "By ANA LIMA"
    name = " ".join(words)
    if name in GAZETTEER:
        return "place"
    if name in FIXED_ORGANIZATIONS or _has_cue(words):
        return "organization"
    if len(words) == 1 and _is_acronym(words[0]):
        return "organization"
    previous = before.split()[-1] if before.split() else ""
    if previous.split("-")[-1].rstrip(".") in TITLES:
        return "person"
    if previous.lower() in PLACE_PREPOSITIONS and not _looks_like_person(words):
        return "place"
    if _looks_like_person(words):
        return "person"
    following = after.split()[0] if after.split() else ""
    if following in SPEECH_VERBS:
        return "person"
    return fallback


@dataclass
class _Reader:
    """What one article has named so far: persons by last name, acronyms defined in it."""

    text: str
    known: KnownNames
    proper: frozenset[str]  # words capitalised somewhere not opening a sentence
    persons: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    acronyms: dict[str, tuple[MentionKind, str | None]] = field(default_factory=dict)
    kinds: dict[str, MentionKind] = field(default_factory=dict)  # as first told by a cue
    mentions: list[Mention] = field(default_factory=list)

    def sentence(self, span: Span) -> None:
        tokens = _tokens(self.text, span)
        i = 0
        while i < len(tokens):
            check_budget()
            if not _is_name_word(tokens[i]):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and not tokens[j - 1].possessive and j - i < MAX_NAME_WORDS:
                if _is_name_word(tokens[j]):
                    j += 1
                elif tokens[j].text in CONNECTORS and j + 1 < len(tokens):
                    k = j
                    while k < len(tokens) and tokens[k].text in CONNECTORS:
                        k += 1
                    if k < len(tokens) and _is_name_word(tokens[k]) and k - j <= 2:
                        j = k + 1
                    else:
                        break
                else:
                    break
            if j < len(tokens) and _HYPHEN_MODIFIER.match(tokens[j].text):
                i = j + 1  # "Nobel Peace Prize-winning": a modifier, not a name
                continue
            self.sequence(tokens, i, j, span)
            i = j

    def sequence(self, tokens: list[_Token], i: int, j: int, span: Span) -> None:
        """Tokens i..j-1: one run of capitalised words (with connectors); find the known
        names in it first (a party may be called "Police" or "Residents"), then split the
        rest into names."""
        start = i
        while start < j:
            found = self.known_at(tokens, start, j)
            if found is None:
                start += 1
                continue
            end, target = found
            self.split(tokens, i, start, span)
            self.add(tokens, start, end, target.kind, target.known, span)
            i = start = end
        self.split(tokens, i, j, span)

    def known_at(
        self, tokens: list[_Token], start: int, limit: int
    ) -> tuple[int, KnownName] | None:
        """The longest known name starting at `start`; it may run past the capitalised words
        into lowercase ones ("the Trump administration") but not past a possessive."""
        if not self.known.longest or tokens[start].text in CONNECTORS:
            return None
        reach = start
        while reach < min(len(tokens), start + self.known.longest) and tokens[reach].key:
            if reach >= limit and tokens[reach - 1].possessive:
                break
            reach += 1
        keys = [t.key for t in tokens[start:reach]]
        if keys and keys[0] == "the":
            keys = keys[1:]  # as alias_key does: "the" opens no alias
        for length in range(len(keys), 0, -1):
            end = reach - (len(keys) - length)
            if end < limit and tokens[end - 1].text in CONNECTORS:
                continue
            target = self.known.aliases.get(" ".join(keys[:length]))
            if target is not None:
                return end, target
        return None

    def split(self, tokens: list[_Token], i: int, j: int, span: Span) -> None:
        """Tokens i..j-1 hold no known name: split them where a connector joins two names
        ("Ben Linden of Amnesty International") and classify each part."""
        while i < j and (
            tokens[i].text in CONNECTORS or (tokens[i].initial and tokens[i].text in SENTENCE_WORDS)
        ):
            i += 1
        while j > i and tokens[j - 1].text in CONNECTORS:
            j -= 1
        if i >= j:
            return
        words = [t.text for t in tokens[i:j]]
        if " ".join(words) in GAZETTEER or " ".join(words) in FIXED_ORGANIZATIONS:
            self.classified(tokens, i, j, span)
            return
        for c in range(i + 1, j - 1):
            word = tokens[c].text
            if word not in CONNECTORS or tokens[c - 1].text in CONNECTORS:
                continue
            left = [t.text for t in tokens[i:c]]
            right = [t.text for t in tokens[c + 1 : j] if t.text not in CONNECTORS]
            if word == "and":
                # "Immigration and Customs Enforcement" is one name; "Cambodia and Iran" two.
                joined = _has_cue(right) and not _has_cue(left) and " ".join(left) not in GAZETTEER
            else:
                joined = left[-1] in LINK_HEADS or left[-1] in TITLES or _has_cue(left[-1:])
            if not joined:
                self.split(tokens, i, c, span)
                self.split(tokens, c + 1, j, span)
                return
        self.classified(tokens, i, j, span)

    def classified(self, tokens: list[_Token], i: int, j: int, span: Span) -> None:
        words = [t.text for t in tokens[i:j]]
        if len(words) == 1 and tokens[i].initial and words[0] not in self.proper:
            # Capitalised only because it opens the sentence, unless it is a name we know of.
            if not (
                words[0] in GAZETTEER
                or words[0] in FIXED_ORGANIZATIONS
                or _is_acronym(words[0])
                or words[0] in self.persons
                or words[0] in self.acronyms
            ):
                return
        before, title, name = split_title(words)
        if title:
            if before:
                self.classified(tokens, i, i + len(before), span)
            if name:
                self.add(tokens, j - len(name), j, "person", None, span)
            return
        if len(words) == 1 and words[0] in self.persons:
            self.add(tokens, i, j, "person", None, span)
            return
        if len(words) == 1 and words[0] in self.acronyms:
            defined, known = self.acronyms[words[0]]
            self.add(tokens, i, j, defined, known, span)
            return
        before_text = self.text[max(span.start, tokens[i].start - 30) : tokens[i].start]
        after_text = self.text[tokens[j - 1].end : min(span.end, tokens[j - 1].end + 20)]
        if names_nothing(words):
            return
        joined = " ".join(words)
        kind = name_kind(words, before=before_text, after=after_text, fallback=None)
        if kind is None:
            # Nothing here tells: what a cue told of the same name before ("in Kestrel").
            kind = self.kinds.get(joined, "organization")
        else:
            self.kinds.setdefault(joined, kind)
        self.add(tokens, i, j, kind, None, span)

    def add(
        self,
        tokens: list[_Token],
        i: int,
        j: int,
        kind: MentionKind,
        known: str | None,
        span: Span,
    ) -> None:
        name = self.text[tokens[i].start : tokens[j - 1].end]
        if kind == "person":
            last = last_name(" ".join(t.text for t in tokens[i:j]))
            if j - i > 1:
                self.persons.setdefault(last, (name, known))
            elif known is None and last in self.persons:
                known = self.persons[last][1]  # "Linden", after "Ben Linden"
        self.mentions.append(Mention(name, kind, known, span))
        # "International Committee to Ban Landmines (ICBL)": the acronym stands for it.
        if j + 2 < len(tokens) and tokens[j].text == "(" and tokens[j + 2].text == ")":
            acronym = tokens[j + 1].text
            if _is_acronym(acronym) and kind != "person":
                self.acronyms.setdefault(acronym, (kind, known))


def _proper_words(text: str, spans: list[Span]) -> frozenset[str]:
    words: set[str] = set()
    for span in spans:
        check_budget()
        for token in _tokens(text, span):
            if not token.initial and token.text[0].isupper():
                words.add(token.text)
    return frozenset(words)


def extract_mentions(article: Article, known: KnownNames | None = None) -> list[Mention]:
    """Every person, organisation and place the article's text names, in order, each matched
    to the tracker's own name for it when `known` holds one."""
    spans = sentences(article.text)
    reader = _Reader(article.text, known or KnownNames(), _proper_words(article.text, spans))
    for span in spans:
        reader.sentence(span)
    return reader.mentions
