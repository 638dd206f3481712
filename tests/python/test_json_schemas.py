"""Every JSON output of dmp-sign against its schema in docs/schema/ (issue:
stable JSON). Real processes on real files: a key is made, records are
signed, inspected, revoked, drafted, exported and imported, and each line
the tool writes is validated; the lines of one command must also have the
same keys in the same order whatever the record and the verdict.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest

import schemas

SIGN_BIN = os.environ.get("DMP_SIGN_BIN", "")
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
NOW = "1900000000"


@unittest.skipUnless(SIGN_BIN, "DMP_SIGN_BIN not set")
class DmpSignJson(unittest.TestCase):
    def setUp(self) -> None:
        self.work = tempfile.TemporaryDirectory()
        self.dir = self.work.name
        self.state = self.path("state")
        self.passphrase = self.path("pass")
        with open(self.passphrase, "w", encoding="utf-8") as f:
            f.write("correct horse battery staple\n")
        os.chmod(self.passphrase, 0o600)
        self.key = self.path("operator.key")
        self.run_ok("keygen", "--out", self.key, "--kdf", "interactive",
                    "--passphrase-file", self.passphrase)
        self.public = self.run_ok("pubkey", "--key", self.key).strip()

    def tearDown(self) -> None:
        self.work.cleanup()

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def dmp(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([SIGN_BIN, *args], capture_output=True, text=True, check=False,
                              env={**os.environ, "DMP_SIGNER_STATE_DIR": self.state})

    def run_ok(self, *args: str) -> str:
        done = self.dmp(*args)
        self.assertEqual(done.returncode, 0, f"{args}: {done.stderr}")
        return done.stdout

    def sign(self, *args: str) -> str:
        return self.run_ok("sign", "--key", self.key, "--passphrase-file", self.passphrase,
                           "--yes", "--now", NOW, *args)

    def example(self, name: str) -> str:
        return os.path.join(SOURCE, "examples", name)

    def check_lines(self, schema: str, lines: list[dict]) -> None:
        validator = schemas.validator(schema)
        for line in lines:
            validator.validate(line)
        self.assertEqual(len({tuple(line) for line in lines}), 1,
                         f"{schema}: lines with different keys: {[list(l) for l in lines]}")

    def test_sign_format_json(self) -> None:
        lines = [json.loads(self.sign("--first", "--format", "json", "--out", "-",
                                      self.example(name)))
                 for name in ("cluster.json", "bootstrap.json")]
        lines.append(json.loads(self.sign("--format", "json", "--out", "-",
                                          self.example("cluster.json"))))
        self.check_lines("sign.schema.json", lines)
        self.assertEqual([l["type"] for l in lines], ["cluster", "bootstrap", "cluster"])
        self.assertEqual([l["seq"] for l in lines], ["1", "1", "2"])  # u64 as strings
        self.assertEqual(lines[0]["signing_key_hex"], self.public)
        self.assertIsNone(lines[0]["entries"])
        self.assertIsNone(lines[1]["nodes"])
        revocation = json.loads(self.run_ok(
            "revoke", "--key", self.key, "--passphrase-file", self.passphrase, "--now", NOW,
            "--subject-type", "cluster-operator", "--subject", "mesh.example.com",
            "--reason", "superseded", "--yes-i-mean-it", "--format", "json", "--out", "-"))
        self.check_lines("sign.schema.json", lines + [revocation])
        self.assertEqual(revocation["revoked_spk_hex"], self.public)
        self.assertIsNone(revocation["seq"])

    def test_inspect_json(self) -> None:
        wire = self.path("cluster.wire")
        zone = self.path("cluster.zone")
        self.sign("--first", "--out", wire, self.example("cluster.json"))
        self.sign("--format", "zone", "--out", zone, self.example("cluster.json"))
        other = "ab" * 32  # a key that did not sign it
        lines = []
        for args, code in (([wire], 0), ([wire, "--pubkey", self.public], 0),
                           ([wire, "--pubkey", other], 3), ([zone, "--pubkey", self.public], 0)):
            done = self.dmp("inspect", "--json", "--now", NOW, *args)
            self.assertEqual(done.returncode, code, done.stderr)
            lines.append(json.loads(done.stdout))
        self.check_lines("inspect.schema.json", lines)
        self.assertEqual([l["verdict"] for l in lines],
                         ["unverified", "verified", "invalid", "verified"])
        self.assertEqual(lines[2]["reason"], "bad_signature")
        self.assertEqual(lines[3]["owner"], "cluster.mesh.example.com.")
        self.assertEqual(lines[3]["seq"], "2")

    def test_ledger_show_and_anchor(self) -> None:
        self.sign("--first", "--out", self.path("c.wire"), self.example("cluster.json"))
        self.sign("--first", "--out", self.path("b.wire"), self.example("bootstrap.json"))
        self.run_ok("revoke", "--key", self.key, "--passphrase-file", self.passphrase,
                    "--now", NOW, "--subject-type", "cluster-operator", "--subject",
                    "mesh.example.com", "--reason", "superseded", "--yes-i-mean-it",
                    "--out", self.path("r.wire"))
        marks = self.path("marks.json")
        self.run_ok("ledger", "export", "--out", marks)
        self.state = self.path("state-2")  # a second laptop imports the marks
        self.run_ok("ledger", "import", marks)
        self.sign("--out", self.path("c2.wire"), self.example("cluster.json"))
        for state in (self.path("state"), self.state):
            self.state = state
            entries = json.loads(self.run_ok("ledger", "show", "--json"))
            schemas.validator("ledger-show.schema.json").validate(entries)
            self.assertEqual(len({tuple(e) for e in entries}), 1)
            anchor = json.loads(self.run_ok("ledger", "anchor", "--json"))
            schemas.validator("ledger-anchor.schema.json").validate(anchor)
            self.assertEqual(anchor["count"], len(entries))
            for entry in entries:
                if entry["type"] == "revocation":  # it has no seq and never expires
                    self.assertEqual((entry["seq"], entry["exp"]), (None, None), entry)
            if state == self.path("state"):
                self.assertIn("revocation", [e["type"] for e in entries])
        events = [(e["event"], e["type"]) for e in entries]
        self.assertIn(("import", "cluster"), events)
        self.assertIn(("sign", "cluster"), events)

    def test_draft_output_is_an_unsigned_record_that_signs(self) -> None:
        validator = schemas.validator("unsigned-record.schema.json")
        for name in ("cluster.json", "bootstrap.json"):
            with open(self.example(name), encoding="utf-8") as f:
                validator.validate(json.load(f))
        wire = self.path("cluster.wire")
        self.sign("--first", "--out", wire, self.example("cluster.json"))
        first = json.loads(self.run_ok("draft", "--new", "cluster", "--name", "new.example.com",
                                       "--add-node", "n01=https://n1.new.example.com:8053",
                                       "--now", NOW))
        following = self.run_ok("draft", "--from", wire, "--pubkey", self.public, "--seq", "7",
                                "--exp", "1930000000", "--add-node",
                                "n04=https://n4.mesh.example.com:8053", "--now", NOW)
        for draft in (first, json.loads(following)):
            validator.validate(draft)
        self.assertEqual(json.loads(following)["seq"], "7")  # u64 as a string
        self.assertEqual(json.loads(following)["exp"], "1930000000")
        draft_file = self.path("next.json")
        with open(draft_file, "w", encoding="utf-8") as f:
            f.write(following)
        signed = json.loads(self.sign("--format", "json", "--out", "-", draft_file))
        self.assertEqual((signed["seq"], signed["exp"], len(signed["nodes"])),
                         ("7", "1930000000", 4))

    def test_the_schemas_refuse_what_the_rules_forbid(self) -> None:
        line = json.loads(self.sign("--first", "--format", "json", "--out", "-",
                                    self.example("cluster.json")))
        validator = schemas.validator("sign.schema.json")
        validator.validate(line)
        for change in ({"seq": 1}, {"exp": 1900000000}, {"signing_key": self.public},
                       {"type": "manifest"}, {"entries": []}, {"fingerprint": "dmp1:x"}):
            with self.subTest(change=change):
                self.assertFalse(validator.is_valid({**line, **change}))
        missing = dict(line)
        del missing["ts"]
        self.assertFalse(validator.is_valid(missing))
        inspect = schemas.validator("inspect.schema.json")
        done = self.dmp("inspect", "--json", self.path("nothing"))
        self.assertNotEqual(done.returncode, 0)
        seen = {**line, "file": "f", "verdict": "unverified", "reason": None, "message": None,
                "owner": None, "owner_mismatch": False}
        del seen["wire"]
        inspect.validate(seen)
        self.assertFalse(inspect.is_valid({**seen, "verdict": "UNVERIFIED (no --pubkey given)"}))
        self.assertFalse(inspect.is_valid({**seen, "verdict": "invalid"}))  # needs a reason
        unsigned = schemas.validator("unsigned-record.schema.json")
        with open(self.example("cluster.json"), encoding="utf-8") as f:
            record = json.load(f)
        for change in ({"seq": "07"}, {"seq": -1}, {"node": []}, {"type": "manifest"},
                       {"exp": 1, "expires_in": "365d"}):
            with self.subTest(change=change):
                self.assertFalse(unsigned.is_valid({**record, **change}))


if __name__ == "__main__":
    unittest.main()
