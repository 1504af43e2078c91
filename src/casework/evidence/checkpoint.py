"""Signed checkpoints of the revision log, and the tracker's signing key.

A checkpoint is what a build signs with the tracker's Ed25519 key and publishes:

    {"log": "casework public versions", "size": k, "head": "<hex>",
     "time": "2026-12-04T13:30:00.000000Z", "logCommitment": "<hex>", "key": "<key id>",
     "files": {"records.json": "<sha256>", ...}}

`size` and `head` are the public log's (`ledger.py`): every published version ever, chained.
`logCommitment` binds the tracker-wide log (drafts included) without telling anything of it:
SHA-256(salt || canonical JSON [size, head]) with a fresh random salt; the salt, size and head
stay in the tracker's own checkpoints file, so `casework verify` at the tracker can open every
commitment while a reader of the site learns neither the number of draft revisions nor whether
any were made between two builds. `files` are the SHA-256s of the dataset files the build
wrote (none for `casework checkpoint`, which signs the logs without building). `withdrawn`
(present once a version was withdrawn) is the sorted list of the public leaves whose versions
were withdrawn (`withdrawals.py`).
The signature is over the canonical JSON of the checkpoint with its keys sorted.

Files:
- `signing-key.pem` in the tracker folder: the private key (PKCS#8 PEM, owner-only). Never
  published. Made by `casework init`, or on first need.
- `checkpoints.jsonl` in the tracker folder (owner-only): one line per checkpoint ever made,
  `{"checkpoint", "signature", "private": {"size", "head", "salt"}}`, only ever appended.
- Published in `/data/`: `public-key.txt` (`ed25519 <base64 of the 32-byte key>`),
  `checkpoints.json` (every checkpoint and its signature, without the private part), and
  `manifest.json`'s `checkpoint` (the newest).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.evidence import ledger, published
from casework.store.private_files import create_private_file, write_private

# cryptography loads when a key is made, read or used: a build with nothing to rebuild signs
# nothing and needs only to know that the tracker has its key.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

KEY_NAME = "signing-key.pem"
CHECKPOINTS_NAME = "checkpoints.jsonl"
PUBLIC_KEY_NAME = "public-key.txt"
PUBLISHED_CHECKPOINTS_NAME = "checkpoints.json"
LOG_NAME = "log.json"
LOG_LABEL = published.LOG_LABEL


class CheckpointError(ValueError):
    """A key or checkpoints file that cannot be read."""


# --- keys ---------------------------------------------------------------------------------------


def key_path(folder: Path) -> Path:
    return folder / KEY_NAME


def make_key(folder: Path) -> Ed25519PrivateKey:
    """A new key pair, its private half written owner-only to the tracker folder (an existing
    key is never replaced: it is what earlier checkpoints were signed with)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(folder)
    if path.exists():
        return load_key(folder)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(path, pem)
    return key


def load_key(folder: Path) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(folder)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise CheckpointError(f"{path}: cannot read the signing key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path}: not an Ed25519 private key")
    return key


def key_for(folder: Path, say: Callable[[str], None] | None = None) -> Ed25519PrivateKey:
    """The tracker's signing key, made now (and said so) if it has none yet."""
    if key_path(folder).exists():
        return load_key(folder)
    key = make_key(folder)
    if say is not None:
        say(
            f"made a signing key for this tracker's checkpoints: {key_path(folder)} "
            "(keep it private and backed up; its public half is published with the site)"
        )
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_text(key: Ed25519PublicKey) -> str:
    """The one-line published form: `ed25519 <base64>`."""
    return "ed25519 " + base64.b64encode(public_bytes(key)).decode("ascii")


def key_id(key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def parse_public_key(text: str, where: str = "the public key") -> Ed25519PublicKey:
    """Read `ed25519 <base64>` (or the bare base64)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    words = text.strip().split()
    if len(words) == 2 and words[0] == "ed25519":
        words = words[1:]
    try:
        raw = base64.b64decode(words[0], validate=True) if len(words) == 1 else b""
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise CheckpointError(f"{where}: not an Ed25519 public key ('ed25519 <base64>')") from None


# --- checkpoints ----------------------------------------------------------------------------


def signed_bytes(checkpoint: dict[str, Any]) -> bytes:
    return json.dumps(
        checkpoint, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def commitment(salt: str, size: int, head: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + ledger.canonical([size, head])).hexdigest()


@dataclass(frozen=True)
class Made:
    """A checkpoint as the tracker keeps it."""

    checkpoint: dict[str, Any]
    signature: str
    private: dict[str, Any]

    def published(self) -> dict[str, Any]:
        return {"checkpoint": self.checkpoint, "signature": self.signature}

    def line(self) -> str:
        return json.dumps(
            {"checkpoint": self.checkpoint, "signature": self.signature, "private": self.private},
            ensure_ascii=False,
            separators=(",", ":"),
        )


def make_checkpoint(
    key: Ed25519PrivateKey,
    *,
    public: ledger.LogHead,
    full: ledger.LogHead,
    time: str,
    files: dict[str, str],
    withdrawn: list[str] | None = None,
) -> Made:
    salt = secrets.token_hex(16)
    checkpoint = {
        "log": LOG_LABEL,
        "size": public.size,
        "head": public.head,
        "time": time,
        "logCommitment": commitment(salt, full.size, full.head),
        "key": key_id(key.public_key()),
        "files": dict(sorted(files.items())),
    }
    if withdrawn:  # only once something was withdrawn: earlier checkpoints stay as they were
        checkpoint["withdrawn"] = sorted(withdrawn)
    signature = base64.b64encode(key.sign(signed_bytes(checkpoint))).decode("ascii")
    return Made(checkpoint, signature, {"size": full.size, "head": full.head, "salt": salt})


def signature_ok(key: Ed25519PublicKey, signed: dict[str, Any]) -> bool:
    from cryptography.exceptions import InvalidSignature

    checkpoint, signature = signed.get("checkpoint"), signed.get("signature")
    if not isinstance(checkpoint, dict) or not isinstance(signature, str):
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), signed_bytes(checkpoint))
    except (InvalidSignature, ValueError):
        return False
    return True


def append_checkpoint(folder: Path, made: Made) -> None:
    """Append one line to the tracker's checkpoints file, forced to disk."""
    path = folder / CHECKPOINTS_NAME
    create_private_file(path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(made.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_checkpoints(folder: Path) -> list[Made]:
    """Every checkpoint the tracker made, oldest first (none when it has made none)."""
    path = folder / CHECKPOINTS_NAME
    if not path.exists():
        return []
    made = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            item = json.loads(text)
            made.append(Made(item["checkpoint"], item["signature"], item["private"]))
        except (ValueError, KeyError, TypeError):
            raise CheckpointError(f"{path} line {number}: not a checkpoint") from None
    return made


def sign_now(store: Any, folder: Path, say: Callable[[str], None] | None = None) -> Made:
    """`casework checkpoint` (and every withdrawal): a checkpoint of the logs as they are now,
    without building (no dataset files signed), appended to the tracker's checkpoints file."""
    from casework.store.history import canonical_time

    engine = published.engine_of(store)
    if engine is None:
        raise CheckpointError("this store keeps no revision log")
    log = published.read_public_log(engine)
    made = make_checkpoint(
        key_for(folder, say),
        public=log.head(),
        full=log.full,
        time=canonical_time(datetime.now(UTC)),
        files={},
        withdrawn=log.withdrawn_leaves(),
    )
    append_checkpoint(folder, made)
    return made


def published_checkpoints(folder: Path) -> list[dict[str, Any]]:
    """What `/data/checkpoints.json` holds: every checkpoint's public fields (never the salt
    nor the private size and head)."""
    return [m.published() for m in read_checkpoints(folder)]


def checkpoint_due(folder: Path, every: timedelta) -> bool:
    """Whether the newest checkpoint is older than `every` (a timedelta), or there is none
    (`casework worker --checkpoint-every`)."""
    made = read_checkpoints(folder)
    if not made:
        return True
    try:
        newest = datetime.fromisoformat(str(made[-1].checkpoint["time"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return True
    return bool(datetime.now(UTC) - newest >= every)
