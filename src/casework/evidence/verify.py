"""`casework verify`: whether a tracker, a built site or a downloaded dataset is what it was.

A tracker (`verify_tracker`): every record's revision hash chain (`Store.verify_history`); the
revision log against the revisions it names (each revision logged once, each logged revision
still there with the same hash, the log's own heads, its public leaves); every checkpoint in the
tracker's checkpoints file (signature, commitment, and that the logs now are extensions of what
it signed); with `against`, that every checkpoint a site published is in that file.

A site folder or dataset (`verify_published`): the checkpoints' signatures (with the published
public key, or a pinned one), that the public log (`data/log.json`) extends each checkpoint,
that the dataset files hash as the newest checkpoint signed, and that every version file and
history document hashes into the log.

Every problem is one line; none means verified.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import text

from casework.evidence import checkpoint as cp
from casework.evidence import ledger
from casework.evidence.published import engine_of, leaf_of_document
from casework.evidence.withdrawals import is_tombstone
from casework.store import history as h
from casework.store.base import Store

Tick = Callable[[str, int], None]  # (stage, total) starts a stage; ("", n) advances it


def _quiet(stage: str, n: int) -> None:
    pass


@dataclass
class LogCheck:
    """The tracker-wide log as recomputed from the revisions: heads after each entry (index
    i: after i entries), public leaves in order."""

    heads: list[str]
    public_leaves: list[str]
    public_by: dict[tuple[str, int], str]  # (slug, public version) → its leaf


# --- the tracker -----------------------------------------------------------------------------


def verify_tracker(
    store: Store,
    folder: Path,
    *,
    key: Ed25519PublicKey | None = None,
    against: Path | None = None,
    tick: Tick = _quiet,
) -> list[str]:
    problems = [
        f"record {p.slug!r} revision {p.number}: {p.message}" for p in store.verify_history()
    ]
    engine = engine_of(store)
    if engine is None:
        return [*problems, "this store keeps no revision log"]
    check = _check_log(engine, problems, tick)
    withdrawn = _check_withdrawals(engine, check, problems)
    if key is None and cp.key_path(folder).exists():
        key = cp.load_key(folder).public_key()
    made = cp.read_checkpoints(folder)
    if made and key is None:
        problems.append(f"{folder / cp.KEY_NAME}: missing, so no checkpoint can be checked")
    for i, item in enumerate(made, 1):
        name = f"checkpoint {i} ({item.checkpoint.get('time')})"
        problems += _check_signed(name, item.published(), key)
        private = item.private
        try:
            size, head, salt = int(private["size"]), str(private["head"]), str(private["salt"])
            opened = cp.commitment(salt, size, head) == item.checkpoint.get("logCommitment")
        except (KeyError, TypeError, ValueError):
            opened, size, head = False, 0, ""
        if not opened:
            problems.append(f"{name}: its log commitment does not open with the kept salt")
        elif size >= len(check.heads):
            problems.append(
                f"{name}: it signed a revision log of {size} entries; the log now has "
                f"{len(check.heads) - 1} (entries were removed)"
            )
        elif check.heads[size] != head:
            problems.append(
                f"{name}: the revision log's first {size} entries no longer hash to the head "
                "it signed (the log or a revision it covers was rewritten)"
            )
        problems += _check_public(name, item.checkpoint, check.public_leaves)
        problems += _check_signed_withdrawn(name, item.checkpoint, withdrawn)
    if against is not None:
        problems += _check_against(against, made, key, check.public_leaves)
    return problems


def _check_log(engine: Any, problems: list[str], tick: Tick) -> LogCheck:
    # What each revision is: (hash, published-at, public content digest or None).
    revisions: dict[tuple[str, int], tuple[str, str, str | None]] = {}
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM revisions")).scalar_one()
        tick("Reading revisions", int(total))
        # A revision's bytes may be its record row's (store/history.py: IN_RECORD).
        rows = connection.execute(
            text(
                "SELECT v.slug, v.number, v.hash, v.status, v.created_at, v.data, r.data"
                " FROM revisions v LEFT JOIN records r"
                " ON r.slug = v.slug AND r.revision = v.number AND v.data = :in_record"
            ).execution_options(stream_results=True, yield_per=1000),
            {"in_record": h.IN_RECORD},
        )
        done = 0
        for slug, number, digest, status, created_at, data, in_record in rows:
            content = None
            if status == "published":
                try:
                    content = ledger.stored_content_digest(h.revision_json(data, in_record))
                except (zlib.error, ValueError):
                    content = ""  # unreadable: verify_history reports it
            revisions[(slug, number)] = (digest, _time(created_at), content)
            done += 1
            if done % 1000 == 0:
                tick("", 1000)
        tick("", done % 1000)
        log_rows = connection.execute(
            text(f"SELECT {ledger.LOG_COLUMNS} FROM {ledger.LOG_TABLE} ORDER BY seq")
        ).all()
    tick("Checking the revision log", len(log_rows))
    heads = [ledger.ZERO_HEAD]
    stored_head = ledger.ZERO_HEAD
    public_numbers: dict[str, int] = {}
    public_leaves: list[str] = []
    public_by: dict[tuple[str, int], str] = {}
    for expected_seq, row in enumerate(log_rows, 1):
        seq, slug, number, revision_hash, head, _public_number, public_leaf = row
        where = f"revision log entry {seq}"
        if seq != expected_seq:
            problems.append(f"{where}: expected entry {expected_seq} here (entries are missing)")
        leaf = ledger.leaf(slug, number, revision_hash)
        heads.append(ledger.chain(heads[-1], leaf))
        if ledger.chain(stored_head, leaf) != head:
            problems.append(f"{where}: its head does not follow from the entries before it")
        stored_head = head
        found = revisions.pop((slug, number), None)
        if found is None:
            problems.append(f"{where}: record {slug!r} revision {number} is not in the store")
            continue
        digest, published_at, content = found
        if digest != revision_hash:
            problems.append(
                f"{where}: record {slug!r} revision {number} has another hash than the one "
                "logged (the revision was rewritten)"
            )
        expected_leaf = None
        if content is not None:
            version = public_numbers.get(slug, 0) + 1
            public_numbers[slug] = version
            expected_leaf = ledger.public_leaf(slug, version, published_at, content)
            public_leaves.append(expected_leaf)
            public_by[(slug, version)] = expected_leaf
        if public_leaf != expected_leaf:
            problems.append(
                f"{where}: its public leaf does not match record {slug!r} revision {number}"
            )
    tick("", len(log_rows))
    for slug, number in sorted(revisions):
        problems.append(f"record {slug!r} revision {number}: not in the revision log")
    return LogCheck(heads, public_leaves, public_by)


def _check_withdrawals(engine: Any, check: LogCheck, problems: list[str]) -> set[str]:
    """Each withdrawal names a public version whose leaf it holds, and its content digest
    opens that leaf (so its tombstone will verify). Returns the withdrawn leaves."""
    from casework.evidence.withdrawals import read_all

    found = read_all(engine)
    for (slug, version), gone in sorted(found.items()):
        where = f"withdrawal of {slug!r} version {version}"
        leaf = check.public_by.get((slug, version))
        if leaf is None:
            problems.append(f"{where}: the record has no such public version")
        elif gone.leaf != leaf:
            problems.append(f"{where}: its leaf is not the version's leaf in the public log")
        else:
            published_at = ""
            # The leaf covers the time it was published; the tombstone carries it.
            for v in _versions_of(engine, slug):
                if v.version == version:
                    published_at = v.published_at
            if ledger.public_leaf(slug, version, published_at, gone.content) != leaf:
                problems.append(f"{where}: its content digest does not open the leaf")
    return {w.leaf for w in found.values()}


def _versions_of(engine: Any, slug: str) -> list[Any]:
    from casework.evidence.published import read_versions

    return read_versions(engine, slug)


def _check_signed_withdrawn(
    name: str, checkpoint: dict[str, Any], withdrawn: set[str]
) -> list[str]:
    """A checkpoint's signed withdrawals are still withdrawals (none was quietly undone)."""
    listed = checkpoint.get("withdrawn", [])
    if not isinstance(listed, list):
        return [f"{name}: its withdrawn list is not a list"]
    missing = [leaf for leaf in listed if leaf not in withdrawn]
    if missing:
        return [f"{name}: it signed {len(missing)} withdrawal(s) the tracker no longer holds"]
    return []


def _time(value: Any) -> str:
    from datetime import datetime

    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return h.canonical_time(h.as_utc(moment))


def _check_signed(name: str, signed: dict[str, Any], key: Ed25519PublicKey | None) -> list[str]:
    if key is None:
        return []
    if not cp.signature_ok(key, signed):
        return [f"{name}: the signature does not verify with the tracker's public key"]
    return []


def _check_public(name: str, checkpoint: dict[str, Any], leaves: list[str]) -> list[str]:
    size, head = checkpoint.get("size"), checkpoint.get("head")
    if not isinstance(size, int) or not isinstance(head, str):
        return [f"{name}: it names no public log size and head"]
    if size > len(leaves):
        return [
            f"{name}: it signed a public log of {size} versions; there are now {len(leaves)} "
            "(published versions were removed)"
        ]
    if ledger.public_head(leaves, size).head != head:
        return [f"{name}: the first {size} published versions no longer hash to the signed head"]
    return []


def _check_against(
    against: Path, made: list[cp.Made], key: Ed25519PublicKey | None, leaves: list[str]
) -> list[str]:
    data = _data_folder(against)
    published, problems = _published_checkpoints(data)
    kept = {item.signature for item in made}
    for i, signed in enumerate(published, 1):
        name = f"published checkpoint {i} ({signed.get('checkpoint', {}).get('time')})"
        problems += _check_signed(name, signed, key)
        if signed.get("signature") not in kept:
            problems.append(
                f"{name}: not in the tracker's checkpoints file (the file was replaced or cut)"
            )
        problems += _check_public(name, signed.get("checkpoint") or {}, leaves)
    return problems


# --- published checkpoints on the web -----------------------------------------------------------

PUBLISHED_FILES = (cp.PUBLISHED_CHECKPOINTS_NAME, cp.LOG_NAME, cp.PUBLIC_KEY_NAME, "manifest.json")


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def fetch_published(url: str, folder: Path, policy: Any = None) -> Path:
    """Download a site's published checkpoints, public log, public key and manifest (from
    `URL/data/`) into `folder`, through the SSRF-guarded fetcher; returns the folder."""
    from casework.ingest.fetch import FetchPolicy, fetch

    if policy is None:
        policy = FetchPolicy()
    policy = FetchPolicy(
        max_bytes=256 * 1024 * 1024,
        timeout=policy.timeout,
        deadline=120.0,
        max_redirects=policy.max_redirects,
        content_types=frozenset({"application/json", "text/plain", "application/octet-stream"}),
        allow_private=policy.allow_private,
        resolve=policy.resolve,
    )
    base = url.rstrip("/")
    if not base.endswith("/data"):
        base += "/data"
    folder.mkdir(parents=True, exist_ok=True)
    for name in PUBLISHED_FILES:
        fetched = fetch(f"{base}/{name}", policy=policy)
        if fetched.status != 200:
            raise cp.CheckpointError(f"{base}/{name}: the server answered {fetched.status}")
        (folder / name).write_bytes(fetched.body)
    return folder


# --- a built site or a downloaded dataset ------------------------------------------------------


def _data_folder(path: Path) -> Path:
    return path / "data" if (path / "data").is_dir() else path


def _read_json(path: Path) -> tuple[Any, str | None]:
    try:
        return json.loads(path.read_bytes()), None
    except (OSError, ValueError) as error:
        return None, f"{path}: cannot be read as JSON ({' '.join(str(error).split())})"


def _published_checkpoints(data: Path) -> tuple[list[dict[str, Any]], list[str]]:
    path = data / cp.PUBLISHED_CHECKPOINTS_NAME
    if not path.exists():
        return [], [f"{path}: missing (no published checkpoints)"]
    found, problem = _read_json(path)
    if problem is not None:
        return [], [problem]
    if not isinstance(found, list) or not all(isinstance(x, dict) for x in found):
        return [], [f"{path}: not a list of signed checkpoints"]
    return found, []


def read_public_key(value: str) -> Ed25519PublicKey:
    """`--key`: the key itself (`ed25519 <base64>`) or a file holding it."""
    path = Path(value)
    if not value.startswith("ed25519 ") and path.is_file():
        return cp.parse_public_key(path.read_text(encoding="utf-8"), str(path))
    return cp.parse_public_key(value, "--key")


def verify_published(
    path: Path,
    *,
    key: Ed25519PublicKey | None = None,
    against: Path | None = None,
    tick: Tick = _quiet,
) -> list[str]:
    """Verify a built site folder, a dataset folder (the /data/ files), or one version file or
    history document (against the site or dataset folder `against`, when given)."""
    if path.is_file():
        return _verify_document(path, key, against, tick)
    data = _data_folder(path)
    problems: list[str] = []
    if key is None:
        key_file = data / cp.PUBLIC_KEY_NAME
        if not key_file.exists():
            return [f"{key_file}: missing, and no --key given: nothing can be checked"]
        try:
            key = cp.parse_public_key(key_file.read_text(encoding="utf-8"), str(key_file))
        except cp.CheckpointError as error:
            return [str(error)]
    published, problems = _published_checkpoints(data)
    for i, signed in enumerate(published, 1):
        problems += _check_signed_published(f"{data.name}/checkpoints.json entry {i}", signed, key)
    manifest, problem = _read_json(data / "manifest.json")
    newest: dict[str, Any] | None = published[-1] if published else None
    if problem is None and isinstance(manifest, dict) and "checkpoint" in manifest:
        signed = manifest["checkpoint"]
        problems += _check_signed_published(f"{data.name}/manifest.json checkpoint", signed, key)
        if newest is not None and signed != newest:
            problems.append(
                f"{data.name}/manifest.json: its checkpoint is not the newest in checkpoints.json"
            )
        newest = signed if isinstance(signed, dict) else newest
    leaves = _read_leaves(data, problems)
    for i, signed in enumerate(published, 1):
        problems += _check_public(
            f"{data.name}/checkpoints.json entry {i}", signed.get("checkpoint") or {}, leaves
        )
    sizes = [s.get("checkpoint", {}).get("size", 0) for s in published]
    pairs = itertools.pairwise(sizes)
    if any(not isinstance(a, int) or not isinstance(b, int) or b < a for a, b in pairs):
        problems.append(
            f"{data.name}/checkpoints.json: a checkpoint signed a smaller log than one before it"
        )
    root = path if data != path else None
    withdrawn: set[str] = set()
    if newest is not None:
        checkpoint = newest.get("checkpoint") or {}
        listed = checkpoint.get("withdrawn", [])
        withdrawn = {x for x in listed if isinstance(x, str)} if isinstance(listed, list) else set()
        # A build writes the public log with the checkpoint it signs: they agree. A live site
        # publishes versions between checkpoints: its log may have grown since the newest
        # (what it signed is still checked above to be the log's start).
        size = checkpoint.get("size")
        grown = root is None and isinstance(size, int) and size < len(leaves)
        if not grown and size != len(leaves):
            problems.append(
                f"{data.name}/{cp.LOG_NAME}: holds {len(leaves)} versions; the newest "
                f"checkpoint signed {checkpoint.get('size')}"
            )
        problems += _check_files(data, checkpoint.get("files") or {}, tick)
    if root is not None:
        problems += _check_versions(root, leaves, tick, withdrawn)
    return problems


def _check_signed_published(name: str, signed: Any, key: Ed25519PublicKey) -> list[str]:
    if not isinstance(signed, dict) or not cp.signature_ok(key, signed):
        return [f"{name}: the signature does not verify with the public key"]
    return []


def _read_leaves(data: Path, problems: list[str]) -> list[str]:
    path = data / cp.LOG_NAME
    if not path.exists():
        problems.append(f"{path}: missing (the public log)")
        return []
    found, problem = _read_json(path)
    if problem is not None:
        problems.append(problem)
        return []
    leaves = found.get("leaves") if isinstance(found, dict) else None
    if not isinstance(leaves, list) or not all(isinstance(x, str) and len(x) == 64 for x in leaves):
        problems.append(f"{path}: its leaves are not a list of SHA-256 hex digests")
        return []
    if ledger.public_head(leaves).head != found.get("head"):
        problems.append(f"{path}: its leaves do not hash to the head it states")
    return leaves


def _check_files(data: Path, files: dict[str, Any], tick: Tick) -> list[str]:
    problems = []
    tick("Hashing the dataset files", len(files))
    for name, expected in sorted(files.items()):
        path = data / name
        if path.exists():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
            if digest.hexdigest() != expected:
                problems.append(f"{path}: its SHA-256 is not the one the checkpoint signed")
        tick("", 1)
    return problems


def _check_versions(
    root: Path, leaves: list[str], tick: Tick, withdrawn: set[str] | None = None
) -> list[str]:
    problems = []
    incidents = root / "incident"
    histories = sorted(incidents.glob("*/history.json")) if incidents.is_dir() else []
    versions = sorted(incidents.glob("*/v/*.json")) if incidents.is_dir() else []
    tick("Checking versions", len(versions) + len(histories))
    seen: dict[tuple[str, int], str] = {}
    for path in versions:
        problem, leaf = _check_version_file(path, leaves, withdrawn or set(), at_address=True)
        if problem is not None:
            problems.append(problem)
        elif leaf is not None:
            seen[(path.parent.parent.name, int(path.stem))] = leaf
        tick("", 1)
    for path in histories:
        document, problem = _read_json(path)
        slug = path.parent.name
        entries = document.get("versions") if isinstance(document, dict) else None
        if problem is not None or not isinstance(entries, list):
            problems.append(problem or f"{path}: not a history document")
            continue
        for entry in entries:
            number = entry.get("version") if isinstance(entry, dict) else None
            leaf = entry.get("leaf") if isinstance(entry, dict) else None
            if not isinstance(number, int) or leaf not in leaves:
                problems.append(f"{path}: version {number} is not in the public log")
            elif seen.get((slug, number)) != leaf:
                problems.append(f"{path}: version {number} does not match its version file")
        tick("", 1)
    return problems


def _check_version_file(
    path: Path,
    leaves: list[str] | None,
    withdrawn: set[str] | None = None,
    *,
    at_address: bool = False,
) -> tuple[str | None, str | None]:
    """One version file: its content (or a tombstone's content digest) hashes to its leaf,
    the leaf is where it says in the public log, and a tombstone's leaf is one the newest
    signed checkpoint lists as withdrawn (`withdrawn`; None: no checkpoint to ask). In a site
    folder (`at_address`), it names the record and version of its address: a genuine
    tombstone copied over another record's version is a deletion too."""
    document, problem = _read_json(path)
    if problem is not None:
        return problem, None
    if not isinstance(document, dict):
        return f"{path}: not a version document", None
    if at_address and (
        document.get("slug") != path.parent.parent.name or str(document.get("version")) != path.stem
    ):
        return f"{path}: it names another record or version than its address", None
    if is_tombstone(document):
        gone = document.get("withdrawn")
        if not isinstance(gone, dict) or not all(
            isinstance(gone.get(k), str) for k in ("date", "reason")
        ):
            return f"{path}: a tombstone without the date and reason of its withdrawal", None
    try:
        leaf = leaf_of_document(document)
    except (TypeError, ValueError) as error:
        return f"{path}: not a version document ({error})", None
    if leaf != document.get("leaf"):
        return f"{path}: its content does not hash to its leaf (it was changed)", None
    if is_tombstone(document) and withdrawn is not None and leaf not in withdrawn:
        return (
            f"{path}: a tombstone for a version no signed checkpoint lists as withdrawn "
            "(its content was deleted)",
            None,
        )
    if leaves is not None:
        index = document.get("index")
        if not isinstance(index, int) or not 0 <= index < len(leaves) or leaves[index] != leaf:
            return f"{path}: its leaf is not in the public log where it says", None
    return None, leaf


def _verify_document(
    path: Path, key: Ed25519PublicKey | None, against: Path | None, tick: Tick
) -> list[str]:
    leaves: list[str] | None = None
    problems: list[str] = []
    withdrawn: set[str] | None = None
    if against is not None:
        problems = verify_published(against, key=key, tick=tick)
        leaves = _read_leaves(_data_folder(against), [])
        published, _ = _published_checkpoints(_data_folder(against))
        listed = (published[-1].get("checkpoint") or {}).get("withdrawn", []) if published else []
        withdrawn = set(listed) if isinstance(listed, list) else set()
    document, problem = _read_json(path)
    if problem is not None:
        return [*problems, problem]
    if isinstance(document, dict) and "versions" in document:  # a history document
        for entry in document.get("versions") or []:
            leaf = entry.get("leaf") if isinstance(entry, dict) else None
            if leaves is not None and leaf not in leaves:
                problems.append(f"{path}: version {entry.get('version')} is not in the public log")
        return problems
    found, _leaf = _check_version_file(path, leaves, withdrawn)
    return problems if found is None else [*problems, found]
