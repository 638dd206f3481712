"""Tests of the dmpverify Python binding, through the real libdmpverify.so.

Run by ctest with PYTHONPATH at the build tree's copy of the package,
DMP_VECTORS_DIR at ../shared/vectors and DMP_VERIFY_BIN at dmp-verify:
  - every reference vector through verify / verify_rotation / verify_revocation;
  - 10,000 generated and mutated wires through both the binding and
    `dmp-verify --json`, which must agree on every verdict and reason;
  - the binding's own argument handling.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import dataclasses
import datetime
import hashlib
import json
import os
import random
import subprocess
import tempfile
import unittest

import dmpverify
import schemas

VECTORS = os.environ.get("DMP_VECTORS_DIR", "")
VERIFY_BIN = os.environ.get("DMP_VERIFY_BIN", "")
NOW = 1900000000  # inside the vectors' validity window
MUTATED_WIRES = 10_000


def setUpModule() -> None:
    # A skip is for a machine without the shared vectors; CI always has them.
    if os.environ.get("CI") and not (VECTORS and os.path.isdir(VECTORS)):
        raise AssertionError(f"reference vectors missing under CI (DMP_VECTORS_DIR={VECTORS!r})")


def json_line_validator():
    """The validator of docs/schema/dmp-verify.schema.json."""
    return schemas.validator("dmp-verify.schema.json")


KEYS = ["file", "verdict", "reason", "message", "type", "draft", "rrset", "name", "seq", "exp",
        "ts", "signing_key_hex", "nodes", "entries", "subject_type", "old_spk_hex", "new_spk_hex",
        "revoked_spk_hex", "revocation_reason", "revocation_reason_code"]


def load(name: str) -> list:
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)


def wire_of(case: dict) -> bytes:
    return bytes.fromhex(case["expected_wire_hex"])


# What the reference says of each rejected case (its description), as the
# reason our verifier must give.
def expected_reason(case: dict) -> str:
    description = case["description"]
    for words, reason in (
        ("signature failure", "bad_signature"),
        ("cosign failure", "bad_signature"),
        ("wrong expected_revoked_spk", "key_mismatch"),
        ("stale", "revocation_stale"),
        ("expired", "expired"),
    ):
        if words in description:
            return reason
    raise AssertionError(f"no expected reason known for {description!r}")


def ed25519_seed(x25519_style_seed_hex: str) -> bytes:
    # spec 6.1: the signing seed is SHA-256(seed || "DMP-v1-Ed25519-signing-key").
    return hashlib.sha256(bytes.fromhex(x25519_style_seed_hex) + b"DMP-v1-Ed25519-signing-key").digest()


class Sodium:
    """libsodium's Ed25519 through ctypes, to sign mutated bodies in the test."""

    def __init__(self) -> None:
        path = ctypes.util.find_library("sodium")
        if path is None:
            raise unittest.SkipTest("libsodium not found")
        self.lib = ctypes.CDLL(path)
        if self.lib.sodium_init() < 0:
            raise RuntimeError("sodium_init failed")

    def keypair(self, seed: bytes) -> tuple[bytes, bytes]:
        pk = ctypes.create_string_buffer(32)
        sk = ctypes.create_string_buffer(64)
        if self.lib.crypto_sign_seed_keypair(pk, sk, seed) != 0:
            raise RuntimeError("crypto_sign_seed_keypair failed")
        return pk.raw, sk.raw

    def sign(self, message: bytes, secret_key: bytes) -> bytes:
        sig = ctypes.create_string_buffer(64)
        rc = self.lib.crypto_sign_detached(
            sig, None, message, ctypes.c_ulonglong(len(message)), secret_key
        )
        if rc != 0:
            raise RuntimeError("crypto_sign_detached failed")
        return sig.raw


@unittest.skipUnless(VECTORS and os.path.isdir(VECTORS), "DMP_VECTORS_DIR not set")
class ReferenceVectors(unittest.TestCase):
    def test_cluster_manifest_vectors(self) -> None:
        for index, case in enumerate(load("cluster_manifest.json")):
            with self.subTest(case=index, description=case["description"]):
                key = case.get("verify_with_operator_spk_hex") or case["inputs"]["operator_spk_hex"]
                now = case.get("verify_with_now", NOW)
                if case.get("expected_parse_result") == "none":
                    with self.assertRaises(dmpverify.VerifyError) as caught:
                        dmpverify.verify(wire_of(case), key, now=now)
                    self.assertEqual(caught.exception.reason, expected_reason(case))
                    self.assertTrue(str(caught.exception))
                    continue
                record = dmpverify.verify(wire_of(case), key, now=now)
                inputs = case["inputs"]
                self.assertEqual(record.type, "cluster")
                self.assertEqual(record.name, case["expected_parse_cluster_name"])
                self.assertEqual(record.rrset, "cluster." + inputs["cluster_name"])
                self.assertEqual(record.seq, case["expected_parse_seq"])
                self.assertEqual(record.exp, inputs["exp"])
                self.assertEqual(record.signing_key.hex(), inputs["operator_spk_hex"])
                self.assertEqual(record.entries, ())
                self.assertEqual(
                    [dataclasses.asdict(n) for n in record.nodes],
                    [
                        {
                            "node_id": n["node_id"],
                            "http_endpoint": n["http_endpoint"],
                            "dns_endpoint": n["dns_endpoint"],
                        }
                        for n in inputs["nodes"]
                    ],
                )
                # The same record under the key given as bytes, and bound to its name.
                again = dmpverify.verify(
                    wire_of(case), bytes.fromhex(key), now=now, expected_name=record.name.upper()
                )
                self.assertEqual(again, record)

    def test_bootstrap_record_vectors(self) -> None:
        for index, case in enumerate(load("bootstrap_record.json")):
            with self.subTest(case=index, description=case["description"]):
                key = case.get("verify_with_signer_spk_hex") or case["inputs"]["signer_spk_hex"]
                now = case.get("verify_with_now", NOW)
                if case.get("expected_parse_result") == "none":
                    with self.assertRaises(dmpverify.VerifyError) as caught:
                        dmpverify.verify(wire_of(case), key, now=now)
                    self.assertEqual(caught.exception.reason, expected_reason(case))
                    continue
                record = dmpverify.verify(wire_of(case).decode("ascii"), key, now=now)
                inputs = case["inputs"]
                self.assertEqual(record.type, "bootstrap")
                self.assertEqual(record.name, case["expected_parse_user_domain"])
                self.assertEqual(record.rrset, "_dmp." + inputs["user_domain"])
                self.assertEqual(record.seq, case["expected_parse_seq"])
                self.assertEqual(record.signing_key.hex(), inputs["signer_spk_hex"])
                self.assertEqual(record.nodes, ())
                want = sorted(
                    (e["priority"], e["cluster_base_domain"], e["operator_spk_hex"])
                    for e in inputs["entries"]
                )
                got = [(e.priority, e.cluster_base_domain, e.operator_spk.hex()) for e in record.entries]
                self.assertEqual(got, want)

    def test_rotation_vectors(self) -> None:
        for index, case in enumerate(load("rotation_record.json")):
            with self.subTest(case=index, description=case["description"]):
                now = case.get("verify_with_now", NOW)
                if case.get("expected_parse_result") == "none":
                    with self.assertRaises(dmpverify.VerifyError) as caught:
                        dmpverify.verify_rotation(
                            wire_of(case), now=now, expected_old_key=dmpverify.UNPINNED
                        )
                    self.assertEqual(caught.exception.reason, expected_reason(case))
                    continue
                rotation = dmpverify.verify_rotation(
                    wire_of(case), now=now, expected_old_key=dmpverify.UNPINNED
                )
                inputs = case["inputs"]
                self.assertEqual(rotation.subject, case["expected_parse_subject"])
                self.assertEqual(rotation.seq, case["expected_parse_seq"])
                self.assertEqual(rotation.old_spk.hex(), inputs["old_spk_hex"])
                self.assertEqual(rotation.new_spk.hex(), inputs["new_spk_hex"])
                # Pinned to the old key it starts from; any other pin is key_mismatch.
                dmpverify.verify_rotation(wire_of(case), now=now, expected_old_key=inputs["old_spk_hex"])
                with self.assertRaises(dmpverify.VerifyError) as caught:
                    dmpverify.verify_rotation(
                        wire_of(case), now=now, expected_old_key=inputs["new_spk_hex"]
                    )
                self.assertEqual(caught.exception.reason, "key_mismatch")
                # The pin is required: leaving it out is an error, not "unpinned".
                with self.assertRaises(TypeError):
                    dmpverify.verify_rotation(wire_of(case), now=now)  # type: ignore[call-arg]
                with self.assertRaises(TypeError):
                    dmpverify.verify_rotation(wire_of(case), now=now, expected_old_key=None)
                # A rotation is never a cluster/bootstrap record.
                with self.assertRaises(dmpverify.VerifyError) as caught:
                    dmpverify.verify(wire_of(case), inputs["old_spk_hex"], now=now)
                self.assertEqual(caught.exception.reason, "bad_prefix")

    def test_revocation_vectors(self) -> None:
        for index, case in enumerate(load("revocation_record.json")):
            with self.subTest(case=index, description=case["description"]):
                kwargs = {"now": case["verify_with_now"], "expected_key": dmpverify.UNPINNED}
                if "verify_with_expected_revoked_spk_hex" in case:
                    kwargs["expected_key"] = case["verify_with_expected_revoked_spk_hex"]
                if "verify_with_max_age_seconds" in case:
                    kwargs["max_age"] = case["verify_with_max_age_seconds"]
                if case.get("expected_parse_result") == "none":
                    with self.assertRaises(dmpverify.VerifyError) as caught:
                        dmpverify.verify_revocation(wire_of(case), **kwargs)
                    self.assertEqual(caught.exception.reason, expected_reason(case))
                    continue
                revocation = dmpverify.verify_revocation(wire_of(case), **kwargs)
                self.assertEqual(revocation.subject, case["expected_parse_subject"])
                self.assertEqual(revocation.reason_code, case["expected_parse_reason_code"])
                self.assertEqual(revocation.revoked_spk.hex(), case["inputs"]["revoked_spk_hex"])


@unittest.skipUnless(VECTORS and os.path.isdir(VECTORS), "DMP_VECTORS_DIR not set")
class Arguments(unittest.TestCase):
    def setUp(self) -> None:
        case = load("cluster_manifest.json")[0]
        self.wire = wire_of(case)
        self.key = case["inputs"]["operator_spk_hex"]

    def test_parse_key_hex(self) -> None:
        self.assertEqual(dmpverify.parse_key_hex(self.key.upper() + "\n"), bytes.fromhex(self.key))
        for bad in ("", self.key[:-2], "0x" + self.key, self.key + "00", "z" * 64, "0" * 63 + "\0"):
            with self.subTest(bad=bad):
                with self.assertRaises(dmpverify.VerifyError) as caught:
                    dmpverify.parse_key_hex(bad)
                self.assertEqual(caught.exception.reason, "bad_key")
        # The identity point is a low-order key: refused before any wire is seen.
        with self.assertRaises(dmpverify.VerifyError) as caught:
            dmpverify.parse_key_hex("01" + "00" * 31)
        self.assertIn("low-order", str(caught.exception))

    def test_key_of_wrong_length_is_bad_key(self) -> None:
        for key in (b"", bytes(31), bytes.fromhex(self.key) + b"\0"):
            with self.assertRaises(dmpverify.VerifyError) as caught:
                dmpverify.verify(self.wire, key, now=NOW)
            self.assertEqual(caught.exception.reason, "bad_key")
            self.assertEqual(caught.exception.code, 5)

    def test_now_as_datetime(self) -> None:
        when = datetime.datetime.fromtimestamp(NOW, tz=datetime.timezone.utc)
        self.assertEqual(dmpverify.verify(self.wire, self.key, now=when).seq, 1)
        with self.assertRaises(ValueError):
            dmpverify.verify(self.wire, self.key, now=when.replace(tzinfo=None))
        with self.assertRaises(ValueError):
            dmpverify.verify(self.wire, self.key, now=-1)
        with self.assertRaises(TypeError):
            dmpverify.verify(self.wire, self.key, now="1900000000")
        with self.assertRaises(TypeError):
            dmpverify.verify(self.wire, self.key, now=True)

    def test_wall_clock_is_the_default(self) -> None:
        # The vector expires in 2035, more than five years after today.
        with self.assertRaises(dmpverify.VerifyError) as caught:
            dmpverify.verify(self.wire, self.key)
        self.assertEqual(caught.exception.reason, "expiry_too_far")

    def test_name_binding_and_strict(self) -> None:
        record = dmpverify.verify(self.wire, self.key, now=NOW, expected_name="mesh.example.com.", strict=True)
        self.assertEqual(record.name, "mesh.example.com")
        with self.assertRaises(dmpverify.VerifyError) as caught:
            dmpverify.verify(self.wire, self.key, now=NOW, expected_name="other.example.com")
        self.assertEqual(caught.exception.reason, "name_mismatch")
        self.assertIn("other.example.com", caught.exception.message)
        with self.assertRaises(ValueError):
            dmpverify.verify(self.wire, self.key, now=NOW, expected_name="mesh\0.example.com")

    def test_records_are_frozen_and_typed(self) -> None:
        record = dmpverify.verify(self.wire, self.key, now=NOW)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            record.seq = 2  # type: ignore[misc]
        self.assertIsInstance(record.nodes, tuple)
        self.assertIsNone(record.nodes[0].dns_endpoint)
        self.assertTrue(dmpverify.library_version().count(".") >= 2)
        self.assertEqual(dmpverify.__version__, dmpverify.library_version())
        with self.assertRaises(TypeError):
            dmpverify.verify(12345, self.key)  # type: ignore[arg-type]
        with self.assertRaises(TypeError):
            dmpverify.verify(self.wire, 12345)  # type: ignore[arg-type]


# ---- 10,000 wires through the binding and the CLI ---------------------------

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


class WireFactory:
    """Generated and mutated wires from the reference vectors' bodies.

    Body mutations are re-signed with the right key most of the time, so the
    structural rules behind the signature are reached; wire mutations change
    the text after "v=dmp1;" (the CLI reads a file that starts so as one wire)
    and leave the signature to fail or the base64 rules to refuse it.
    """

    def __init__(self, rng: random.Random, sodium: Sodium) -> None:
        self.rng = rng
        self.sodium = sodium
        self.kinds = {}
        for kind, file, seed_field in (
            ("cluster", "cluster_manifest.json", "operator_seed_hex"),
            ("bootstrap", "bootstrap_record.json", "signer_seed_hex"),
        ):
            cases = [c for c in load(file) if "expected_parse_result" not in c]
            public, secret = sodium.keypair(ed25519_seed(cases[0][seed_field]))
            _, other_secret = sodium.keypair(hashlib.sha256(b"another key " + kind.encode()).digest())
            bodies = []
            for case in cases:
                wire = wire_of(case).decode("ascii")
                prefix, payload = wire[: wire.index(";", 7) + 1], wire[wire.index(";", 7) + 1 :]
                bodies.append(base64.b64decode(payload)[:-64])
            self.kinds[kind] = (prefix, bodies, public, secret, other_secret)

    def key_of(self, kind: str) -> bytes:
        return self.kinds[kind][2]

    def make(self, kind: str) -> bytes:
        prefix, bodies, _, secret, other_secret = self.kinds[kind]
        rng = self.rng
        body = bytearray(rng.choice(bodies))
        choice = rng.random()
        if choice < 0.55:
            self.mutate_body(body)
            signer = other_secret if rng.random() < 0.05 else secret
            blob = bytes(body) + self.sodium.sign(bytes(body), signer)
            return (prefix + base64.b64encode(blob).decode("ascii")).encode("ascii")
        blob = bytes(body) + self.sodium.sign(bytes(body), secret)
        wire = prefix + base64.b64encode(blob).decode("ascii")
        if choice < 0.62:
            return wire.encode("ascii")  # valid as signed
        return self.mutate_text(wire).encode("ascii")

    def mutate_body(self, body: bytearray) -> None:
        rng = self.rng
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            action = rng.randrange(7)
            if not body:
                body.append(rng.randrange(256))
            position = rng.randrange(len(body))
            if action == 0:
                body[position] ^= 1 << rng.randrange(8)
            elif action == 1:
                body[position] = rng.choice((0x00, 0x01, 0x7F, 0x80, 0xFF, ord("."), ord("A")))
            elif action == 2:
                del body[rng.randrange(len(body)) :]
            elif action == 3:
                body.extend(rng.randbytes(rng.randrange(1, 40)))
            elif action == 4:
                del body[position : position + rng.randrange(1, 9)]
            elif action == 5:
                body[position:position] = rng.randbytes(rng.randrange(1, 9))
            else:
                body[position] = (body[position] + rng.choice((-1, 1))) % 256

    def mutate_text(self, wire: str) -> str:
        rng = self.rng
        chars = list(wire)
        action = rng.randrange(8)
        start = 7  # keep "v=dmp1;"
        position = rng.randrange(start, len(chars))
        if action == 0:
            chars[position] = rng.choice(B64)
        elif action == 1:
            del chars[position]
        elif action == 2:
            del chars[position:]
        elif action == 3:
            chars.insert(position, rng.choice(B64 + "=;"))
        elif action == 4:
            chars.extend("=" * rng.randrange(1, 4))
        elif action == 5:
            # Another type tag, or a damaged one. (Not t=rotation or
            # t=revocation: dmp-verify checks those as key records, which
            # verify() refuses by design; the vectors test covers them.)
            text = "".join(chars)
            text = text.replace(rng.choice(("t=cluster;", "t=bootstrap;")), rng.choice(
                ("t=bootstrap;", "t=cluster;", "t=rotations;", "t=clusterx;", "t=;")), 1)
            return text
        elif action == 6:
            chars.extend(rng.choice(B64) for _ in range(rng.randrange(900, 1300)))
        else:
            # Non-canonical base64: the last digit's unused low bits set.
            text = "".join(chars).rstrip("=")
            pad = len("".join(chars)) - len(text)
            if text and pad:
                last = B64.find(text[-1])
                if last >= 0:
                    text = text[:-1] + B64[last | (1 if pad == 2 else 3) & 63]
            return text + "=" * pad
        return "".join(chars)


@unittest.skipUnless(VECTORS and os.path.isdir(VECTORS), "DMP_VECTORS_DIR not set")
@unittest.skipUnless(VERIFY_BIN, "DMP_VERIFY_BIN not set")
class BindingAgreesWithCli(unittest.TestCase):
    # (now, expected_name, strict) sets the wires are checked under.
    SETTINGS = (
        (NOW, None, False),
        (NOW, None, True),
        (NOW, "mesh.example.com", False),
        (NOW, "example.com", False),
        (101, None, False),
        (1_700_000_000, None, False),
    )

    def test_ten_thousand_wires(self) -> None:
        rng = random.Random(20261207)
        factory = WireFactory(rng, Sodium())
        validator = json_line_validator()
        reasons_seen = set()
        compared = 0
        with tempfile.TemporaryDirectory() as work:
            groups: dict = {}
            for index in range(MUTATED_WIRES):
                kind = "cluster" if index % 2 == 0 else "bootstrap"
                setting = self.SETTINGS[rng.randrange(len(self.SETTINGS))]
                wire = factory.make(kind)
                groups.setdefault((kind, setting), []).append((index, wire))
            for (kind, (now, name, strict)), items in sorted(groups.items(), key=str):
                key = factory.key_of(kind)
                files = []
                for index, wire in items:
                    path = os.path.join(work, f"w{index:05d}.wire")
                    with open(path, "wb") as f:
                        f.write(wire)
                    files.append(path)
                command = [VERIFY_BIN, "--json", "--pubkey", key.hex(), "--now", str(now)]
                if name is not None:
                    command += ["--name", name]
                if strict:
                    command.append("--strict")
                done = subprocess.run(command + files, capture_output=True, check=False)
                self.assertIn(done.returncode, (0, 1), done.stderr.decode(errors="replace"))
                lines = done.stdout.decode("utf-8").splitlines()
                self.assertEqual(len(lines), len(files))
                for (index, wire), path, line in zip(items, files, lines):
                    cli = json.loads(line)
                    self.assertEqual(cli["file"], path)
                    # Every line: the documented keys in order, valid under the schema.
                    self.assertEqual(list(cli), KEYS)
                    validator.validate(cli)
                    try:
                        dmpverify.verify(wire, key, now=now, expected_name=name, strict=strict)
                        binding = ("valid", None)
                    except dmpverify.VerifyError as error:
                        binding = ("invalid", error.reason)
                    self.assertEqual(
                        (cli["verdict"], cli["reason"]),
                        binding,
                        f"wire {index} ({kind}, now={now}, name={name}, strict={strict}): {wire!r}",
                    )
                    reasons_seen.add(binding[1])
                    compared += 1
        self.assertEqual(compared, MUTATED_WIRES)
        # The mix reaches the verifier's rules, not only the signature check.
        for reason in (None, "bad_signature", "malformed", "bad_base64", "expired",
                       "name_mismatch", "bad_prefix", "too_long", "too_short"):
            self.assertIn(reason, reasons_seen)


@unittest.skipUnless(VECTORS and os.path.isdir(VECTORS), "DMP_VECTORS_DIR not set")
@unittest.skipUnless(VERIFY_BIN, "DMP_VERIFY_BIN not set")
class JsonSchema(unittest.TestCase):
    """dmp-verify --json lines of every kind (all four record types, invalid,
    unreadable) against docs/schema/dmp-verify.schema.json."""

    def test_every_kind_of_line_matches_the_schema(self) -> None:
        validator = json_line_validator()
        with tempfile.TemporaryDirectory() as work:
            runs = []
            for file, key_field, now_default in (
                ("cluster_manifest.json", "operator_spk_hex", NOW),
                ("bootstrap_record.json", "signer_spk_hex", NOW),
            ):
                cases = load(file)
                key = cases[0]["inputs"][key_field]
                paths = []
                for index, case in enumerate(cases):
                    path = os.path.join(work, f"{file}-{index}.wire")
                    with open(path, "wb") as f:
                        f.write(wire_of(case))
                    paths.append(path)
                runs.append(([key], paths, now_default))
            rotation = load("rotation_record.json")[1]
            revocation = load("revocation_record.json")[0]
            for name, case, key in (
                ("rotation", rotation, rotation["inputs"]["old_spk_hex"]),
                ("revocation", revocation, revocation["inputs"]["revoked_spk_hex"]),
            ):
                path = os.path.join(work, name + ".wire")
                with open(path, "wb") as f:
                    f.write(wire_of(case))
                runs.append(([key], [path], case.get("verify_with_now", NOW)))
            garbage = os.path.join(work, "garbage.txt")
            with open(garbage, "w", encoding="utf-8") as f:
                f.write("not a record\n")
            runs.append(([runs[0][0][0]], [garbage, os.path.join(work, "missing.wire")], NOW))
            seen = set()
            for keys, paths, now in runs:
                done = subprocess.run(
                    [VERIFY_BIN, "--json", "--pubkey", keys[0], "--now", str(now), *paths],
                    capture_output=True,
                    check=False,
                )
                lines = done.stdout.decode("utf-8").splitlines()
                self.assertEqual(len(lines), len(paths), done.stderr)
                for line in lines:
                    record = json.loads(line)
                    self.assertEqual(list(record), KEYS, line)
                    validator.validate(record)
                    seen.add((record["verdict"], record["type"]))
            for kind in ("cluster", "bootstrap", "rotation", "revocation"):
                self.assertIn(("valid", kind), seen)
            self.assertIn(("invalid", None), seen)
            self.assertIn(("error", None), seen)

    def test_the_schema_refuses_what_the_rules_forbid(self) -> None:
        validator = json_line_validator()
        good = dict.fromkeys(KEYS)
        good.update(file="f", verdict="invalid", reason="bad_signature", message="m")
        validator.validate(good)
        for change in (
            {"seq": 1},  # u64 values are strings
            {"verdict": "ok"},  # the verdict is an enum
            {"reason": "because"},  # and so is the reason
            {"type": "cluster"},  # an invalid line carries no record
            {"extra": None},  # no other keys
        ):
            with self.subTest(change=change):
                self.assertFalse(validator.is_valid({**good, **change}))
        missing = dict(good)
        del missing["ts"]
        self.assertFalse(validator.is_valid(missing))


if __name__ == "__main__":
    unittest.main()
