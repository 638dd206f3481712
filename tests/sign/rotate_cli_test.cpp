// dmp-sign rotate / revoke end to end, through the real binaries: the
// two-laptop ceremony (two key files, two state directories, the request
// file carried between them), the one-step form, and the refusals: tampered
// bodies, swapped signatures, mismatched keys, seq, forks, loops, revoked
// keys, revocation without typed confirmation, and revocation replay. Also
// SIGKILL at every step of `rotate sign-old`: a signature never leaves the
// process without its ledger entry, and the next run completes the request.
#include <gtest/gtest.h>

#include <string>

#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "sign/sign_test_support.hpp"
#include "support/crash_steps.hpp"
#include "support/prerequisite.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

const std::string kSubject = "mesh.example.com";
const std::string kYear = std::to_string(kNow + 365 * kDay);

// One signing laptop: its own key file(s) and ledger, in its own directory.
class Laptop {
 public:
  explicit Laptop(const std::string& name) : name_(name) {}
  const SignWorkspace& ws() const { return ws_; }
  fs::path path(const std::string& file) const { return ws_.path(file); }
  fs::path state() const { return ws_.state(); }

  std::string keygen(const std::string& file) const { return ws_.keygen(ws_.path(file)); }

  ProcessResult run(std::vector<std::string> args, const std::string& program = DMP_SIGN_BIN,
                    const std::vector<std::string>& env = {}) const {
    return ws_.run(std::move(args), "", program, env);
  }

  // rotate sign-old / sign-new with `key`, this laptop's ledger, --yes.
  ProcessResult sign_half(const std::string& half, const std::string& key, const fs::path& request,
                          const std::string& program = DMP_SIGN_BIN,
                          const std::vector<std::string>& env = {}) const {
    return run({"rotate", half, "--key", path(key), "--passphrase-file", ws_.pass_file(),
                "--state-dir", state(), "--now", kNowText, "--yes", request},
               program, env);
  }

  ProcessResult prepare(const std::string& old_key, const std::string& new_key, const fs::path& out,
                        std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"rotate",      "prepare", "--old-key",      old_key,
                                  "--new-key",   new_key,   "--subject-type", "cluster-operator",
                                  "--subject",   kSubject,  "--now",          kNowText,
                                  "--state-dir", state(),   "--out",          out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  // The one-step rotate with two key files of this laptop.
  ProcessResult rotate(const std::string& old_key, const std::string& new_key, const fs::path& out,
                       std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"rotate",
                                  "--old-key",
                                  path(old_key),
                                  "--new-key",
                                  path(new_key),
                                  "--old-passphrase-file",
                                  ws_.pass_file(),
                                  "--new-passphrase-file",
                                  ws_.pass_file(),
                                  "--subject-type",
                                  "cluster-operator",
                                  "--subject",
                                  kSubject,
                                  "--state-dir",
                                  state(),
                                  "--now",
                                  kNowText,
                                  "--yes",
                                  "--out",
                                  out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  ProcessResult revoke(const std::string& key, const std::string& reason, const fs::path& out,
                       std::vector<std::string> extra = {"--yes-i-mean-it"}) const {
    std::vector<std::string> args{"revoke",
                                  "--key",
                                  path(key),
                                  "--passphrase-file",
                                  ws_.pass_file(),
                                  "--state-dir",
                                  state(),
                                  "--now",
                                  kNowText,
                                  "--subject-type",
                                  "cluster-operator",
                                  "--subject",
                                  kSubject,
                                  "--reason",
                                  reason,
                                  "--out",
                                  out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  std::vector<std::string> ledger_entries() const { return ws_.ledger_entries(); }

 private:
  std::string name_;
  SignWorkspace ws_;
};

// dmp-verify --pubkey KEY --now kNow [extra] FILE.
ProcessResult verify(const std::string& key, const fs::path& file,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args{DMP_VERIFY_BIN, "--pubkey", key, "--now", kNowText};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(file);
  return run_process(args);
}

nlohmann::json read_json(const fs::path& file) {
  return nlohmann::json::parse(read_file(file));
}

// A fully signed request on one laptop (old.key -> new.key).
struct Signed {
  Laptop laptop{"A"};
  std::string old_pub, new_pub;
  fs::path request;
  Signed() {
    old_pub = laptop.keygen("old.key");
    new_pub = laptop.keygen("new.key");
    request = laptop.path("rotation.json");
    EXPECT_EQ(laptop.prepare(laptop.path("old.key"), new_pub, request).exit_code, 0);
    EXPECT_EQ(laptop.sign_half("sign-old", "old.key", request).exit_code, 0);
    EXPECT_EQ(laptop.sign_half("sign-new", "new.key", request).exit_code, 0);
  }
};

TEST(RotateCeremony, TwoLaptopsEndToEnd) {
  Laptop a("A"), b("B");
  const std::string old_pub = a.keygen("old.key");
  // Laptop A has been signing the manifest with the old key.
  ASSERT_EQ(a.ws()
                .sign({"--out", a.path("cluster-1.wire"),
                       a.ws().write_input("c1.json", cluster_input(kSubject, 1))},
                      a.path("old.key"))
                .exit_code,
            0);
  // Laptop B makes the new key; only its public half travels to A.
  const std::string new_pub = b.keygen("new.key");
  const fs::path on_a = a.path("rotation.json");
  auto r = a.prepare(a.path("old.key"), new_pub, on_a);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto request = read_json(on_a);
  EXPECT_EQ(request.size(), 2u) << request;  // version and body, no signature yet
  r = a.sign_half("sign-old", "old.key", on_a);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_json(on_a).contains("sig_old"));

  // The USB stick: the request file goes to B, which adds its half.
  const fs::path on_b = b.path("rotation.json");
  fs::copy_file(on_a, on_b);
  r = b.sign_half("sign-new", "new.key", on_b);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = b.run({"rotate", "show", on_b, "--now", kNowText});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sig_old: present, verifies"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sig_new: present, verifies"), std::string::npos) << r.out;

  const fs::path wire = b.path("rotation.wire");
  r = b.run({"rotate", "assemble", on_b, "--now", kNowText, "--out", wire});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A client pinned to the old key accepts the rotation; the new key is not
  // the pin, so it does not.
  auto v = verify(old_pub, wire, {"--name", kSubject});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("new=" + new_pub), std::string::npos) << v.out;
  EXPECT_NE(verify(new_pub, wire).exit_code, 0);
  // inspect decodes it too, and verifies it under the old key only.
  r = b.run({"inspect", wire, "--pubkey", old_pub, "--now", kNowText, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto inspected = nlohmann::json::parse(r.out);
  EXPECT_EQ(inspected["type"], "rotation");
  EXPECT_EQ(inspected["new_spk_hex"], new_pub);
  EXPECT_EQ(inspected["verdict"], "verified");
  r = b.run({"inspect", wire, "--pubkey", new_pub, "--now", kNowText});
  EXPECT_EQ(r.exit_code, kExitKeyFile) << r.err;
  EXPECT_EQ(r.out.rfind("INVALID: ", 0), 0u) << r.out;

  // Each laptop logged exactly the signature it made.
  const auto a_entries = a.ledger_entries();
  ASSERT_EQ(a_entries.size(), 2u);
  EXPECT_EQ(entry_field(a_entries[1], 3), "rotation");
  EXPECT_EQ(entry_field(a_entries[1], 4), kSubject);
  EXPECT_EQ(entry_field(a_entries[1], 5), old_pub);
  const auto b_entries = b.ledger_entries();
  ASSERT_EQ(b_entries.size(), 1u);
  EXPECT_EQ(entry_field(b_entries[0], 5), new_pub);
  EXPECT_EQ(entry_field(b_entries[0], 8), entry_field(a_entries[1], 8));  // one body

  // B re-signs the manifest with the new key: the published wire, signed by
  // the key B's ledger saw rotated into the new one, is a valid --previous,
  // and "auto" continues above its seq.
  fs::copy_file(a.path("cluster-1.wire"), b.path("published.wire"));
  r = b.ws().sign({"--out", b.path("cluster-2.wire"), "--previous", b.path("published.wire"),
                   b.ws().write_input("c2.json", cluster_input(kSubject, "auto"))},
                  b.path("new.key"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("verified under the predecessor key"), std::string::npos) << r.err;
  v = verify(new_pub, b.path("cluster-2.wire"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("seq=2"), std::string::npos) << v.out;

  // Once everyone is re-pinned, A retires the old key.
  const fs::path revocation = a.path("revocation.wire");
  r = a.revoke("old.key", "superseded", revocation);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v = verify(old_pub, revocation, {"--name", kSubject});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("reason=routine"), std::string::npos) << v.out;
  for (const Laptop* laptop : {&a, &b}) {
    r = laptop->run({"ledger", "verify", "--state-dir", laptop->state()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(entry_field(a.ledger_entries().back(), 3), "revocation");
  // Signing with the revoked key still works (nodes not yet re-pinned) but
  // the review says what it is.
  r = a.ws().sign(
      {"--out", a.path("late.wire"), a.ws().write_input("late.json", cluster_input(kSubject, 3))},
      a.path("old.key"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: this key was revoked for 'mesh.example.com'"), std::string::npos)
      << r.err;
}

// On the laptop that rotated, the new key's first manifest continues the
// old key's seq: "auto" goes above it and a lower explicit seq is refused.
TEST(RotateCeremony, NewKeyContinuesTheOldKeysSeq) {
  Laptop a("A");
  a.keygen("old.key");
  a.keygen("new.key");
  a.keygen("third.key");
  for (const std::string seq : {"1", "5"}) {
    ASSERT_EQ(a.ws()
                  .sign({"--out", a.path("old-" + seq + ".wire"),
                         a.ws().write_input("c" + seq + ".json",
                                            cluster_input(kSubject, std::stoi(seq)))},
                        a.path("old.key"))
                  .exit_code,
              0);
  }
  ASSERT_EQ(a.rotate("old.key", "new.key", a.path("r1.wire")).exit_code, 0);
  auto r = a.ws().sign(
      {"--out", a.path("low.wire"), a.ws().write_input("low.json", cluster_input(kSubject, 3))},
      a.path("new.key"));
  EXPECT_EQ(r.exit_code, kExitSeq) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "seq_not_increasing"));
  EXPECT_NE(r.err.find("rotated to this key"), std::string::npos) << r.err;
  r = a.ws().sign({"--out", a.path("new.wire"),
                   a.ws().write_input("auto.json", cluster_input(kSubject, "auto"))},
                  a.path("new.key"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("changes against the ledger's last signature by the predecessor key"),
            std::string::npos)
      << r.err;
  const auto entries = a.ledger_entries();
  EXPECT_EQ(entry_field(entries.back(), 6), "6");
  // Two hops: the third key continues too.
  ASSERT_EQ(a.rotate("new.key", "third.key", a.path("r2.wire")).exit_code, 0);
  r = a.ws().sign({"--out", a.path("third.wire"),
                   a.ws().write_input("auto3.json", cluster_input(kSubject, "auto"))},
                  a.path("third.key"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(entry_field(a.ledger_entries().back(), 6), "7");
  // Another name, or the bootstrap record of the same name, starts afresh.
  r = a.ws().sign({"--out", a.path("boot.wire"),
                   a.ws().write_input("boot.json", bootstrap_input(kSubject, "auto"))},
                  a.path("third.key"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(entry_field(a.ledger_entries().back(), 6), "1");
}

TEST(RotateCeremony, OneStepAndZoneOutputs) {
  Laptop a("A");
  const std::string old_pub = a.keygen("old.key");
  a.keygen("new.key");
  const fs::path out = a.path("rotation.nsupdate");
  auto r = a.rotate("old.key", "new.key", out, {"--format", "nsupdate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string script = read_file(out);
  // The rotate RRset is append-only: the script adds and never deletes.
  EXPECT_EQ(script.find("update delete"), std::string::npos) << script;
  EXPECT_EQ(script.rfind("zone mesh.example.com.\nupdate add rotate.cluster.mesh.example.com. 300 "
                         "TXT \"v=dmp1;t=rotation;",
                         0),
            0u)
      << script;
  EXPECT_EQ(a.ledger_entries().size(), 2u);  // one entry per key that signed
}

TEST(RotateRefusals, TamperedBodyIsRefusedEverywhere) {
  Signed s;
  auto request = read_json(s.request);
  std::string body = request["body"];
  body[body.size() - 1] = body.back() == '0' ? '1' : '0';  // exp's last byte
  request["body"] = body;
  const fs::path tampered = s.laptop.path("tampered.json");
  write_file(tampered, request.dump());
  const fs::path out = s.laptop.path("tampered.wire");
  for (const auto& args :
       {std::vector<std::string>{"rotate", "assemble", tampered, "--now", kNowText, "--out", out},
        std::vector<std::string>{"rotate", "show", tampered}}) {
    auto r = s.laptop.run(args);
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "bad_signature"));
    EXPECT_NE(r.err.find("sig_old"), std::string::npos) << r.err;
  }
  const auto entries = s.laptop.ledger_entries().size();
  auto r = s.laptop.sign_half("sign-old", "old.key", tampered);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_EQ(s.laptop.ledger_entries().size(), entries);
  EXPECT_FALSE(fs::exists(out));
}

TEST(RotateRefusals, SwappedSignaturesAreRefused) {
  Signed s;
  auto request = read_json(s.request);
  std::swap(request["sig_old"], request["sig_new"]);
  const fs::path swapped = s.laptop.path("swapped.json");
  write_file(swapped, request.dump());
  const fs::path out = s.laptop.path("swapped.wire");
  auto r = s.laptop.run({"rotate", "assemble", swapped, "--now", kNowText, "--out", out});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(r, "bad_signature"));
  EXPECT_FALSE(fs::exists(out));

  // A wire whose signatures are in the wrong order (new first) is refused
  // by the verifier, however it was made.
  const auto body = from_hex(read_json(s.request)["body"]);
  Signature sig_old{}, sig_new{};
  const auto old_bytes = from_hex(read_json(s.request)["sig_old"]);
  const auto new_bytes = from_hex(read_json(s.request)["sig_new"]);
  std::copy(old_bytes.begin(), old_bytes.end(), sig_old.begin());
  std::copy(new_bytes.begin(), new_bytes.end(), sig_new.begin());
  auto wrong_order = assemble_rotation_wire(body, sig_new, sig_old);
  ASSERT_TRUE(wrong_order);
  write_file(out, *wrong_order);
  auto v = verify(s.old_pub, out);
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("bad_signature"), std::string::npos) << v.out;
  auto right_order = assemble_rotation_wire(body, sig_old, sig_new);
  ASSERT_TRUE(right_order);
  write_file(out, *right_order);
  EXPECT_EQ(verify(s.old_pub, out).exit_code, 0);
}

TEST(RotateRefusals, EachHalfNeedsItsOwnKey) {
  Laptop a("A");
  a.keygen("old.key");
  const std::string new_pub = a.keygen("new.key");
  a.keygen("third.key");
  const fs::path request = a.path("rotation.json");
  ASSERT_EQ(a.prepare(a.path("old.key"), new_pub, request).exit_code, 0);
  const std::string before = read_file(request);
  for (const auto& [half, key] :
       {std::pair("sign-old", "new.key"), std::pair("sign-new", "old.key"),
        std::pair("sign-old", "third.key")}) {
    SCOPED_TRACE(std::string(half) + " with " + key);
    auto r = a.sign_half(half, key, request);
    EXPECT_EQ(r.exit_code, kExitKeyFile) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "key_mismatch"));
    EXPECT_EQ(read_file(request), before);
  }
  EXPECT_TRUE(a.ledger_entries().empty());
  // Assembling with one signature missing names the missing one.
  ASSERT_EQ(a.sign_half("sign-old", "old.key", request).exit_code, 0);
  auto r = a.run({"rotate", "assemble", request, "--now", kNowText, "--out", a.path("x.wire")});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
  EXPECT_NE(r.err.find("sig_new: missing"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(a.path("x.wire")));
  // Signing the same half again changes nothing.
  const std::string signed_once = read_file(request);
  r = a.sign_half("sign-old", "old.key", request);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(request), signed_once);
  EXPECT_EQ(a.ledger_entries().size(), 1u);
}

TEST(RotateRefusals, SeqForksLoopsAndRevokedKeys) {
  Laptop a("A");
  a.keygen("k1.key");
  a.keygen("k2.key");
  a.keygen("k3.key");
  a.keygen("k4.key");
  ASSERT_EQ(a.rotate("k1.key", "k2.key", a.path("r1.wire"), {"--seq", "10"}).exit_code, 0);
  // The next hop needs a higher seq, whatever the key.
  auto r = a.rotate("k2.key", "k3.key", a.path("r2.wire"), {"--seq", "10"});
  EXPECT_EQ(r.exit_code, kExitSeq) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "seq_not_increasing"));
  EXPECT_FALSE(fs::exists(a.path("r2.wire")));
  // A second successor of k1 is a fork clients refuse.
  r = a.rotate("k1.key", "k3.key", a.path("fork.wire"), {"--seq", "11"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
  EXPECT_NE(r.err.find("fork"), std::string::npos) << r.err;
  ASSERT_EQ(a.rotate("k2.key", "k3.key", a.path("r2.wire"), {"--seq", "11"}).exit_code, 0);
  // Back to a key already rotated away from is a loop.
  r = a.rotate("k3.key", "k1.key", a.path("loop.wire"), {"--seq", "12"});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("loop"), std::string::npos) << r.err;
  // --seq auto continues the chain.
  r = a.rotate("k3.key", "k4.key", a.path("r3.wire"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(a.ledger_entries().size(), 6u);
  // The bootstrap-signer chain of the same name is another chain (another
  // RRset, rotate._dmp.): no fork, no seq clash with the cluster-operator one.
  r = a.run({"rotate",
             "--old-key",
             a.path("k1.key"),
             "--new-key",
             a.path("k3.key"),
             "--old-passphrase-file",
             a.ws().pass_file(),
             "--new-passphrase-file",
             a.ws().pass_file(),
             "--subject-type",
             "bootstrap-signer",
             "--subject",
             kSubject,
             "--state-dir",
             a.state(),
             "--now",
             kNowText,
             "--seq",
             "1",
             "--yes",
             "--out",
             a.path("boot.wire")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // A revoked key can be neither end of a rotation.
  Laptop b("B");
  b.keygen("k1.key");
  b.keygen("k2.key");
  ASSERT_EQ(b.revoke("k1.key", "compromise", b.path("rev.wire")).exit_code, 0);
  r = b.rotate("k1.key", "k2.key", b.path("r.wire"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("old_spk: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("revoked"), std::string::npos) << r.err;
  r = b.rotate("k2.key", "k1.key", b.path("r.wire"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("new_spk: "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(b.path("r.wire")));
}

// A full standard output is an I/O error, not a silent success.
TEST(RotateRefusals, FailedWriteToStandardOutput) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/dev/full"), "/dev/full");
  Signed s;
  auto r = run_process({"/bin/sh", "-c",
                        std::string("exec ") + DMP_SIGN_BIN + " rotate assemble " +
                            s.request.string() + " --now " + kNowText + " > /dev/full"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "io_error"));
}

// The one-step form's options given before a step would be dropped: refused.
TEST(RotateRefusals, OneStepOptionsBeforeAStep) {
  Signed s;
  const std::string before = read_file(s.request);
  auto r = s.laptop.run({"rotate", "--state-dir", s.laptop.path("elsewhere"), "assemble", s.request,
                         "--now", kNowText, "--out", s.laptop.path("r.wire")});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "usage"));
  EXPECT_NE(r.err.find("--state-dir before 'assemble'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(s.laptop.path("r.wire")));
  EXPECT_FALSE(fs::exists(s.laptop.path("elsewhere")));
}

// sign-old made, the new key lost before sign-new: the old key may name
// another successor, but only when told so, and the review says what it does.
TEST(RotateRefusals, AnUnfinishedRotationIsAbandonedOnlyExplicitly) {
  Laptop a("A");
  a.keygen("old.key");
  const std::string lost = a.keygen("lost.key");
  const std::string spare = a.keygen("spare.key");
  ASSERT_EQ(a.prepare(a.path("old.key"), lost, a.path("first.json")).exit_code, 0);
  ASSERT_EQ(a.sign_half("sign-old", "old.key", a.path("first.json")).exit_code, 0);
  auto r = a.prepare(a.path("old.key"), spare, a.path("second.json"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("--abandon-unfinished"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(a.path("second.json")));
  r = a.prepare(a.path("old.key"), spare, a.path("second.json"), {"--abandon-unfinished"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = a.sign_half("sign-old", "old.key", a.path("second.json"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;  // each step needs the flag
  r = a.run({"rotate", "sign-old", "--key", a.path("old.key"), "--passphrase-file",
             a.ws().pass_file(), "--state-dir", a.state(), "--now", kNowText, "--yes",
             "--abandon-unfinished", a.path("second.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("WARNING: replaces the unfinished rotation"), std::string::npos) << r.err;
  // Every step on a laptop whose ledger holds the unfinished rotation says so.
  r = a.run({"rotate", "sign-new", "--key", a.path("spare.key"), "--passphrase-file",
             a.ws().pass_file(), "--state-dir", a.state(), "--now", kNowText, "--yes",
             "--abandon-unfinished", a.path("second.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(a.run({"rotate", "assemble", a.path("second.json"), "--now", kNowText, "--out",
                   a.path("second.wire")})
                .exit_code,
            0);
}

// A low-order key could never sign its half; prepare refuses it at once.
TEST(RotateRefusals, LowOrderKeysInPrepare) {
  Laptop a("A");
  a.keygen("old.key");
  auto r = a.prepare(a.path("old.key"), std::string(64, '0'), a.path("x.json"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "bad_key"));
  EXPECT_FALSE(fs::exists(a.path("x.json")));
}

TEST(RotateRefusals, OutOfScopeAndNonCanonicalSubjects) {
  Laptop a("A");
  const std::string old_pub = a.keygen("old.key");
  const std::string new_pub = a.keygen("new.key");
  for (const std::string subject : {"Mesh.example.com", "mesh.example.com."}) {
    auto r = a.run({"rotate", "prepare", "--old-key", old_pub, "--new-key", new_pub,
                    "--subject-type", "cluster-operator", "--subject", subject, "--out",
                    a.path("x.json"), "--state-dir", a.state()});
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
    EXPECT_NE(r.err.find("canonical"), std::string::npos) << r.err;
  }
  // A user-identity request (the client's business) is refused by every step.
  RotationRecord user;
  user.subject_type = SubjectType::user_identity;
  user.subject = "alice@example.com";
  const auto old_bytes = from_hex(old_pub), new_bytes = from_hex(new_pub);
  std::copy(old_bytes.begin(), old_bytes.end(), user.old_spk.begin());
  std::copy(new_bytes.begin(), new_bytes.end(), user.new_spk.begin());
  user.seq = 1;
  user.exp = kNow + kDay;
  auto body = encode_body(user);
  ASSERT_TRUE(body);
  const fs::path request = a.path("user.json");
  write_file(
      request,
      nlohmann::json{{"dmp_rotation_request", 1}, {"body", encoding::hex_encode(*body)}}.dump());
  auto r = a.sign_half("sign-old", "old.key", request);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("subject_type"), std::string::npos) << r.err;
  EXPECT_TRUE(a.ledger_entries().empty());
  // "x.." passes the verifier's subject rule but is not what prepare writes:
  // a request carrying it is refused before it can reach the ledger.
  RotationRecord dotted = user;
  dotted.subject_type = SubjectType::cluster_operator;
  dotted.subject = kSubject + "..";
  body = encode_body(dotted);
  ASSERT_TRUE(body);
  write_file(
      request,
      nlohmann::json{{"dmp_rotation_request", 1}, {"body", encoding::hex_encode(*body)}}.dump());
  r = a.sign_half("sign-old", "old.key", request);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find("canonical"), std::string::npos) << r.err;
  EXPECT_TRUE(a.ledger_entries().empty());
  EXPECT_EQ(a.run({"ledger", "verify", "--state-dir", a.state()}).exit_code, 0);
  // prepare never overwrites a request.
  ASSERT_EQ(a.prepare(old_pub, new_pub, a.path("once.json")).exit_code, 0);
  r = a.prepare(old_pub, new_pub, a.path("once.json"));
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "already_exists"));
}

TEST(Revoke, NeedsTypedConfirmationOrTheLongFlag) {
  Laptop a("A");
  a.keygen("old.key");
  const fs::path out = a.path("revocation.wire");
  auto r = a.revoke("old.key", "compromise", out, {"--yes"});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "usage"));
  EXPECT_NE(r.err.find("--yes-i-mean-it"), std::string::npos) << r.err;
  // No terminal to type the fingerprint on (setsid: none even when the tests
  // run from one).
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/setsid"), "setsid(1)");
  r = a.run(
      {"/usr/bin/setsid", DMP_SIGN_BIN, "revoke", "--key", a.path("old.key"), "--passphrase-file",
       a.ws().pass_file(), "--state-dir", a.state(), "--now", kNowText, "--subject-type",
       "cluster-operator", "--subject", kSubject, "--reason", "compromise", "--out", out},
      "/usr/bin/env");
  EXPECT_EQ(r.exit_code, kExitNotConfirmed) << r.err;
  EXPECT_NE(r.err.find("IRREVERSIBLE"), std::string::npos) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "not_confirmed"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(a.ledger_entries().empty());
  r = a.revoke("old.key", "compromise", out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(a.ledger_entries().size(), 1u);
  EXPECT_EQ(entry_field(a.ledger_entries()[0], 3), "revocation");
}

// On a terminal (script(1) gives the command a pseudo-terminal fed from our
// input): a reflexive "y" declines; the fingerprint, typed, confirms.
TEST(Revoke, TypedFingerprintConfirmsOnATerminal) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/script"), "script(1)");
  Laptop a("A");
  const std::string pub = a.keygen("old.key");
  const std::string fingerprint = nlohmann::json::parse(
      a.run({"pubkey", "--key", a.path("old.key"), "--format", "json"}).out)["fingerprint"];
  const fs::path out = a.path("revocation.wire");
  const std::string command = std::string(DMP_SIGN_BIN) + " revoke --key " +
                              a.path("old.key").string() + " --passphrase-file " +
                              a.ws().pass_file().string() + " --state-dir " + a.state().string() +
                              " --now " + kNowText + " --subject-type cluster-operator --subject " +
                              kSubject + " --reason compromise --out " + out.string();
  auto r = run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, "y\n");
  EXPECT_EQ(r.exit_code, kExitNotConfirmed) << r.out;
  EXPECT_NE(r.out.find("not confirmed"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(a.ledger_entries().empty());
  r = run_process({"/usr/bin/script", "-qec", command, "/dev/null"}, fingerprint + "\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(verify(pub, out).exit_code, 0);
  EXPECT_EQ(a.ledger_entries().size(), 1u);
}

TEST(Revoke, ReplayIsRefused) {
  Laptop a("A");
  const std::string pub = a.keygen("old.key");
  const std::string other = a.keygen("other.key");
  const fs::path out = a.path("revocation.wire");
  ASSERT_EQ(a.revoke("old.key", "compromise", out).exit_code, 0);
  EXPECT_EQ(verify(pub, out, {"--name", kSubject}).exit_code, 0);
  // Against another subject, another pinned key, or past a freshness cap.
  auto v = verify(pub, out, {"--name", "other.example.com"});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("name_mismatch"), std::string::npos) << v.out;
  v = verify(other, out);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("key_mismatch"), std::string::npos) << v.out;
  v = run_process({DMP_VERIFY_BIN, "--pubkey", pub, "--now", std::to_string(kNow + 31 * kDay),
                   "--max-age", std::to_string(30 * kDay), out});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("revocation_stale"), std::string::npos) << v.out;
  // Dated in the future (more than 300 s of skew): refused by the signer.
  auto r = a.revoke("old.key", "compromise", a.path("future.wire"),
                    {"--yes-i-mean-it", "--ts", std::to_string(kNow + 301)});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
  EXPECT_FALSE(fs::exists(a.path("future.wire")));
}

// SIGKILL at every step of `rotate sign-old`.
const char* const kSignHalfSteps[] = {
    "locked",         "confirmed",      "unlocked",       "signed",         "verified",
    "ledger_written", "ledger_synced",  kReplaceSteps[0], kReplaceSteps[1], kReplaceSteps[2],
    kReplaceSteps[3], kReplaceSteps[4], "head_written",   "wire_written"};

bool recorded_by(const std::string& step) {
  return step != "locked" && step != "confirmed" && step != "unlocked" && step != "signed" &&
         step != "verified";
}

class RotateCrashAt : public ::testing::TestWithParam<const char*> {};

TEST_P(RotateCrashAt, SignOldLeavesAConsistentState) {
  const std::string step = GetParam();
  Laptop a("A");
  a.keygen("old.key");
  const std::string new_pub = a.keygen("new.key");
  const fs::path request = a.path("rotation.json");
  ASSERT_EQ(a.prepare(a.path("old.key"), new_pub, request).exit_code, 0);
  auto crashed = a.sign_half("sign-old", "old.key", request, DMP_SIGN_FAULTY_BIN,
                             environment_with({"DMP_TEST_CRASH_AT=" + step}));
  ASSERT_EQ(crashed.exit_code, kKilled) << "did not crash at " << step << ": " << crashed.err;
  // No signature outside without its ledger entry.
  const bool has_sig = read_json(request).contains("sig_old");
  EXPECT_EQ(has_sig, step == "wire_written");
  EXPECT_EQ(a.ledger_entries().size(), recorded_by(step) ? 1u : 0u);
  EXPECT_EQ(temporary_files(a.path("")).size() <= 1, true);  // at most the head's temporary

  auto retry = a.sign_half("sign-old", "old.key", request);
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_TRUE(read_json(request).contains("sig_old"));
  const auto entries = a.ledger_entries();
  ASSERT_EQ(entries.size(), step == "wire_written" ? 1u : (recorded_by(step) ? 2u : 1u));
  if (recorded_by(step) && step != "wire_written") {
    EXPECT_EQ(entry_field(entries[1], 2), "reemit");
  }
  EXPECT_EQ(a.run({"ledger", "verify", "--state-dir", a.state()}).exit_code, 0);
  EXPECT_EQ(a.sign_half("sign-new", "new.key", request).exit_code, 0);
  EXPECT_EQ(a.run({"rotate", "assemble", request, "--now", kNowText, "--out", a.path("r.wire")})
                .exit_code,
            0);
}

INSTANTIATE_TEST_SUITE_P(EveryStep, RotateCrashAt, ::testing::ValuesIn(kSignHalfSteps),
                         [](const auto& param) { return std::string(param.param); });

}  // namespace
}  // namespace dmp::test
