// The signing ceremony's promises at its edges, end to end through the real
// dmp-sign (issue: "one signing ceremony"): outputs are checked before the
// review (a key file, the ledger, a FIFO, a device, a missing directory is
// refused and burns no seq), an output that fails after signing is kept and
// re-emitted without a second signature, a seq never silently restarts
// under another key or in a ledger that has never seen the name, and seq
// 2^64-1 needs saying so.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

constexpr int kExitIo = 7;
constexpr int kExitOutputRefused = 15;
constexpr int kExitKeyChange = 16;
constexpr int kExitFirstSignature = 17;

class Ceremony : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    input_ = ws_.write_input("cluster.json", cluster_input("mesh.example.com", "auto"));
  }

  // Signing `input_` to `out` is refused before anything is signed: exit
  // 15, one line naming the output, no ledger entry, the target untouched.
  void expect_output_refused(const std::string& out, const std::string& words) {
    const auto before = ws_.ledger_entries();
    auto r = ws_.sign({"--out", out, input_});
    EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "output_refused")) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("dmp-sign: review"), std::string::npos) << "refused before the review";
    EXPECT_EQ(ws_.ledger_entries(), before);
  }

  std::string seq_of_entry(std::size_t i) { return entry_field(ws_.ledger_entries().at(i), 6); }

  SignWorkspace ws_;
  std::string pub_;
  fs::path input_;
};

// --- output preflight --------------------------------------------------------

TEST_F(Ceremony, OutOnTheKeyFileIsRefusedAndTheKeyKept) {
  const std::string key = read_file(ws_.key_file());
  expect_output_refused(ws_.key_file(), "is the key file");
  EXPECT_EQ(read_file(ws_.key_file()), key);
  // Another spelling of the same file, and a hard link to it.
  expect_output_refused((ws_.root() / "." / "operator.key").string(), "is the key file");
  ASSERT_EQ(::link(ws_.key_file().c_str(), ws_.path("alias.key").c_str()), 0);
  expect_output_refused(ws_.path("alias.key"), "is the key file");
  EXPECT_EQ(read_file(ws_.key_file()), key);
}

TEST_F(Ceremony, OutOnAnyKeyFileIsRefused) {
  // Not the signing key: a backup of another key beside the wire.
  const fs::path backup = ws_.path("backup.key");
  ws_.keygen(backup);
  const std::string key = read_file(backup);
  expect_output_refused(backup, "holds a DMP key file");
  EXPECT_EQ(read_file(backup), key);
}

TEST_F(Ceremony, OutOnThePassphraseFileOrTheInputIsRefused) {
  expect_output_refused(ws_.pass_file(), "is the passphrase file");
  expect_output_refused(input_, "is an input file");
  EXPECT_TRUE(fs::exists(input_));
}

TEST_F(Ceremony, AnOutputNamedLikeAProtectedFileIsRefusedBeforeThatFileExists) {
  // A typo that names the passphrase file as the output: refused by its name,
  // not only by its inode, so before the missing file is ever read.
  const fs::path typo = ws_.path("typo.pass");
  auto r = ws_.run({"sign", "--first", "--key", ws_.key_file(), "--passphrase-file", typo,
                    "--state-dir", ws_.state(), "--yes", "--now", kNowText, "--out", typo, input_});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "output_refused")) << r.err;
  EXPECT_NE(r.err.find("is the passphrase file"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(typo));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(Ceremony, OutInTheStateDirectoryIsRefusedAndTheLedgerKept) {
  ASSERT_EQ(ws_.sign({"--out", ws_.path("c.wire"), input_}).exit_code, 0);
  const std::string ledger = read_file(ws_.ledger_file());
  expect_output_refused(ws_.ledger_file(), "inside the state directory");
  expect_output_refused(ws_.head_file(), "inside the state directory");
  expect_output_refused(ws_.state() / "new.wire", "inside the state directory");
  EXPECT_EQ(read_file(ws_.ledger_file()), ledger);
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
}

// `ledger export --out` writes a file too, through the same preflight: it
// can replace neither a key file nor the ledger it exports.
TEST_F(Ceremony, LedgerExportCannotOverwriteAKeyOrTheLedger) {
  ASSERT_EQ(ws_.sign({"--out", ws_.path("c.wire"), input_}).exit_code, 0);
  const std::string key = read_file(ws_.key_file());
  const std::string ledger = read_file(ws_.ledger_file());
  // A FIFO of the test's own, not /dev/null: run as root with a broken
  // preflight (a mutant), the export would replace the device for the whole
  // machine.
  const fs::path fifo = ws_.path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const auto& [out, words] :
       {std::pair<fs::path, std::string>{ws_.key_file(), "holds a DMP key file"},
        {ws_.ledger_file(), "inside the state directory"},
        {ws_.path("no-such-dir") / "marks.json", "directory"},
        {fifo, "outputs are written only as regular files"}}) {
    auto r = ws_.ledger("export", {"--out", out.string()});
    EXPECT_EQ(r.exit_code, kExitOutputRefused) << out << ": " << r.err;
    EXPECT_TRUE(one_line_refusal(r, "output_refused")) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  }
  EXPECT_EQ(read_file(ws_.key_file()), key);
  EXPECT_EQ(read_file(ws_.ledger_file()), ledger);
  EXPECT_EQ(ws_.ledger("export", {"--out", ws_.path("marks.json").string()}).exit_code, 0);
}

TEST_F(Ceremony, NonRegularTargetsAreRefused) {
  const fs::path fifo = ws_.path("fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_output_refused(fifo, "is a FIFO");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO is still a FIFO";
  fs::create_directory(ws_.path("adir"));
  expect_output_refused(ws_.path("adir"), "is a directory");
  fs::create_symlink(ws_.path("elsewhere.wire"), ws_.path("link.wire"));
  expect_output_refused(ws_.path("link.wire"), "is a symbolic link");
  // A device node (root can make one in the test's own directory).
  const fs::path device = ws_.path("null-device");
  if (::mknod(device.c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0) {
    expect_output_refused(device, "is a character device");
    ASSERT_EQ(::lstat(device.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
  }
}

TEST_F(Ceremony, MissingDirectoriesAreRefusedBeforeTheReview) {
  expect_output_refused(ws_.path("no-such-dir/c.wire"), "does not exist");
  auto r = ws_.sign({"--out-dir", ws_.path("no-such-out-dir"), input_});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "output_refused")) << r.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());
  // Nothing burned: the same input now signs seq 1.
  ASSERT_EQ(ws_.sign({"--out", ws_.path("c.wire"), input_}).exit_code, 0) << r.err;
  EXPECT_EQ(seq_of_entry(0), "1");
}

TEST_F(Ceremony, TwoInputsForOneOutputAreRefused) {
  const fs::path other = ws_.write_input("other.json", cluster_input("mesh2.example.com", "auto"));
  auto r = ws_.sign({"--out-dir", ws_.root(), input_, input_});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_NE(r.err.find("named twice"), std::string::npos) << r.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());
  EXPECT_EQ(ws_.sign({"--out-dir", ws_.root(), input_, other}).exit_code, 0);
}

// --- an output that fails after signing ----------------------------------------

TEST_F(Ceremony, FullStandardOutputKeepsTheWireForReemit) {
  // `expires_in` makes every run's body new: re-signing would need a new seq.
  auto input = cluster_input("mesh.example.com", "auto");
  input.erase("exp");
  input["expires_in"] = "30d";
  const fs::path in = ws_.write_input("expiring.json", input);
  auto args = ws_.sign_args({in});
  args.insert(args.begin(), DMP_SIGN_BIN);
  const std::string command = "exec " + [&] {
    std::string joined;
    for (const auto& a : args)
      joined += "'" + a + "' ";
    return joined;
  }() + ">/dev/full";
  auto r = run_process({"/bin/sh", "-c", command});
  EXPECT_EQ(r.exit_code, kExitIo) << r.err;
  EXPECT_NE(r.err.find("ledger entry 1 was recorded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dmp-sign ledger reemit --state-dir " + ws_.state().string() +
                       " --entry 1 --out FILE"),
            std::string::npos)
      << r.err;
  ASSERT_EQ(ws_.ledger_entries().size(), 1u);

  // The message's command writes the signed wire; nothing is signed again.
  const fs::path out = ws_.path("recovered.wire");
  r = ws_.run({"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "1", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
  EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
  // The wire is the one the ledger recorded: its body hash matches.
  const std::string wire = read_file(out);
  EXPECT_EQ(wire.find('\n'), std::string::npos);
  r = ws_.run({"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "1", "--out", "-",
               "--format", "zone"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cluster.mesh.example.com."), std::string::npos) << r.out;
}

TEST_F(Ceremony, ReemitRefusesAnArchiveThatDoesNotMatchItsEntry) {
  ASSERT_EQ(ws_.sign({"--out", ws_.path("one.wire"), input_}).exit_code, 0);
  ASSERT_EQ(ws_.sign({"--out", ws_.path("two.wire"), input_}).exit_code, 0);
  // Entry 1's archive replaced by entry 2's wire: a valid wire, another body.
  fs::copy_file(ws_.state() / "wires" / "2", ws_.state() / "wires" / "1",
                fs::copy_options::overwrite_existing);
  const fs::path out = ws_.path("again.wire");
  auto r = ws_.run({"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "1", "--out", out});
  EXPECT_EQ(r.exit_code, kExitLedger) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "ledger_corrupt")) << r.err;
  EXPECT_FALSE(fs::exists(out));
  r = ws_.run({"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "9", "--out", out});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  // reemit's own output is preflighted like the ceremony's: it knows no key
  // file, yet never writes over one (nor over a ledger).
  const std::string key = read_file(ws_.key_file());
  r = ws_.run(
      {"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "2", "--out", ws_.key_file()});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_NE(r.err.find("holds a DMP key file"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(ws_.key_file()), key);
  fs::copy_file(ws_.ledger_file(), ws_.path("ledger-copy"));
  r = ws_.run({"ledger", "reemit", "--state-dir", ws_.state(), "--entry", "2", "--out",
               ws_.path("ledger-copy")});
  EXPECT_EQ(r.exit_code, kExitOutputRefused) << r.err;
  EXPECT_NE(r.err.find("holds a dmp-signer ledger"), std::string::npos) << r.err;
}

// --- seq and key continuity --------------------------------------------------------

TEST_F(Ceremony, AnotherKeyForAKnownNameIsAKeyChange) {
  ASSERT_EQ(ws_.sign({"--out", ws_.path("a1.wire"), input_}).exit_code, 0);
  ASSERT_EQ(ws_.sign({"--out", ws_.path("a2.wire"), input_}).exit_code, 0);
  const fs::path other_key = ws_.path("other.key");
  const std::string other_pub = ws_.keygen(other_key);
  const fs::path out = ws_.path("b.wire");
  auto r = ws_.sign({"--out", out, input_}, other_key);
  EXPECT_EQ(r.exit_code, kExitKeyChange) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "key_change")) << r.err;
  EXPECT_NE(r.err.find("at seq 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dmp1:"), std::string::npos) << "names the last key's fingerprint";
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(ws_.ledger_entries().size(), 2u);

  // Said explicitly: signed, loudly, and the seq continues above the old key's.
  r = ws_.sign({"--out", out, "--allow-key-change", input_}, other_key);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("KEY CHANGE"), std::string::npos) << r.err;
  EXPECT_EQ(seq_of_entry(2), "3");
  EXPECT_EQ(ws_.verify(other_pub, out).exit_code, 0);
}

TEST_F(Ceremony, ANameWithNoHistoryNeedsPreviousOrFirst) {
  const std::vector<std::string> plain{
      "sign",          "--key",       ws_.key_file(), "--passphrase-file",
      ws_.pass_file(), "--state-dir", ws_.state(),    "--yes",
      "--now",         kNowText,      "--out",        ws_.path("c.wire")};
  auto args = plain;
  args.push_back(input_);
  auto r = ws_.run(args);
  EXPECT_EQ(r.exit_code, kExitFirstSignature) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "first_signature")) << r.err;
  EXPECT_NE(r.err.find("--previous"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--first"), std::string::npos) << r.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());

  // A published record at seq 7, signed on another laptop (state dir).
  ASSERT_EQ(ws_.sign({"--out", ws_.path("published.wire"),
                      ws_.write_input("seven.json", cluster_input("mesh.example.com", 7))},
                     {}, ws_.path("other-laptop"))
                .exit_code,
            0);
  // A fresh (deleted, restored, other) state dir cannot restart at 1: the
  // published record is the floor.
  args = plain;
  args.insert(args.end(), {"--previous", ws_.path("published.wire"), input_});
  r = ws_.run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(seq_of_entry(0), "8");
  // With the ledger's history, neither flag is needed.
  args = plain;
  args.push_back(input_);
  r = ws_.run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(seq_of_entry(1), "9");
}

TEST_F(Ceremony, TheTopSeqNeedsSayingSo) {
  const fs::path in = ws_.write_input("top.json", cluster_input("mesh.example.com", UINT64_MAX));
  auto r = ws_.sign({"--out", ws_.path("top.wire"), in});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field")) << r.err;
  EXPECT_NE(r.err.find("--allow-max-seq"), std::string::npos) << r.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());
  r = ws_.sign({"--out", ws_.path("top.wire"), "--allow-max-seq", in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(seq_of_entry(0), "18446744073709551615");
  // Nothing follows it: "auto" says so, rather than wrapping to seq 0.
  r = ws_.sign({"--out", ws_.path("next.wire"), input_});
  EXPECT_EQ(r.exit_code, kExitSeq) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "seq_not_increasing")) << r.err;
  EXPECT_NE(r.err.find("already 2^64-1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("seq: 0 "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("next.wire")));
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
}

TEST_F(Ceremony, TheReviewAndTheEndShowTheLedgerAnchor) {
  auto r = ws_.sign({"--out", ws_.path("c.wire"), input_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ledger anchor before: 0:" + std::string(64, '0')), std::string::npos)
      << r.err;
  const std::string hash = entry_field(ws_.ledger_entries().at(0), 11);
  EXPECT_NE(r.err.find("ledger anchor now 1:" + hash), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dmp::test

// --- what the operator sees is what is signed --------------------------------------

#include <array>

#include "dmp/codec.hpp"
#include "support/test_keys.hpp"

namespace dmp::test {
namespace {

// No byte a terminal acts on: controls other than the line ends, DEL, C1
// (as UTF-8), bidi controls and zero-width characters.
::testing::AssertionResult has_no_raw_control(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b < 0x20 && b != '\n') || b == 0x7f) {
      return ::testing::AssertionFailure() << "raw byte " << int(b) << " at " << i << ":\n" << text;
    }
    if (b == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      return ::testing::AssertionFailure() << "raw C1 at " << i << ":\n" << text;
    }
    for (const char* seq : {"\xe2\x80\xae", "\xe2\x80\x8b", "\xe2\x81\xa6", "\xef\xbb\xbf"}) {
      if (text.compare(i, 3, seq) == 0) {
        return ::testing::AssertionFailure() << "raw bidi/zero-width at " << i << ":\n" << text;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// A wire whose fields carry what a hostile publisher could put there: the
// verifier accepts the reference's set, so it verifies. Signed by a fixed
// test key (X25519-style seed `seed_hex`), which a test can import.
struct HostileWire {
  std::string wire;
  std::string public_hex;
  std::string seed_hex;
};

HostileWire hostile_wire() {
  std::array<std::uint8_t, 32> x{};
  x.fill(0x5c);
  const TestKey key = key_from_x25519_seed(x);
  ClusterManifest manifest;
  manifest.cluster_name = "mesh.example.com";
  manifest.operator_spk = key.public_key;
  manifest.seq = 3;
  manifest.exp = kNow + 30 * kDay;
  manifest.nodes.push_back(
      ClusterNode{"n1", "https://n1.mesh.example.com\n    n2  https://evil.example\x1b[2K\r",
                  std::string("203.0.113.1:53\xe2\x80\xae")});
  manifest.nodes.push_back(ClusterNode{
      "n3\x1b]0;title\x07", std::string("https://n3.exa\xe2\x80\x8bmple\x7f"), std::nullopt});
  auto body = encode_body(Record(manifest));
  EXPECT_TRUE(body.has_value()) << body.error().message();
  auto wire = assemble_wire(RecordType::cluster, *body, sign_bytes(key, *body));
  EXPECT_TRUE(wire.has_value());
  return {*wire, encoding::hex_encode(key.public_key), encoding::hex_encode(x)};
}

TEST_F(Ceremony, AHostileWireIsShownEscapedByInspectAndVerify) {
  const HostileWire hostile = hostile_wire();
  const fs::path file = ws_.path("hostile.wire");
  write_file(file, hostile.wire);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"inspect", file, "--now", kNowText},
        std::vector<std::string>{"inspect", file, "--now", kNowText, "--pubkey",
                                 hostile.public_hex}}) {
    auto r = ws_.run(args);
    EXPECT_TRUE(has_no_raw_control(r.out)) << "stdout";
    EXPECT_TRUE(has_no_raw_control(r.err)) << "stderr";
    // Two nodes, shown as two lines: the forged "n2" is inside n1's line.
    std::size_t node_lines = 0;
    for (const auto& line : lines_of(r.out)) {
      if (line.rfind("    n", 0) == 0) ++node_lines;
    }
    EXPECT_EQ(node_lines, 2u) << r.out;
    EXPECT_NE(r.out.find("\\x1b[2K"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\\u202e"), std::string::npos) << r.out;
    // Escaped once: a second pass would show the escape's own backslash escaped.
    EXPECT_EQ(r.out.find("\\\\x1b"), std::string::npos) << r.out;
  }
  auto v = run_process({DMP_VERIFY_BIN, "--pubkey", hostile.public_hex, "--now", kNowText, file});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;  // the verifier keeps the reference's accept set
  EXPECT_TRUE(has_no_raw_control(v.out));
  EXPECT_TRUE(has_no_raw_control(v.err));
}

TEST_F(Ceremony, HostileFieldsAreRefusedWhenSigningWithTheirPath) {
  struct Case {
    std::string field;
    std::string value;
    std::string path;
  };
  for (const Case& c :
       {Case{"http_endpoint", "https://n1.example\n  n9 https://evil", ".http_endpoint"},
        Case{"dns_endpoint", "203.0.113.1:53\xe2\x80\xae", ".dns_endpoint"},
        Case{"node_id", "n1\x1b]0;title\x07", ".node_id"},
        Case{"http_endpoint", "https://n1.exa\xe2\x80\x8bmple", ".http_endpoint"},
        Case{"http_endpoint", "https://n1.example\x1b[31m", ".http_endpoint"}}) {
    auto input = cluster_input("mesh.example.com", "auto");
    input["nodes"][1][c.field] = c.value;
    const fs::path in = ws_.write_input("hostile.json", input);
    const fs::path out = ws_.path("hostile.wire");
    auto r = ws_.sign({"--out", out, in});
    EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "invalid_field")) << r.err;
    EXPECT_NE(r.err.find("nodes[1]" + c.path), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refused when signing"), std::string::npos) << r.err;
    EXPECT_TRUE(has_no_raw_control(r.err));
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_TRUE(ws_.ledger_entries().empty());
  // A refused name echoed in an error line stays one line, escaped.
  auto input = cluster_input("mesh\x1b[2J\n.example.com", "auto");
  auto r = ws_.sign({"--out", ws_.path("x.wire"), ws_.write_input("name.json", input)});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field")) << r.err;
  EXPECT_TRUE(has_no_raw_control(r.err));
}

TEST_F(Ceremony, RenewingAHostileWireIsRefusedWithTheFieldsPath) {
  // renew takes the record from the published wire, not from JSON input, so
  // the sign-side check is what keeps its fields out of a review that would
  // hide them, and out of a new signature.
  const HostileWire hostile = hostile_wire();
  const fs::path key = ws_.path("hostile.key");
  ASSERT_EQ(ws_.import_x25519_seed(hostile.seed_hex, key), hostile.public_hex);
  const fs::path from = ws_.path("hostile.wire");
  write_file(from, hostile.wire);
  const fs::path out = ws_.path("renewed.wire");
  auto r = ws_.run({"renew", "--key", key, "--passphrase-file", ws_.pass_file(), "--state-dir",
                    ws_.state(), "--yes", "--now", kNowText, "--from", from, "--out", out});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field")) << r.err;
  EXPECT_NE(r.err.find("nodes[0].http_endpoint"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused when signing"), std::string::npos) << r.err;
  EXPECT_TRUE(has_no_raw_control(r.err));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

}  // namespace
}  // namespace dmp::test
