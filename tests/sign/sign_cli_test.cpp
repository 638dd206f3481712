// `dmp-sign sign`, `renew` and `inspect` end to end: refusals of the input
// (exit code, [reason], one stderr line, nothing written), the output formats,
// batches, confirmation, the expiry policy, lint warnings and the wire cap.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "dmp/zone.hpp"
#include "sign/sign_test_support.hpp"
#include "support/prerequisite.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

constexpr std::uint64_t kFiveYears = 157'680'000;

class SignCli : public ::testing::Test {
 protected:
  void SetUp() override { pub_ = ws_.keygen(); }

  // Signs `input` expecting a refusal of that single record: exit code,
  // one-line stderr with the [reason], no output file, no new ledger entry.
  ProcessResult expect_refused(const nlohmann::json& input, int exit_code,
                               const std::string& reason,
                               const std::vector<std::string>& extra = {}) {
    const auto before = ws_.ledger_entries();
    const fs::path in = ws_.write_input("refused.json", input);
    const fs::path out = ws_.path("refused.wire");
    std::vector<std::string> args{"--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(in);
    auto r = ws_.sign(args);
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_TRUE(one_line_refusal(r, reason));
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(ws_.ledger_entries(), before);
    EXPECT_TRUE(temporary_files(ws_.root()).empty());
    return r;
  }

  SignWorkspace ws_;
  std::string pub_;
};

// --- input refusals, end to end ----------------------------------------------

TEST_F(SignCli, UnknownFieldIsRefusedWithItsPath) {
  auto input = cluster_input();
  input["nodes"][0]["nodeid"] = "n09";
  auto r = expect_refused(input, kExitInvalid, "invalid_field");
  EXPECT_NE(r.err.find("nodes[0].nodeid"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("refused.json"), std::string::npos) << r.err;  // names the file
}

TEST_F(SignCli, InvalidJsonIsRefused) {
  const fs::path in = ws_.path("broken.json");
  write_file(in, "{\"type\": \"cluster\",");
  auto r = ws_.sign({"--out", ws_.path("x.wire"), in});
  EXPECT_EQ(r.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
  EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
  // A number no double holds: a refusal, not an internal error.
  write_file(in, R"({"type": "cluster", "cluster_name": "mesh.example.com", "seq": 1e400})");
  r = ws_.sign({"--out", ws_.path("x.wire"), in});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
}

TEST_F(SignCli, MismatchingSigningKeyIsKeyMismatch) {
  auto input = cluster_input();
  input["operator_spk_hex"] = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";
  auto r = expect_refused(input, kExitKeyFile, "key_mismatch");
  EXPECT_NE(r.err.find("operator_spk_hex"), std::string::npos) << r.err;
  auto boot = bootstrap_input();
  boot["signer_spk_hex"] = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";
  expect_refused(boot, kExitKeyFile, "key_mismatch");
}

TEST_F(SignCli, MatchingSigningKeyInTheInputIsAccepted) {
  auto input = cluster_input();
  input["operator_spk_hex"] = pub_;
  ws_.sign_ok(input, "ok.wire");
  EXPECT_EQ(ws_.verify(pub_, ws_.path("ok.wire")).exit_code, 0);
}

TEST_F(SignCli, EmptyDnsEndpointIsRefusedNullIsAbsent) {
  auto input = cluster_input();
  input["nodes"][1]["dns_endpoint"] = "";
  auto r = expect_refused(input, kExitInvalid, "invalid_field");
  EXPECT_NE(r.err.find("dns_endpoint"), std::string::npos) << r.err;
  input["nodes"][1]["dns_endpoint"] = nullptr;
  input["nodes"][2].erase("dns_endpoint");
  ws_.sign_ok(input, "ok.wire");
  auto inspect =
      ws_.run({"inspect", "--json", "--pubkey", pub_, "--now", kNowText, ws_.path("ok.wire")});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  const auto j = nlohmann::json::parse(inspect.out);
  EXPECT_TRUE(j["nodes"][1]["dns_endpoint"].is_null());
  EXPECT_TRUE(j["nodes"][2]["dns_endpoint"].is_null());
  EXPECT_EQ(j["nodes"][0]["dns_endpoint"], "203.0.113.1:53");
}

TEST_F(SignCli, RuleBrokenByTheRecordIsRefused) {
  auto input = cluster_input();
  input["nodes"][1]["node_id"] = "n01";  // duplicate node_id
  expect_refused(input, kExitInvalid, "invalid_field");
  input = cluster_input();
  input["cluster_name"] = "mesh_example.com";
  expect_refused(input, kExitInvalid, "invalid_field");
  input = cluster_input();
  input["nodes"] = nlohmann::json::array();
  expect_refused(input, kExitInvalid, "invalid_field");
}

TEST_F(SignCli, InputFromStandardInput) {
  auto r = ws_.run(ws_.sign_args({"--out", ws_.path("stdin.wire"), "-"}), cluster_input().dump());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.verify(pub_, ws_.path("stdin.wire")).exit_code, 0);
}

TEST_F(SignCli, ExamplesSignAndVerify) {
  const fs::path examples = DMP_EXAMPLES_DIR;
  for (const char* name : {"cluster", "bootstrap"}) {
    SCOPED_TRACE(name);
    const fs::path in = examples / (std::string(name) + ".json");
    ASSERT_TRUE(fs::exists(in));
    for (int round = 1; round <= 2; ++round) {  // "auto" and "365d": signable again and again
      const fs::path out = ws_.path(std::string(name) + std::to_string(round) + ".wire");
      auto r = ws_.sign({"--out", out, in});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
      EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
      auto j = nlohmann::json::parse(ws_.run({"inspect", "--json", out}).out);
      EXPECT_EQ(j["seq"], std::to_string(round));
      EXPECT_EQ(j["exp"], std::to_string(kNow + 365 * kDay));
    }
  }
}

// --- expiry policy -------------------------------------------------------------

TEST_F(SignCli, ExpInThePastIsRefusedUnlessAllowed) {
  auto input = cluster_input();
  input["exp"] = kNow - 1;
  auto r = expect_refused(input, kExitInvalid, "expiry_policy");
  EXPECT_NE(r.err.find("--allow-expired"), std::string::npos) << r.err;
  ws_.sign_ok(input, "expired.wire", {"--allow-expired"});
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
}

TEST_F(SignCli, ExpBeyondFiveYearsIsAlwaysRefused) {
  auto input = cluster_input();
  input["exp"] = kNow + kFiveYears + 1;
  expect_refused(input, kExitInvalid, "expiry_policy");
  expect_refused(input, kExitInvalid, "expiry_policy", {"--allow-expired"});
  input["exp"] = kNow + kFiveYears;  // the verifiers' ceiling is inclusive
  ws_.sign_ok(input, "edge.wire");
  EXPECT_EQ(ws_.verify(pub_, ws_.path("edge.wire")).exit_code, 0);
}

TEST_F(SignCli, ExpiresInIsRelativeToTheSigningClock) {
  auto input = cluster_input();
  input.erase("exp");
  input["expires_in"] = "365d";
  ws_.sign_ok(input, "rel.wire");
  auto r = ws_.run({"inspect", "--json", ws_.path("rel.wire")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["exp"], std::to_string(kNow + 365 * kDay));
}

// --- lint warnings ------------------------------------------------------------

TEST_F(SignCli, UpperCaseNameIsAWarning) {
  const fs::path in = ws_.write_input("upper.json", cluster_input("Mesh.Example.com"));
  auto r = ws_.sign({"--out", ws_.path("upper.wire"), in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: 'Mesh.Example.com' has upper case"), std::string::npos) << r.err;
  // The ledger keys marks by the normalised name.
  ASSERT_EQ(ws_.ledger_entries().size(), 1u);
  EXPECT_EQ(entry_field(ws_.ledger_entries()[0], 4), "mesh.example.com");
}

TEST_F(SignCli, ShortValidityIsAWarning) {
  auto input = cluster_input();
  input["exp"] = kNow + 29 * kDay;
  const fs::path in = ws_.write_input("short.json", input);
  auto r = ws_.sign({"--out", ws_.path("short.wire"), in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("less than 30 days"), std::string::npos) << r.err;
  input["seq"] = 2;
  input["exp"] = kNow + 31 * kDay;
  r = ws_.sign({"--out", ws_.path("long.wire"), ws_.write_input("long.json", input)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

TEST_F(SignCli, BigSeqJumpIsAWarning) {
  ws_.sign_ok(cluster_input("mesh.example.com", 1), "one.wire");
  const fs::path in = ws_.write_input("jump.json", cluster_input("mesh.example.com", 5000));
  auto r = ws_.sign({"--out", ws_.path("jump.wire"), in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: seq jumps by 4999"), std::string::npos) << r.err;
}

// --- the 1200-byte cap ----------------------------------------------------------

TEST_F(SignCli, WireOverTheCapIsRefusedBeforeSigning) {
  auto input = cluster_input("mesh.example.com", 1, 32);
  for (auto& node : input["nodes"]) {
    node["http_endpoint"] = "https://" + node["node_id"].get<std::string>() +
                            ".a-rather-long-host-name.mesh.example.com:8053/v1";
  }
  auto r = expect_refused(input, kExitInvalid, "too_long");
  EXPECT_NE(r.err.find("1200"), std::string::npos) << r.err;
}

// --- confirmation ------------------------------------------------------------

TEST_F(SignCli, WithoutYesAndWithoutTerminalNothingIsSigned) {
  DMP_REQUIRE_PREREQUISITE(fs::exists("/usr/bin/setsid"), "setsid(1)");
  const fs::path in = ws_.write_input("c.json", cluster_input());
  const fs::path out = ws_.path("c.wire");
  // setsid: no controlling terminal, even when the tests run from one.
  auto r = run_process({"/usr/bin/setsid", DMP_SIGN_BIN, "sign", "--first", "--key", ws_.key_file(),
                        "--passphrase-file", ws_.pass_file(), "--state-dir", ws_.state(), "--now",
                        kNowText, "--out", out, in});
  EXPECT_EQ(r.exit_code, kExitNotConfirmed) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "not_confirmed"));
  EXPECT_NE(r.err.find("dmp-sign: review"), std::string::npos) << r.err;  // reviewed first
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

// --- output formats -------------------------------------------------------------

TEST_F(SignCli, WireFileHasNoNewlineStdoutHasOne) {
  const std::string wire = ws_.sign_ok(cluster_input(), "a.wire");
  ASSERT_FALSE(wire.empty());
  EXPECT_NE(wire.back(), '\n');
  EXPECT_EQ(wire.rfind("v=dmp1;t=cluster;", 0), 0u);

  auto input = cluster_input();
  input["seq"] = 2;
  auto r = ws_.sign({"--out", "-", ws_.write_input("b.json", input)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(lines_of(r.out).size(), 1u);
  EXPECT_EQ(r.out.rfind("v=dmp1;t=cluster;", 0), 0u);
  EXPECT_NE(r.err.find("standard output"), std::string::npos);
  // No --out at all is standard output too.
  input["seq"] = 3;
  r = ws_.sign({ws_.write_input("c.json", input)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("v=dmp1;t=cluster;", 0), 0u);
}

TEST_F(SignCli, ZoneFormatSplitsLikeTheReference) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  const auto& c = cases[1];  // 525 bytes: 255 + 255 + 15
  const fs::path key = ws_.path("vector.key");
  const std::string pub = ws_.import_x25519_seed(c["operator_seed_hex"].get<std::string>(), key);
  nlohmann::json input = c["inputs"];
  input["type"] = "cluster";
  const fs::path out = ws_.path("cluster.zone");
  auto r = ws_.sign({"--format", "zone", "--out", out, ws_.write_input("v.json", input)}, key);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string zone = read_file(out);
  const std::string wire = hex_to_text(c["expected_wire_hex"].get<std::string>());
  const std::string owner = "cluster." + c["inputs"]["cluster_name"].get<std::string>() + ".";
  EXPECT_EQ(zone, owner + " 3600 IN TXT \"" + wire.substr(0, 255) + "\" \"" +
                      wire.substr(255, 255) + "\" \"" + wire.substr(510) + "\"\n");
  ASSERT_EQ(wire.size() - 510, 15u);
  auto parsed = parse_txt_record(zone);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->joined, wire);
  EXPECT_EQ(parsed->ttl, 3600u);
  auto v = ws_.verify(pub, out);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(SignCli, ZoneFormatTtlOption) {
  const fs::path out = ws_.path("b.zone");
  auto r = ws_.sign({"--format", "zone", "--ttl", "600", "--out", out,
                     ws_.write_input("b.json", bootstrap_input())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out).rfind("_dmp.example.com. 600 IN TXT \"v=dmp1;t=bootstrap;", 0), 0u)
      << read_file(out);
  EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
}

TEST_F(SignCli, NsupdateFormatReplacesTheRrset) {
  auto r =
      ws_.sign({"--format", "nsupdate", "--out", "-", ws_.write_input("c.json", cluster_input())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto l = lines_of(r.out);
  ASSERT_EQ(l.size(), 4u) << r.out;
  EXPECT_EQ(l[0], "zone mesh.example.com.");
  EXPECT_EQ(l[1], "update delete cluster.mesh.example.com. TXT");
  EXPECT_EQ(l[2].rfind("update add cluster.mesh.example.com. 300 TXT \"v=dmp1;t=cluster;", 0), 0u)
      << l[2];
  EXPECT_EQ(l[3], "send");
  // The quoted pieces are the wire.
  auto parsed = parse_txt_record(l[2].substr(std::string("update add ").size()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  write_file(ws_.path("from-nsupdate.wire"), parsed->joined);
  EXPECT_EQ(ws_.verify(pub_, ws_.path("from-nsupdate.wire")).exit_code, 0);

  auto boot = bootstrap_input();
  r = ws_.sign({"--format", "nsupdate", "--out", "-", ws_.write_input("b.json", boot)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out)[0], "zone example.com.");
  EXPECT_EQ(lines_of(r.out)[1], "update delete _dmp.example.com. TXT");
}

TEST_F(SignCli, JsonFormatCarriesWireAndFields) {
  auto r = ws_.sign({"--format", "json", "--out", "-", ws_.write_input("c.json", cluster_input())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["type"], "cluster");
  EXPECT_EQ(j["rrset"], "cluster.mesh.example.com");
  EXPECT_EQ(j["name"], "mesh.example.com");
  EXPECT_EQ(j["seq"], "1");
  EXPECT_EQ(j["exp"], std::to_string(kNow + 365 * kDay));
  EXPECT_EQ(j["signing_key_hex"], pub_);
  EXPECT_EQ(j["nodes"].size(), 3u);
  EXPECT_EQ(j["nodes"][2]["node_id"], "n03");
  EXPECT_TRUE(j["fingerprint"].is_string());
  EXPECT_FALSE(j["fingerprint"].get<std::string>().empty());
  write_file(ws_.path("j.wire"), j["wire"].get<std::string>());
  EXPECT_EQ(ws_.verify(pub_, ws_.path("j.wire")).exit_code, 0);
}

// --- batches ---------------------------------------------------------------------

TEST_F(SignCli, BatchSignsEachRecordIntoTheOutputDirectory) {
  const fs::path dir = ws_.path("out");
  fs::create_directory(dir);
  auto r = ws_.sign({"--out-dir", dir, ws_.write_input("a.json", cluster_input("a.example.com")),
                     ws_.write_input("b.json", cluster_input("b.example.com")),
                     ws_.write_input("c.json", bootstrap_input("example.com"))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One review for the whole batch.
  std::size_t reviews = 0;
  for (std::size_t p = 0; (p = r.err.find("dmp-sign: review", p)) != std::string::npos; ++p)
    ++reviews;
  EXPECT_EQ(reviews, 1u) << r.err;
  for (const char* name :
       {"cluster.a.example.com.wire", "cluster.b.example.com.wire", "_dmp.example.com.wire"}) {
    EXPECT_TRUE(fs::exists(dir / name)) << name;
    EXPECT_EQ(ws_.verify(pub_, dir / name).exit_code, 0) << name;
  }
  EXPECT_EQ(ws_.ledger_entries().size(), 3u);
}

TEST_F(SignCli, QuietPrintsOneLinePerRecordWithTheAnchor) {
  const fs::path dir = ws_.path("out");
  fs::create_directory(dir);
  auto r = ws_.sign({"--quiet", "--out-dir", dir,
                     ws_.write_input("a.json", cluster_input("a.example.com")),
                     ws_.write_input("c.json", bootstrap_input("example.com"))});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;  // no review, no separate anchor line
  EXPECT_EQ(lines[0].rfind("dmp-sign: signed cluster.a.example.com seq 1 -> ", 0), 0u) << r.err;
  EXPECT_NE(lines[0].find("(ledger anchor 1:"), std::string::npos) << r.err;
  EXPECT_EQ(lines[1].rfind("dmp-sign: signed _dmp.example.com seq 1 -> ", 0), 0u) << r.err;
  EXPECT_NE(lines[1].find("(ledger anchor 2:"), std::string::npos) << r.err;
  EXPECT_EQ(ws_.ledger_entries().size(), 2u);
  EXPECT_EQ(ws_.verify(pub_, dir / "_dmp.example.com.wire").exit_code, 0);
}

TEST_F(SignCli, QuietStillPrintsEachWarningAndRefusal) {
  const fs::path dir = ws_.path("out");
  fs::create_directory(dir);
  auto short_lived = cluster_input("a.example.com");
  short_lived["exp"] = kNow + 29 * kDay;
  auto bad = cluster_input("b.example.com");
  bad["nodes"][0]["node_id"] = "";
  auto r = ws_.sign({"-q", "--out-dir", dir, ws_.write_input("a.json", short_lived),
                     ws_.write_input("b.json", bad)});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  const auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 4u) << r.err;  // warning, refusal, the signed record, the error
  EXPECT_NE(r.err.find("a.json: warning: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("less than 30 days"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("b.json: REFUSED: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dmp-sign: signed cluster.a.example.com seq 1"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir / "cluster.a.example.com.wire"));
  EXPECT_FALSE(fs::exists(dir / "cluster.b.example.com.wire"));
}

TEST_F(SignCli, QuietNeedsYes) {
  // The review is what an operator confirms: never hidden from one asked.
  std::vector<std::string> args = ws_.sign_args({"--quiet", "--out", ws_.path("a.wire").string(),
                                                 ws_.write_input("a.json", cluster_input())});
  args.erase(std::find(args.begin(), args.end(), "--yes"));
  auto r = ws_.run(args);
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_NE(r.err.find("--quiet requires --yes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[usage]"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("a.wire")));
  EXPECT_TRUE(!fs::exists(ws_.ledger_file()) || ws_.ledger_entries().empty());
}

TEST_F(SignCli, BatchFailureWritesNothingForItselfOnly) {
  const fs::path dir = ws_.path("out");
  fs::create_directory(dir);
  auto bad = cluster_input("bad.example.com");
  bad["exp"] = kNow - 10;  // expiry policy
  auto r = ws_.sign({"--out-dir", dir, "--format", "zone",
                     ws_.write_input("a.json", cluster_input("a.example.com")),
                     ws_.write_input("bad.json", bad),
                     ws_.write_input("b.json", cluster_input("b.example.com"))});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "expiry_policy"));
  EXPECT_NE(r.err.find("REFUSED"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir / "cluster.a.example.com.zone"));
  EXPECT_TRUE(fs::exists(dir / "cluster.b.example.com.zone"));
  EXPECT_FALSE(fs::exists(dir / "cluster.bad.example.com.zone"));
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries)
    EXPECT_NE(entry_field(e, 4), "bad.example.com");
}

TEST_F(SignCli, BatchWithTheSameNameTwiceIsRefusedBeforeSigning) {
  const fs::path dir = ws_.path("out");
  fs::create_directory(dir);
  auto second = cluster_input("a.example.com", 2);
  // Both would be written to out/cluster.a.example.com.wire.
  auto r = ws_.sign({"--out-dir", dir, ws_.write_input("a.json", cluster_input("a.example.com")),
                     ws_.write_input("a2.json", second)});
  EXPECT_EQ(r.exit_code, 15) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "output_refused"));
  EXPECT_TRUE(ws_.ledger_entries().empty());
  // The same name in another spelling gets its own file, and is refused as
  // the same ledger name: the first is signed, the second refused.
  r = ws_.sign({"--out-dir", dir, ws_.write_input("a.json", cluster_input("a.example.com")),
                ws_.write_input("a3.json", cluster_input("A.example.com", 2))});
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("in this batch"), std::string::npos) << r.err;
  ASSERT_EQ(ws_.ledger_entries().size(), 1u);
  EXPECT_EQ(entry_field(ws_.ledger_entries()[0], 6), "1");
}

TEST_F(SignCli, SeveralInputsNeedAnOutputDirectory) {
  auto r = ws_.sign({"--out", ws_.path("x.wire"),
                     ws_.write_input("a.json", cluster_input("a.example.com")),
                     ws_.write_input("b.json", cluster_input("b.example.com"))});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "usage"));
  EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

// --- renew and inspect -------------------------------------------------------

TEST_F(SignCli, RenewKeepsTheContentBumpsSeqAndExpiry) {
  auto input = cluster_input("mesh.example.com", 4);
  input["exp"] = kNow + 10 * kDay;
  ws_.sign_ok(input, "old.wire");
  const fs::path renewed = ws_.path("new.wire");
  auto r = ws_.run({"renew", "--key", ws_.key_file(), "--passphrase-file", ws_.pass_file(),
                    "--state-dir", ws_.state(), "--yes", "--now", kNowText, "--from",
                    ws_.path("old.wire"), "--out", renewed});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto before = nlohmann::json::parse(ws_.run({"inspect", "--json", ws_.path("old.wire")}).out);
  auto after = nlohmann::json::parse(ws_.run({"inspect", "--json", renewed}).out);
  EXPECT_EQ(after["seq"], "5");
  EXPECT_EQ(after["exp"], std::to_string(kNow + 365 * kDay));
  EXPECT_EQ(after["nodes"], before["nodes"]);
  EXPECT_EQ(after["name"], before["name"]);
  EXPECT_EQ(ws_.verify(pub_, renewed).exit_code, 0);
  EXPECT_NE(r.err.find("seq: 4 -> 5"), std::string::npos) << r.err;  // the review's diff
  ASSERT_EQ(ws_.ledger_entries().size(), 2u);
  EXPECT_EQ(entry_field(ws_.ledger_entries()[1], 6), "5");
}

TEST_F(SignCli, RenewRefusesAWireOfAnotherKey) {
  SignWorkspace other;
  other.keygen();
  other.sign_ok(cluster_input(), "other.wire");
  auto r = ws_.run({"renew", "--key", ws_.key_file(), "--passphrase-file", ws_.pass_file(),
                    "--state-dir", ws_.state(), "--yes", "--now", kNowText, "--from",
                    other.path("other.wire"), "--out", ws_.path("new.wire")});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "bad_signature"));
  EXPECT_FALSE(fs::exists(ws_.path("new.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(SignCli, InspectSaysWhetherItVerified) {
  ws_.sign_ok(cluster_input(), "a.wire");
  auto r = ws_.run({"inspect", ws_.path("a.wire")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("UNVERIFIED", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("cluster.mesh.example.com"), std::string::npos);

  r = ws_.run({"inspect", "--pubkey", pub_, "--now", kNowText, ws_.path("a.wire")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("VERIFIED", 0), 0u) << r.out;

  const std::string wrong = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";
  r = ws_.run({"inspect", "--pubkey", wrong, "--now", kNowText, ws_.path("a.wire")});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_EQ(r.out.rfind("INVALID", 0), 0u) << r.out;
  EXPECT_TRUE(one_line_refusal(r, "bad_signature"));

  r = ws_.run({"inspect", "--json", "--pubkey", pub_, "--now", kNowText, ws_.path("a.wire")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "verified");
}

}  // namespace
}  // namespace dmp::test
