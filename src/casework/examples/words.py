"""Word lists for example records: invented places, states, names, outlets and organisations,
and a general vocabulary for the body text. Nothing here names a real living person.

Lists are ordered most common first: the text generator draws from them with Zipf-like
weights (the n-th word about 1/n as often as the first), so that a corpus of generated records
has the word frequencies full-text search meets in real text.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


# Fictional states; each has its own institutions (the entities of generated records).
STATES = _words(
    "Kessland Varnholm Ostravia Lindmark Calderra Norvania Braemoor Telmarch Sarvosk Pellinor "
    "Quillany Dunmere Areshov Tamberg Velloria Corvenne Hallstrand Iskara"
)

# Each state's ISO 3166-1 code: one of the codes ISO leaves to its users (model/places.py;
# never XK, which is Kosovo's by convention), so no invented incident is put in a real state;
# the demo's casework.toml names them ([places.names]).
STATE_CODES: dict[str, str] = dict(
    zip(STATES, [f"Q{c}" for c in "MNOPQRSTUVWXYZ"] + ["XA", "XB", "XC", "XD"], strict=True)
)

# Place names are built from these halves: Vel+haven, Ost+mere, ...
PLACE_STARTS = _words(
    "Vel Kar Ost Lind Mar Tor Bel Sar Dun Har Eld Var Nor Cal Ren Tam Brae Quil Fen Ash Mor "
    "Sel Dray Kest Orm Pell Rav Thal Wen Zel Gal Hol Brin Cor Dal"
)
PLACE_ENDS = _words(
    "haven ford mere wick port vale stad grad ia ora ton burg field moor dale an esk ovo ista "
    "ar holm by stead rock gate"
)
PLACE_KINDS = _lines(
    """
    border crossing
    detention centre
    harbour
    district
    province
    refugee camp
    checkpoint
    airbase
    university campus
    market
    prison
    valley
    old town
    industrial zone
    transit centre
    """
)

FIRST_NAMES = _words(
    "Mira Tomas Ilse Jonah Ana Radu Lea Pavel Nadia Oskar Selma Emil Yara Idris Lena Marek "
    "Sofi Aurel Hana Bruno Ines Kasimir Dara Felix Ona Levin Runa Teodor Asha Milo Vesna "
    "Anselm Zora Elias Nika Caspar Livia Rafael Edda Timur"
)
# Surnames are built from these halves: Orv+anek, Thal+mund, ...
SURNAME_STARTS = _words(
    "Orv Thal Brek Dvor Kest Lom Marv Nesk Pol Rask Stav Tor Vell Zan Gar Hol Ivar Jask "
    "Kor Lut Mesk Osk"
)
SURNAME_ENDS = _words("anek mund ova ic ström essen ardi oglu ainen ski berg ov quist el ane")


class Outlet(NamedTuple):
    name: str
    domain: str


NEWS_OUTLETS = (
    Outlet("The Harbour Herald", "harbourherald.example"),
    Outlet("Northern Ledger", "northernledger.example"),
    Outlet("Coastline Courier", "coastlinecourier.example"),
    Outlet("The Evening Dispatch", "eveningdispatch.example"),
    Outlet("Frontier Post", "frontierpost.example"),
    Outlet("Capital Observer", "capitalobserver.example"),
    Outlet("The Valley Tribune", "valleytribune.example"),
    Outlet("Open Record", "openrecord.example"),
    Outlet("The Weekly Inquirer", "weeklyinquirer.example"),
    Outlet("Public Wire", "publicwire.example"),
    Outlet("Riverside Gazette", "riversidegazette.example"),
    Outlet("The Meridian", "meridian.example"),
    Outlet("Daily Standard", "dailystandard.example"),
    Outlet("Borderlands Review", "borderlandsreview.example"),
    Outlet("The Independent Monitor", "independentmonitor.example"),
    Outlet("Example News Service", "news.example.org"),
)
RIGHTS_GROUPS = (
    Outlet("Rights Watch Collective", "rightswatch.example"),
    Outlet("Centre for Accountability Studies", "accountability.example"),
    Outlet("Civil Liberties Network", "civilliberties.example"),
    Outlet("Detention Observers Project", "detentionobservers.example"),
    Outlet("Humanitarian Access Forum", "accessforum.example"),
    Outlet("Example Law Clinic", "lawclinic.example.edu"),
    Outlet("Institute for Conflict Research", "conflictresearch.example"),
    Outlet("Open Archive Trust", "openarchive.example"),
    Outlet("Refugee Legal Aid", "refugeelegalaid.example"),
    Outlet("Press Freedom Alliance", "pressfreedom.example"),
)


class Provision(NamedTuple):
    statute: str
    article: str  # "" when the provision names no article
    provision: str


class Theme(NamedTuple):
    """What records of one category are about: who acts, what they do, what law it touches."""

    actors: tuple[str, ...]  # institutions; "{state} {actor}" is an entity
    actions: tuple[str, ...]  # verb phrases, each followed by a place in a title
    victims: tuple[str, ...]  # groups harmed
    provisions: tuple[Provision, ...]
    tags: tuple[str, ...]
    document_kinds: tuple[str, ...]


ICCPR = "International Covenant on Civil and Political Rights"
GENEVA = "Fourth Geneva Convention"
ROME = "Rome Statute of the International Criminal Court"
REFUGEE = "Convention Relating to the Status of Refugees"
CAT = "Convention against Torture"
IHL = "Customary International Humanitarian Law"
UDHR = "Universal Declaration of Human Rights"
CHILD = "Convention on the Rights of the Child"
JUDICIARY = "Basic Principles on the Independence of the Judiciary"
FORCE = "Basic Principles on the Use of Force and Firearms"
ICESCR = "International Covenant on Economic, Social and Cultural Rights"

THEMES: tuple[Theme, ...] = (
    Theme(  # foreign policy & war
        actors=_lines(
            """
            Air Force
            Defence Ministry
            Naval Command
            Third Army Division
            Artillery Brigade
            Special Operations Command
            Drone Squadron
            Coalition Task Force
            Military Intelligence Directorate
            """
        ),
        actions=_lines(
            """
            shells residential blocks in
            strikes a crowded market in
            lays anti-personnel mines around
            blockades food convoys bound for
            besieges hospitals in
            bombs a water treatment plant near
            cuts power to
            fires cluster munitions into
            approves arms transfers used in
            ends civilian harm reviews for operations in
            """
        ),
        victims=_lines(
            """
            residents
            displaced families
            hospital patients
            aid workers
            farmers
            schoolchildren
            """
        ),
        provisions=(
            Provision(GENEVA, "Article 33", "Prohibition of collective punishment"),
            Provision(ROME, "Article 8(2)(b)(iv)", "Attacks causing excessive incidental harm"),
            Provision(ROME, "Article 8(2)(b)(xxv)", "Starvation of civilians as a method of war"),
            Provision(IHL, "", "Principle of distinction between civilians and combatants"),
            Provision(IHL, "", "Prohibition of indiscriminate attacks"),
            Provision("Convention on Cluster Munitions", "Article 1", "Ban on use and transfer"),
            Provision("Arms Trade Treaty", "Article 6", "Prohibited transfers"),
        ),
        tags=_lines(
            """
            airstrikes
            shelling
            landmines
            cluster munitions
            siege
            civilian casualties
            blockade
            arms transfers
            drones
            proportionality
            distinction
            collective punishment
            starvation
            critical infrastructure
            water supply
            hospitals under fire
            coalition operations
            civilian harm
            explosive weapons
            occupation
            ceasefire violations
            """
        ),
        document_kinds=_words("memo order report briefing assessment"),
    ),
    Theme(  # rule of law
        actors=_lines(
            """
            Justice Ministry
            Attorney General's Office
            Supreme Council of Magistrates
            Presidential Administration
            Interior Ministry
            Prosecutor's Office
            Election Commission
            State Audit Office
            """
        ),
        actions=_lines(
            """
            ignores a court order on
            dismisses judges who ruled on
            pardons officers convicted in
            suspends elections in
            dissolves the elected council of
            purges prosecutors investigating
            withholds court-ordered funds from
            closes the public registry in
            rewrites procurement rules for
            """
        ),
        victims=_lines(
            """
            judges
            prosecutors
            voters
            council members
            litigants
            whistleblowers
            """
        ),
        provisions=(
            Provision(ICCPR, "Article 14", "Right to a fair and public hearing"),
            Provision(ICCPR, "Article 25", "Right to take part in public affairs and to vote"),
            Provision(ICCPR, "Article 2(3)", "Right to an effective remedy"),
            Provision(UDHR, "Article 10", "Independent and impartial tribunal"),
            Provision(JUDICIARY, "", "Security of tenure of judges"),
        ),
        tags=_lines(
            """
            contempt of court
            judicial independence
            pardons
            election integrity
            separation of powers
            impunity
            prosecutorial independence
            emergency powers
            accountability
            corruption
            procurement
            transparency
            court orders
            executive overreach
            rule of law
            purges
            whistleblowers
            public records
            oversight
            inspectors general
            """
        ),
        document_kinds=_words("ruling filing order decree letter transcript"),
    ),
    Theme(  # deportation & detention
        actors=_lines(
            """
            Border Agency
            Immigration Service
            Coast Guard
            Detention Authority
            Migration Police
            Asylum Office
            Removals Directorate
            """
        ),
        actions=_lines(
            """
            detains asylum seekers at
            deports families from
            pushes back migrant boats near
            holds children in cells at
            denies legal counsel to detainees at
            separates parents and children at
            expels stateless residents of
            runs removal flights from
            confines migrants in containers at
            """
        ),
        victims=_lines(
            """
            asylum seekers
            unaccompanied minors
            stateless residents
            migrant workers
            detained families
            deportees
            """
        ),
        provisions=(
            Provision(
                REFUGEE, "Article 33", "Prohibition of expulsion or return (non-refoulement)"
            ),
            Provision(REFUGEE, "Article 31", "Refugees unlawfully in the country of refuge"),
            Provision(ICCPR, "Article 9", "Liberty and security of person; no arbitrary detention"),
            Provision(CHILD, "Article 37", "Detention of children"),
            Provision(CAT, "Article 3", "No return to a risk of torture"),
            Provision(IHL, "", "Prohibition of collective expulsion"),
        ),
        tags=_lines(
            """
            immigration detention
            deportation
            asylum
            pushbacks
            non-refoulement
            family separation
            child detention
            removal flights
            statelessness
            border enforcement
            due process
            legal counsel
            detention conditions
            overcrowding
            medical neglect
            deaths in custody
            expedited removal
            third-country transfers
            maritime rescue
            visa revocations
            """
        ),
        document_kinds=_words("directive manifest filing report memo inspection"),
    ),
    Theme(  # civil liberties
        actors=_lines(
            """
            National Police
            State Security Service
            Communications Regulator
            Riot Police
            Ministry of Information
            Counter-Extremism Unit
            City Administration
            """
        ),
        actions=_lines(
            """
            disperses a peaceful protest in
            shuts down the internet in
            raids newsrooms in
            bans public assemblies in
            surveils journalists reporting from
            arrests students at
            blocks opposition rallies in
            revokes broadcast licences in
            """
        ),
        victims=_lines(
            """
            protesters
            journalists
            students
            opposition activists
            internet users
            trade unionists
            """
        ),
        provisions=(
            Provision(ICCPR, "Article 19", "Freedom of expression"),
            Provision(ICCPR, "Article 21", "Right of peaceful assembly"),
            Provision(ICCPR, "Article 22", "Freedom of association"),
            Provision(
                ICCPR, "Article 17", "Protection against arbitrary interference with privacy"
            ),
            Provision(UDHR, "", "Freedom of opinion and expression"),
        ),
        tags=_lines(
            """
            protest
            press freedom
            internet shutdown
            surveillance
            freedom of assembly
            freedom of expression
            censorship
            spyware
            tear gas
            mass arrests
            student protests
            broadcast licences
            newsroom raids
            privacy
            facial recognition
            trade unions
            opposition
            kettling
            """
        ),
        document_kinds=_words("order notice warrant report transcript"),
    ),
    Theme(  # domestic use of the military
        actors=_lines(
            """
            National Guard
            Garrison Command
            Military Police
            Interior Troops
            Territorial Defence Force
            Joint Security Command
            """
        ),
        actions=_lines(
            """
            deploys troops to patrol
            imposes a military curfew on
            sets up checkpoints across
            tries civilians before military courts in
            occupies the university campus in
            fires on demonstrators in
            takes over policing of
            """
        ),
        victims=_lines(
            """
            civilians
            demonstrators
            residents
            students
            detainees
            shopkeepers
            """
        ),
        provisions=(
            Provision(ICCPR, "Article 4", "Derogation in a public emergency"),
            Provision(ICCPR, "Article 6", "Right to life"),
            Provision(ICCPR, "Article 12", "Liberty of movement"),
            Provision(ICCPR, "Article 14", "Civilians before military courts"),
            Provision(FORCE, "", "Use of lethal force"),
        ),
        tags=_lines(
            """
            military deployment
            curfew
            checkpoints
            martial law
            military courts
            use of force
            state of emergency
            militarised policing
            troops in cities
            lethal force
            posse comitatus
            federalisation
            emergency decree
            """
        ),
        document_kinds=_words("order proclamation decree briefing memo"),
    ),
    Theme(  # humanitarian aid
        actors=_lines(
            """
            Development Agency
            Finance Ministry
            Foreign Ministry
            Aid Coordination Office
            Health Ministry
            Customs Service
            """
        ),
        actions=_lines(
            """
            halts food aid to
            freezes funding for clinics in
            blocks medical supplies bound for
            cancels vaccination programmes in
            expels aid organisations from
            diverts relief shipments away from
            shuts refugee schools in
            """
        ),
        victims=_lines(
            """
            aid recipients
            patients
            refugees
            health workers
            children under five
            famine-affected households
            """
        ),
        provisions=(
            Provision(
                ICESCR,
                "Article 12",
                "Right to the highest attainable standard of health",
            ),
            Provision(
                ICESCR,
                "Article 11",
                "Right to adequate food",
            ),
            Provision(GENEVA, "Article 59", "Relief schemes for occupied territory"),
            Provision(IHL, "", "Humanitarian relief for civilians in need"),
        ),
        tags=_lines(
            """
            humanitarian aid
            food insecurity
            famine
            aid cuts
            health care
            vaccination
            medical supplies
            funding freeze
            aid workers
            refugee education
            malnutrition
            disease outbreaks
            access denial
            foreign assistance
            demining
            """
        ),
        document_kinds=_words("cable memo budget notice report letter"),
    ),
)

# Tags any record may carry (the themes add about 110 more).
GENERAL_TAGS = _lines(
    """
    human rights
    international law
    war crimes
    crimes against humanity
    state responsibility
    documentation
    witness testimony
    satellite imagery
    open-source investigation
    leaked documents
    freedom of information
    litigation
    UN special rapporteur
    parliamentary inquiry
    women and girls
    children
    minorities
    indigenous peoples
    disability rights
    torture
    enforced disappearance
    forced labour
    property destruction
    compensation
    reparations
    sexual violence
    health workers
    journalists
    lawyers
    detention
    transparency failures
    secret orders
    chain of command
    command responsibility
    universal jurisdiction
    sanctions
    truth commission
    mass graves
    forensic evidence
    victims' families
    public inquiry
    corporate complicity
    """
)
EXAMPLE_TAG = "example data"

ROLES_VICTIM = _lines(
    """
    detained
    injured
    displaced
    killed
    deported
    denied access
    arrested
    """
)
ROLES_PERPETRATOR = _lines(
    """
    ordering authority
    implementing unit
    supplier
    commanding officer
    signatory of the order
    """
)
OFFICIAL_TITLES = _words("Minister Colonel General Director Commissioner Governor Judge Captain")

MONTHS = _words(
    "January February March April May June July August September October November December"
)

# --- the body's vocabulary ------------------------------------------------------------------

NOUNS = _words(
    """
    authority order policy detention report border court statement investigation evidence
    operation official family community district ruling decision government agency ministry
    camp hearing lawyer witness commission record document memo directive unit officer
    commander soldier guard detainee child village province region city town harbour port
    market school hospital clinic shelter road bridge river valley coast island prison
    facility compound curfew ban restriction measure sanction charge warrant arrest search
    transfer deportation removal flight vessel boat shipment supply food water medicine fuel
    network blackout journalist editor reporter protest demonstration march rally strike union
    association election vote parliament council committee budget fund contract contractor
    company weapon munition drone missile airstrike explosion casualty injury death grave site
    zone corridor route visa permit asylum refugee migrant applicant passenger worker farmer
    student teacher doctor nurse volunteer observer inspector ombudsman prosecutor defendant
    petition complaint lawsuit injunction summons testimony affidavit transcript recording
    footage photograph map analysis assessment estimate figure toll list database registry
    archive pattern practice campaign programme plan strategy guideline manual regulation
    statute law treaty convention protocol clause provision obligation duty right freedom
    liberty dignity safety security threat risk harm damage displacement hunger famine
    disease outbreak shortage delay denial refusal secrecy disclosure leak spokesperson
    minister governor mayor administrator director general colonel captain interrogator
    interpreter negotiator envoy delegation mission embassy consulate ally donor convoy
    checkpoint patrol raid perimeter fence barracks airfield cell warehouse
    """
)
RARE_NOUNS = _words(
    """
    tarmac manifest bunk ration generator cistern floodlight ledger docket roster logbook
    turnstile holding-pen gantry watchtower culvert sandbag tripwire crater rubble shrapnel
    stretcher morgue ambulance triage incubator dialysis insulin antibiotic vaccine cholera
    measles typhoid dysentery latrine tarpaulin blanket stove kerosene bakery flour lentil
    grain silo orchard olive vineyard pasture livestock fishing-boat trawler jetty pier
    quay lighthouse breakwater ferry dinghy lifejacket radar sonar transponder beacon
    helicopter gunship howitzer mortar rocket warhead detonator fuse landmine cluster
    bomblet cartridge baton shield visor pepper-spray water-cannon armoured-vehicle bulldozer
    excavator crane scaffold dormitory classroom library laboratory lecture-hall canteen
    courtyard stairwell basement rooftop balcony alleyway boulevard roundabout tollbooth
    railway platform terminal hangar runway depot garage workshop factory mill quarry mine
    pipeline substation transformer pylon antenna modem router server spreadsheet ledger-book
    passport identity-card birth-certificate residence-card ration-card work-permit
    fingerprint biometric retina barcode wristband tag-number bunk-bed mattress shackle
    handcuff blindfold hood interrogation-room isolation-cell visiting-room courtroom
    gallery dock bench jury verdict sentence parole bail bond remand custody extradition
    subpoena deposition exhibit annex appendix footnote redaction watermark letterhead
    signature stamp seal envelope cable telegram dispatch bulletin communique gazette
    decree-law ordinance bylaw amendment moratorium quota tariff embargo levy subsidy
    grant tranche disbursement audit invoice receipt payroll pension stipend allowance
    housing tenancy eviction demolition bulldozing resettlement relocation encampment
    tent-city shantytown slum tenement high-rise apartment-block settlement outpost
    hamlet township municipality prefecture canton parish ward precinct constituency
    ballot-box polling-station tally recount certification inauguration referendum
    petitioner respondent intervener amicus rapporteur commissioner registrar clerk
    bailiff warden jailer chaplain paramedic midwife pharmacist surgeon dentist
    psychiatrist counsellor social-worker caseworker translator-note hotline helpline
    """
)
ADJECTIVES = _words(
    """
    armed arbitrary unlawful secret public official military civilian federal provincial
    local national foreign domestic international humanitarian medical legal judicial
    administrative emergency temporary indefinite prolonged sudden violent peaceful lethal
    excessive disproportionate indiscriminate deliberate systematic widespread repeated
    renewed initial final preliminary internal independent credible unverified disputed
    anonymous senior former acting interim elected appointed private regional rural urban
    coastal northern southern eastern western central remote overcrowded makeshift damaged
    destroyed abandoned sealed restricted protected vulnerable elderly pregnant disabled
    unaccompanied undocumented stateless missing injured displaced forced mandatory
    classified confidential redacted leaked signed unsigned revised amended earlier recent
    previous subsequent unprecedented routine unusual grave minor major significant
    substantial limited partial complete direct indirect collective individual formal
    informal written verbal physical psychological economic political social cultural
    religious ethnic procedural substantive contested undisclosed overdue unpaid unmarked
    """
)
VERBS_PAST = _words(
    """
    detained deported arrested removed expelled transferred relocated held questioned
    searched seized confiscated blocked closed banned restricted suspended revoked rescinded
    cancelled halted delayed denied refused rejected ignored dismissed overruled upheld
    reversed ordered authorized approved signed issued published released announced
    declared confirmed acknowledged disputed challenged appealed filed submitted documented
    recorded reported verified investigated examined reviewed audited monitored observed
    mapped counted estimated photographed interviewed stated claimed alleged argued warned
    urged demanded condemned criticized defended justified opposed supported funded trained
    equipped deployed dispatched withdrew shelled struck targeted killed injured displaced
    evacuated sheltered crossed entered returned escaped survived treated buried identified
    named charged indicted convicted acquitted sentenced pardoned freed extended expanded
    reduced diverted withheld outsourced purchased exported shipped supplied delivered
    rationed obstructed harassed threatened intimidated surveilled censored disrupted
    dispersed raided stormed occupied demolished burned looted fenced patrolled guarded
    escorted processed screened registered redacted disclosed concealed shredded destroyed
    """
)
ADVERBS = _words(
    """
    reportedly allegedly repeatedly systematically quietly publicly formally abruptly
    immediately later eventually initially briefly temporarily indefinitely deliberately
    routinely increasingly largely partly fully directly explicitly openly secretly
    unlawfully arbitrarily effectively apparently consistently subsequently previously
    """
)
SPEAKERS = _lines(
    """
    one resident said
    a former detainee told reporters
    a lawyer for the families said
    an aid worker at the scene said
    a spokesperson for the ministry said
    a nurse at the clinic said
    a local council member said
    one witness recalled
    a researcher who documented the case said
    """
)
QUOTES = _lines(
    """
    We were given no reason and no paper
    Nobody told us where they were taking him
    The order came at night and by morning the road was closed
    We counted the names twice to be sure
    There was no warning before it started
    They said the rules had changed and that was all
    The lawyers were turned away at the gate
    We have asked for the records and received nothing
    The supplies were there, but the trucks never left
    Every family here knows someone who was taken
    """
)
