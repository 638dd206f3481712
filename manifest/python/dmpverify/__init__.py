"""dmpverify: verify DMP operator records against pinned Ed25519 keys.

A thin ctypes binding over the C ABI of libdmpverify (``dmp/verify.h``):
every check, and every reason a record is refused, is the C library's, so a
wire verifies here exactly when ``dmp-verify`` accepts it. Nothing is
compiled at install time.

    import dmpverify
    record = dmpverify.verify(wire, pinned_key_hex, now=1900000000,
                              expected_name="mesh.example.com")
    print(record.rrset, record.seq)

A refused record raises :class:`VerifyError`; its ``reason`` is the stable
reason name (``"bad_signature"``, ``"expired"``, ...) that ``dmp-verify
--json`` prints, and ``str(error)`` the one-line message naming the field and
the rule.

The library is looked up, in order: ``$DMPVERIFY_LIBRARY`` (a path), the
library of the installation this package belongs to, then the dynamic
loader's search path (the SONAME).
"""

from __future__ import annotations

import ctypes
import datetime as _datetime
import os
from dataclasses import dataclass
from typing import Optional, Tuple, Union

from . import _build

__all__ = [
    "BootstrapEntry",
    "ClusterNode",
    "Record",
    "Revocation",
    "Rotation",
    "UNPINNED",
    "VerifyError",
    "library_version",
    "parse_key_hex",
    "verify",
    "verify_revocation",
    "verify_rotation",
]

Wire = Union[bytes, bytearray, memoryview, str]
Key = Union[bytes, bytearray, memoryview, str]
Time = Union[int, _datetime.datetime]


class _Unpinned:
    """The type of :data:`UNPINNED`."""

    def __repr__(self) -> str:
        return "dmpverify.UNPINNED"


#: Passed as the key of :func:`verify_rotation` or :func:`verify_revocation`
#: to check a key record without a pinned key. The pin is a required
#: argument: without it a rotation from any key an attacker holds verifies,
#: so skipping it has to be written out.
UNPINNED = _Unpinned()

_OK = 0
_BAD_KEY = 5
_INVALID_ARGUMENT = 100
_RECORD_CLUSTER = 1
_RECORD_BOOTSTRAP = 2
_ERRBUF_LEN = 512


class VerifyError(Exception):
    """A record (or a pinned key) was refused.

    ``reason`` is the stable snake_case reason name, ``code`` its number in
    the C ABI, and the message (``str(error)``, also ``.message``) names the
    field and the rule that failed.
    """

    def __init__(self, reason: str, code: int, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"VerifyError(reason={self.reason!r}, message={self.message!r})"


@dataclass(frozen=True)
class ClusterNode:
    """One node of a ClusterManifest."""

    node_id: str
    http_endpoint: str
    dns_endpoint: Optional[str]  # None when the record has none


@dataclass(frozen=True)
class BootstrapEntry:
    """One entry of a BootstrapRecord, in signed (priority) order."""

    priority: int
    cluster_base_domain: str
    operator_spk: bytes  # 32 bytes


@dataclass(frozen=True)
class Record:
    """A verified ClusterManifest (type "cluster") or BootstrapRecord ("bootstrap")."""

    type: str
    name: str  # cluster_name or user_domain, as signed
    rrset: str  # "cluster.<name>" or "_dmp.<domain>"
    seq: int
    exp: int  # unix seconds
    signing_key: bytes  # the embedded operator_spk / signer_spk, 32 bytes
    nodes: Tuple[ClusterNode, ...] = ()  # cluster only
    entries: Tuple[BootstrapEntry, ...] = ()  # bootstrap only


@dataclass(frozen=True)
class Rotation:
    """A verified key RotationRecord (DRAFT wire format, spec section 4)."""

    subject_type: int  # 1 user identity, 2 cluster operator, 3 bootstrap signer
    subject: str
    rrset: str  # "rotate.cluster.<base>" / "rotate._dmp.<domain>"; "" for a user identity
    old_spk: bytes
    new_spk: bytes
    seq: int
    ts: int
    exp: int


@dataclass(frozen=True)
class Revocation:
    """A verified key RevocationRecord (DRAFT wire format, spec section 4)."""

    subject_type: int
    subject: str
    rrset: str
    revoked_spk: bytes
    reason_code: int  # 1 compromise, 2 routine, 3 lost key, 4 other
    ts: int


# ---- the C ABI, declared once -------------------------------------------


class _VerifyOptions(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("has_now", ctypes.c_int),
        ("now", ctypes.c_uint64),
        ("expected_name", ctypes.c_char_p),
        ("strict", ctypes.c_int),
    ]


class _KeyRecordOptions(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("has_now", ctypes.c_int),
        ("now", ctypes.c_uint64),
        ("expected_key", ctypes.POINTER(ctypes.c_uint8)),
        ("expected_key_len", ctypes.c_size_t),
        ("expected_subject", ctypes.c_char_p),
        ("has_max_age", ctypes.c_int),
        ("max_age_seconds", ctypes.c_uint64),
        ("strict", ctypes.c_int),
    ]


class _BytesView(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_char)), ("len", ctypes.c_size_t)]


class _NodeView(ctypes.Structure):
    _fields_ = [
        ("node_id", _BytesView),
        ("http_endpoint", _BytesView),
        ("has_dns_endpoint", ctypes.c_int),
        ("dns_endpoint", _BytesView),
    ]


class _EntryView(ctypes.Structure):
    _fields_ = [
        ("priority", ctypes.c_uint16),
        ("cluster_base_domain", ctypes.c_char_p),
        ("operator_spk", ctypes.POINTER(ctypes.c_uint8)),
    ]


class _RotationView(ctypes.Structure):
    _fields_ = [
        ("subject_type", ctypes.c_uint8),
        ("subject", _BytesView),
        ("old_spk", ctypes.POINTER(ctypes.c_uint8)),
        ("new_spk", ctypes.POINTER(ctypes.c_uint8)),
        ("seq", ctypes.c_uint64),
        ("ts", ctypes.c_uint64),
        ("exp", ctypes.c_uint64),
    ]


class _RevocationView(ctypes.Structure):
    _fields_ = [
        ("subject_type", ctypes.c_uint8),
        ("subject", _BytesView),
        ("revoked_spk", ctypes.POINTER(ctypes.c_uint8)),
        ("reason_code", ctypes.c_uint8),
        ("ts", ctypes.c_uint64),
    ]


def _load_library() -> ctypes.CDLL:
    explicit = os.environ.get("DMPVERIFY_LIBRARY")
    candidates = [explicit] if explicit else []
    if _build.LIBRARY_RELATIVE:
        here = os.path.dirname(os.path.abspath(__file__))
        candidates.append(os.path.normpath(os.path.join(here, _build.LIBRARY_RELATIVE)))
    candidates.append(_build.SONAME)
    errors = []
    for candidate in candidates:
        if os.sep in candidate and not os.path.exists(candidate):
            errors.append(f"{candidate}: no such file")
            continue
        try:
            return ctypes.CDLL(candidate)
        except OSError as error:
            errors.append(str(error))
    raise ImportError("dmpverify: cannot load libdmpverify (" + "; ".join(errors) + ")")


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    record_p = ctypes.c_void_p
    u8_p = ctypes.POINTER(ctypes.c_uint8)
    signatures = {
        "dmp_init": (ctypes.c_int, []),
        "dmp_version": (ctypes.c_char_p, []),
        "dmp_reason_name": (ctypes.c_char_p, [ctypes.c_int]),
        "dmp_parse_key_hex": (
            ctypes.c_int,
            [ctypes.c_char_p, u8_p, ctypes.c_char_p, ctypes.c_size_t],
        ),
        "dmp_verify": (
            ctypes.c_int,
            [
                ctypes.c_char_p,
                ctypes.c_size_t,
                u8_p,
                ctypes.c_size_t,
                ctypes.POINTER(_VerifyOptions),
                ctypes.POINTER(record_p),
                ctypes.c_char_p,
                ctypes.c_size_t,
            ],
        ),
        "dmp_verify_rotation": (
            ctypes.c_int,
            [
                ctypes.c_char_p,
                ctypes.c_size_t,
                ctypes.POINTER(_KeyRecordOptions),
                ctypes.POINTER(record_p),
                ctypes.c_char_p,
                ctypes.c_size_t,
            ],
        ),
        "dmp_record_free": (None, [record_p]),
        "dmp_record_get_type": (ctypes.c_int, [record_p]),
        "dmp_record_seq": (ctypes.c_uint64, [record_p]),
        "dmp_record_exp": (ctypes.c_uint64, [record_p]),
        "dmp_record_name": (ctypes.c_char_p, [record_p]),
        "dmp_record_rrset_name": (ctypes.c_char_p, [record_p]),
        "dmp_record_signing_key": (u8_p, [record_p]),
        "dmp_record_item_count": (ctypes.c_size_t, [record_p]),
        "dmp_record_cluster_node": (
            ctypes.c_int,
            [record_p, ctypes.c_size_t, ctypes.POINTER(_NodeView)],
        ),
        "dmp_record_bootstrap_entry": (
            ctypes.c_int,
            [record_p, ctypes.c_size_t, ctypes.POINTER(_EntryView)],
        ),
        "dmp_record_rotation": (ctypes.c_int, [record_p, ctypes.POINTER(_RotationView)]),
        "dmp_record_revocation": (ctypes.c_int, [record_p, ctypes.POINTER(_RevocationView)]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    lib.dmp_verify_revocation.restype = ctypes.c_int
    lib.dmp_verify_revocation.argtypes = lib.dmp_verify_rotation.argtypes
    if lib.dmp_init() != _OK:
        raise ImportError("dmpverify: libsodium failed to initialise")
    return lib


_lib = _declare(_load_library())


def library_version() -> str:
    """The version of the loaded libdmpverify, e.g. "0.1.0"."""
    return _lib.dmp_version().decode("ascii")


__version__ = library_version()


# ---- conversions ----------------------------------------------------------


def _text(data: bytes) -> str:
    # The verifier has checked every name and endpoint; surrogateescape keeps
    # any byte it let through visible instead of raising.
    return data.decode("utf-8", "surrogateescape")


def _view_text(view: _BytesView) -> str:
    return _text(ctypes.string_at(view.data, view.len)) if view.len else ""


def _key_bytes(pointer: "ctypes._Pointer[ctypes.c_uint8]") -> bytes:
    return ctypes.string_at(pointer, 32)


def _wire_bytes(wire: Wire) -> bytes:
    if isinstance(wire, str):
        return wire.encode("utf-8", "surrogateescape")
    if isinstance(wire, (bytes, bytearray, memoryview)):
        return bytes(wire)
    raise TypeError(f"wire must be bytes or str, not {type(wire).__name__}")


def _seconds(value: Optional[Time], what: str) -> Tuple[int, int]:
    """(has_value, seconds) for the C options; datetimes must carry a timezone."""
    if value is None:
        return 0, 0
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(f"{what}: a datetime needs a timezone (e.g. datetime.timezone.utc)")
        value = int(value.timestamp())
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be unix seconds (int) or a datetime")
    if not 0 <= value < 2**64:
        raise ValueError(f"{what}: {value} is outside 0 .. 2^64-1")
    return 1, value


def _name_bytes(value: Optional[str], what: str) -> Optional[bytes]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str")
    if "\0" in value:
        raise ValueError(f"{what}: contains a NUL character")
    return value.encode("utf-8")


def _failure(code: int, errbuf: ctypes.Array) -> VerifyError:
    reason = _lib.dmp_reason_name(code).decode("ascii")
    return VerifyError(reason, code, _text(errbuf.value))


def parse_key_hex(text: str) -> bytes:
    """The 32 bytes of a pinned key given as 64 hex digits (either case).

    Surrounding whitespace (a newline from a file) is ignored; anything else
    that is not exactly one key, and the low-order points no verifier
    accepts, raise VerifyError with reason "bad_key".
    """
    if not isinstance(text, str):
        raise TypeError("the key text must be a str")
    out = (ctypes.c_uint8 * 32)()
    errbuf = ctypes.create_string_buffer(_ERRBUF_LEN)
    stripped = text.strip()
    if "\0" in stripped:
        raise VerifyError("bad_key", _BAD_KEY, "key: contains a NUL character")
    code = _lib.dmp_parse_key_hex(stripped.encode("utf-8"), out, errbuf, _ERRBUF_LEN)
    if code != _OK:
        raise _failure(code, errbuf)
    return bytes(out)


def _pinned_key_bytes(key: Key) -> bytes:
    if isinstance(key, str):
        return parse_key_hex(key)
    if isinstance(key, (bytes, bytearray, memoryview)):
        # Passed as is: a key of the wrong length, or a low-order point, is
        # the verifier's to refuse (bad_key), exactly as in the C ABI.
        return bytes(key)
    raise TypeError(f"a pinned key must be bytes or a hex str, not {type(key).__name__}")


def _u8_buffer(data: bytes) -> "ctypes.Array[ctypes.c_uint8]":
    return (ctypes.c_uint8 * max(len(data), 1)).from_buffer_copy(data or b"\0")


def _record_from(handle: ctypes.c_void_p) -> Record:
    kind = _lib.dmp_record_get_type(handle)
    count = _lib.dmp_record_item_count(handle)
    nodes = []
    entries = []
    for index in range(count):
        if kind == _RECORD_CLUSTER:
            node = _NodeView()
            if _lib.dmp_record_cluster_node(handle, index, ctypes.byref(node)) != _OK:
                raise RuntimeError("dmpverify: the library refused a node index it reported")
            nodes.append(
                ClusterNode(
                    node_id=_view_text(node.node_id),
                    http_endpoint=_view_text(node.http_endpoint),
                    dns_endpoint=_view_text(node.dns_endpoint) if node.has_dns_endpoint else None,
                )
            )
        else:
            entry = _EntryView()
            if _lib.dmp_record_bootstrap_entry(handle, index, ctypes.byref(entry)) != _OK:
                raise RuntimeError("dmpverify: the library refused an entry index it reported")
            entries.append(
                BootstrapEntry(
                    priority=entry.priority,
                    cluster_base_domain=_text(entry.cluster_base_domain),
                    operator_spk=_key_bytes(entry.operator_spk),
                )
            )
    return Record(
        type="cluster" if kind == _RECORD_CLUSTER else "bootstrap",
        name=_text(_lib.dmp_record_name(handle)),
        rrset=_text(_lib.dmp_record_rrset_name(handle)),
        seq=_lib.dmp_record_seq(handle),
        exp=_lib.dmp_record_exp(handle),
        signing_key=_key_bytes(_lib.dmp_record_signing_key(handle)),
        nodes=tuple(nodes),
        entries=tuple(entries),
    )


# ---- the API ----------------------------------------------------------------


def verify(
    wire: Wire,
    pinned_key: Key,
    *,
    now: Optional[Time] = None,
    expected_name: Optional[str] = None,
    strict: bool = False,
) -> Record:
    """Verify a ClusterManifest or BootstrapRecord wire under a pinned key.

    ``wire`` is the TXT value exactly (``v=dmp1;t=cluster;...``), with no
    trailing newline: strip one read from a file. ``pinned_key`` is the 32
    key bytes or their 64 hex digits. ``now`` is the verifier's clock (unix
    seconds or an aware datetime; None reads the wall clock, which offline
    tools should not rely on). ``expected_name`` binds the record to that
    cluster name or user domain (case and one trailing dot ignored).
    ``strict`` also refuses encodings a conforming signer never emits.

    Returns the verified :class:`Record`; raises :class:`VerifyError` with
    the reason otherwise. Rotation and revocation wires are refused here
    (``bad_prefix``): use :func:`verify_rotation` / :func:`verify_revocation`.
    """
    data = _wire_bytes(wire)
    key = _pinned_key_bytes(pinned_key)
    options = _VerifyOptions()
    options.struct_size = ctypes.sizeof(_VerifyOptions)
    options.has_now, options.now = _seconds(now, "now")
    options.expected_name = _name_bytes(expected_name, "expected_name")
    options.strict = 1 if strict else 0
    handle = ctypes.c_void_p()
    errbuf = ctypes.create_string_buffer(_ERRBUF_LEN)
    code = _lib.dmp_verify(
        data,
        len(data),
        _u8_buffer(key),
        len(key),
        ctypes.byref(options),
        ctypes.byref(handle),
        errbuf,
        _ERRBUF_LEN,
    )
    if code != _OK:
        raise _failure(code, errbuf)
    try:
        return _record_from(handle)
    finally:
        _lib.dmp_record_free(handle)


def _key_record_options(
    now: Optional[Time],
    expected_key: Union[Key, _Unpinned],
    expected_subject: Optional[str],
    max_age: Optional[int],
    strict: bool,
) -> Tuple[_KeyRecordOptions, Optional["ctypes.Array[ctypes.c_uint8]"]]:
    options = _KeyRecordOptions()
    options.struct_size = ctypes.sizeof(_KeyRecordOptions)
    options.has_now, options.now = _seconds(now, "now")
    options.has_max_age, options.max_age_seconds = _seconds(max_age, "max_age")
    options.expected_subject = _name_bytes(expected_subject, "expected_subject")
    options.strict = 1 if strict else 0
    # The options hold a raw pointer into this buffer: the caller keeps it
    # alive until the call returns.
    key_buffer = None
    if expected_key is None:
        raise TypeError("the pinned key must be given; pass dmpverify.UNPINNED to check without one")
    if expected_key is not UNPINNED:
        key = _pinned_key_bytes(expected_key)
        key_buffer = _u8_buffer(key)
        options.expected_key = ctypes.cast(key_buffer, ctypes.POINTER(ctypes.c_uint8))
        options.expected_key_len = len(key)
    return options, key_buffer


def _verify_key_record(function, wire: Wire, options: _KeyRecordOptions) -> ctypes.c_void_p:
    data = _wire_bytes(wire)
    handle = ctypes.c_void_p()
    errbuf = ctypes.create_string_buffer(_ERRBUF_LEN)
    code = function(data, len(data), ctypes.byref(options), ctypes.byref(handle), errbuf, _ERRBUF_LEN)
    if code != _OK:
        raise _failure(code, errbuf)
    return handle


def verify_rotation(
    wire: Wire,
    *,
    expected_old_key: Union[Key, _Unpinned],
    now: Optional[Time] = None,
    expected_subject: Optional[str] = None,
    strict: bool = False,
) -> Rotation:
    """Verify a key RotationRecord (DRAFT): both signatures, the subject, exp.

    ``expected_old_key`` is the key the caller trusts today; the rotation
    must start from it (otherwise ``key_mismatch``). It is required: pass
    :data:`UNPINNED` to check a rotation without a pin, which proves only
    that some key handed over to another.
    """
    options, _key_buffer = _key_record_options(now, expected_old_key, expected_subject, None, strict)
    handle = _verify_key_record(_lib.dmp_verify_rotation, wire, options)
    try:
        view = _RotationView()
        if _lib.dmp_record_rotation(handle, ctypes.byref(view)) != _OK:
            raise RuntimeError("dmpverify: the library returned a record of another type")
        return Rotation(
            subject_type=view.subject_type,
            subject=_view_text(view.subject),
            rrset=_text(_lib.dmp_record_rrset_name(handle)),
            old_spk=_key_bytes(view.old_spk),
            new_spk=_key_bytes(view.new_spk),
            seq=view.seq,
            ts=view.ts,
            exp=view.exp,
        )
    finally:
        _lib.dmp_record_free(handle)


def verify_revocation(
    wire: Wire,
    *,
    expected_key: Union[Key, _Unpinned],
    now: Optional[Time] = None,
    expected_subject: Optional[str] = None,
    max_age: Optional[int] = None,
    strict: bool = False,
) -> Revocation:
    """Verify a key RevocationRecord (DRAFT): the self-signature and time rules.

    ``expected_key`` is the revoked key the caller pins (required:
    :data:`UNPINNED` checks the self-signature only); ``max_age`` (seconds)
    opts into refusing revocations older than that (``revocation_stale``).
    """
    options, _key_buffer = _key_record_options(now, expected_key, expected_subject, max_age, strict)
    handle = _verify_key_record(_lib.dmp_verify_revocation, wire, options)
    try:
        view = _RevocationView()
        if _lib.dmp_record_revocation(handle, ctypes.byref(view)) != _OK:
            raise RuntimeError("dmpverify: the library returned a record of another type")
        return Revocation(
            subject_type=view.subject_type,
            subject=_view_text(view.subject),
            rrset=_text(_lib.dmp_record_rrset_name(handle)),
            revoked_spk=_key_bytes(view.revoked_spk),
            reason_code=view.reason_code,
            ts=view.ts,
        )
    finally:
        _lib.dmp_record_free(handle)
