// `dmp-sign draft`, end to end through the real binaries: the published
// record in (each reference vector's wire, a zone line, dig and dig +short
// output), the edits, the unsigned JSON out; then `sign` on it (the embedded
// previous verified, its seq the floor, the same change summary) and
// dmp-verify on the result. The expected records are built here from the
// vectors' inputs and the edits, not by the code under test.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "dmp/verify.hpp"
#include "sign/sign_test_support.hpp"
#include "support/vectors.hpp"

namespace dmp::test {
namespace {

constexpr std::uint64_t kYear = 365 * kDay;
const std::string kOtherKey = "d85a93b16f789e4eb9dc53a47f6309c14efb3643b3e85d8d92e8cebe38a86c6a";

// The block of a review or draft summary that lists the changes: the
// "changes against ..." line's continuation lines.
std::vector<std::string> change_lines(const std::string& err) {
  std::vector<std::string> block;
  bool in = false;
  for (const std::string& line : lines_of(err)) {
    if (line.find("changes against") != std::string::npos) {
      in = true;
      continue;
    }
    if (in && line.rfind("    ", 0) != 0) break;
    if (in) block.push_back(line);
  }
  return block;
}

Record verified_record(const std::string& wire, const std::string& pubkey) {
  auto record = verify(wire, key_from_hex(pubkey),
                       VerifyOptions{.now = kNow, .expected_name = std::nullopt, .strict = false});
  EXPECT_TRUE(record) << (record ? "" : record.error().message());
  return record ? *record : Record{};
}

class Draft : public ::testing::Test {
 protected:
  ProcessResult draft(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"draft", "--now", kNowText});
    return ws_.run(args, input);
  }

  // Signs a draft file with the workspace key (sign_args adds --first,
  // which a draft's embedded previous makes a note).
  ProcessResult sign_draft(const fs::path& draft, const fs::path& out,
                           std::vector<std::string> extra = {}, const fs::path& key = {},
                           const fs::path& state = {}) {
    extra.insert(extra.end(), {"--out", out.string(), draft.string()});
    return ws_.sign(extra, key, state);
  }

  SignWorkspace ws_;
};

// Every vector case with inputs: draft from its expected wire with every edit
// flag of its type, sign, verify; the result is the vector's record with
// exactly those edits, at seq + 1.
void draft_every_vector(const nlohmann::json& cases, const std::string& type,
                        const std::string& seed_field) {
  SignWorkspace ws;
  const fs::path key = ws.path("vector.key");
  std::string pub;
  int drafted = 0, removals = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    if (!c.contains("inputs")) continue;
    SCOPED_TRACE(c["description"].get<std::string>());
    if (pub.empty()) pub = ws.import_x25519_seed(c[seed_field].get<std::string>(), key);
    const std::string tag = std::to_string(i);
    const fs::path published = ws.path("published-" + tag + ".wire");
    write_file(published, hex_to_text(c["expected_wire_hex"].get<std::string>()));
    // An expired vector verifies only at a clock inside its window.
    const std::uint64_t old_exp = c["inputs"]["exp"].get<std::uint64_t>();
    auto verified =
        verify(read_file(published), key_from_hex(pub),
               VerifyOptions{
                   .now = std::min(kNow, old_exp), .expected_name = std::nullopt, .strict = false});
    ASSERT_TRUE(verified) << verified.error().message();
    const Record before = *verified;

    std::vector<std::string> args{"draft",
                                  "--now",
                                  kNowText,
                                  "--from",
                                  published.string(),
                                  "--pubkey",
                                  pub,
                                  "--out",
                                  ws.path("draft-" + tag + ".json")};
    Record expected = before;
    if (type == "cluster") {
      auto& m = std::get<ClusterManifest>(expected);
      const std::string first = m.nodes.front().node_id;
      if (m.nodes.size() > 1) {
        args.insert(args.end(), {"--remove-node", m.nodes.back().node_id});
        m.nodes.pop_back();
        ++removals;
      }
      args.insert(args.end(),
                  {"--set-node", first + "=https://moved.example.net:8443,dns=[2001:db8::1]:53"});
      m.nodes.front().http_endpoint = "https://moved.example.net:8443";
      m.nodes.front().dns_endpoint = "[2001:db8::1]:53";
      args.insert(args.end(), {"--add-node", "zz9=https://zz9.example.net:8053"});
      m.nodes.push_back(ClusterNode{"zz9", "https://zz9.example.net:8053", std::nullopt});
    } else {
      auto& b = std::get<BootstrapRecord>(expected);
      const BootstrapEntry first = b.entries.front();
      if (b.entries.size() > 1) {
        const BootstrapEntry last = b.entries.back();
        args.insert(args.end(), {"--remove-entry",
                                 std::to_string(last.priority) + ":" + last.cluster_base_domain});
        b.entries.pop_back();
        ++removals;
      }
      args.insert(args.end(), {"--set-priority", std::to_string(first.priority) + ":" +
                                                     first.cluster_base_domain + "=65535"});
      b.entries.front().priority = 65535;
      args.insert(args.end(), {"--add-entry", "0:added.example.net:" + kOtherKey});
      b.entries.push_back(BootstrapEntry{0, "added.example.net", key_from_hex(kOtherKey)});
      // Signed sorted by priority, equal priorities in the order given.
      std::stable_sort(b.entries.begin(), b.entries.end(),
                       [](const auto& x, const auto& y) { return x.priority < y.priority; });
    }
    // Alternate the expiry flags: --expires-in, --exp, --exp-days.
    std::uint64_t exp = kNow + kYear;
    if (i % 3 == 1) {
      exp = kNow + 30 * kDay;
      args.insert(args.end(), {"--expires-in", "30d"});
    } else if (i % 3 == 2) {
      exp = kNow + 90 * kDay;
      args.insert(args.end(), {"--exp", std::to_string(exp)});
    } else {
      args.insert(args.end(), {"--exp-days", "365"});
    }
    auto d = ws.run(args);
    ASSERT_EQ(d.exit_code, 0) << d.err;
    const auto json = nlohmann::json::parse(read_file(ws.path("draft-" + tag + ".json")));
    EXPECT_EQ(json["seq"], "auto");
    EXPECT_EQ(json["previous"], read_file(published));
    EXPECT_FALSE(json.contains(type == "cluster" ? "operator_spk_hex" : "signer_spk_hex"));

    const fs::path out = ws.path("next-" + tag + ".wire");
    auto s = ws.run({"sign", "--key", key.string(), "--passphrase-file", ws.pass_file().string(),
                     "--state-dir", ws.path("state-" + tag).string(), "--yes", "--now", kNowText,
                     "--out", out.string(), ws.path("draft-" + tag + ".json").string()});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_NE(s.err.find("the draft's previous record (verified)"), std::string::npos) << s.err;
    // The laptop's review lists the changes draft listed.
    EXPECT_EQ(change_lines(s.err), change_lines(d.err));
    EXPECT_FALSE(change_lines(d.err).empty());

    auto v = ws.verify(pub, out);
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    std::visit(
        [&](auto& r) {
          r.seq = seq_of(before) + 1;
          r.exp = exp;
        },
        expected);
    EXPECT_EQ(verified_record(read_file(out), pub), expected);
    ++drafted;
  }
  EXPECT_EQ(drafted, 3);
  EXPECT_GE(removals, 1);
}

TEST(DraftVectors, EveryClusterVectorWithEveryEditSignsAndVerifies) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  draft_every_vector(cases, "cluster", "operator_seed_hex");
}

TEST(DraftVectors, EveryBootstrapVectorWithEveryEditSignsAndVerifies) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "bootstrap_record.json");
  draft_every_vector(cases, "bootstrap", "signer_seed_hex");
}

class DraftFromPublished : public Draft {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    auto z = ws_.sign({"--format", "zone", "--out", ws_.path("published.zone").string(),
                       ws_.write_input("c.json", cluster_input("mesh.example.com", 7))});
    ASSERT_EQ(z.exit_code, 0) << z.err;
    zone_ = read_file(ws_.path("published.zone"));
    wire_ = wire_in_zone(zone_);
  }

  // Drafts from `file` with one added node, signs, verifies; returns the seq.
  void draft_sign_verify(const fs::path& file, const std::string& input = "") {
    auto d = draft({"--from", input.empty() ? file.string() : "-", "--pubkey", pub_, "--add-node",
                    "n9=https://n9.mesh.example.com:8053", "--out", ws_.path("d.json").string()},
                   input);
    ASSERT_EQ(d.exit_code, 0) << d.err;
    auto s = sign_draft(ws_.path("d.json"), ws_.path("next.wire"));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const Record next = verified_record(read_file(ws_.path("next.wire")), pub_);
    EXPECT_EQ(seq_of(next), 8u);
    EXPECT_EQ(std::get<ClusterManifest>(next).nodes.size(), 4u);
    EXPECT_EQ(std::get<ClusterManifest>(next).nodes.back().node_id, "n9");
  }

  std::string pub_;
  std::string zone_;
  std::string wire_;
};

TEST_F(DraftFromPublished, TakesTheZoneLine) {
  draft_sign_verify(ws_.path("published.zone"));
}

TEST_F(DraftFromPublished, TakesDigOutput) {
  write_file(ws_.path("dig.txt"), dig_output("cluster.mesh.example.com.", wire_));
  draft_sign_verify(ws_.path("dig.txt"));
}

TEST_F(DraftFromPublished, TakesDigShortOnStandardInput) {
  draft_sign_verify("", dig_short({wire_}));
}

TEST_F(DraftFromPublished, TakesTheBareWire) {
  write_file(ws_.path("published.wire"), wire_);
  draft_sign_verify(ws_.path("published.wire"));
}

TEST_F(DraftFromPublished, WritesToStandardOutputByDefault) {
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const auto json = nlohmann::json::parse(d.out);
  EXPECT_EQ(json["type"], "cluster");
  EXPECT_EQ(json["cluster_name"], "mesh.example.com");
  EXPECT_EQ(json["expires_in"], "365d");
  EXPECT_EQ(json["nodes"].size(), 3u);
  EXPECT_NE(d.err.find("changes against the published record:"), std::string::npos) << d.err;
  EXPECT_NE(d.err.find("seq: 7 -> 8"), std::string::npos) << d.err;
}

TEST_F(DraftFromPublished, RefusesARecordThatDoesNotVerify) {
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", kOtherKey});
  EXPECT_EQ(d.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(d, "bad_signature"));
  EXPECT_NE(d.err.find("--unverified"), std::string::npos);
  EXPECT_TRUE(d.out.empty());
  // A flipped signature byte too.
  std::string forged = wire_;
  forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
  write_file(ws_.path("forged.wire"), forged);
  d = draft({"--from", ws_.path("forged.wire").string(), "--pubkey", pub_, "--out",
             ws_.path("d.json").string()});
  EXPECT_EQ(d.exit_code, kExitInvalid) << d.err;
  EXPECT_FALSE(fs::exists(ws_.path("d.json")));
}

TEST_F(DraftFromPublished, NeedsAPinnedKeyOrUnverified) {
  auto d = draft({"--from", ws_.path("published.zone").string()});
  EXPECT_EQ(d.exit_code, kExitUsage);
  EXPECT_TRUE(one_line_refusal(d, "usage"));
  // --unverified drafts; the laptop verifies under its key all the same.
  d = draft({"--from", ws_.path("published.zone").string(), "--unverified", "--out",
             ws_.path("d.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.err.find("UNVERIFIED"), std::string::npos);
  auto s = sign_draft(ws_.path("d.json"), ws_.path("next.wire"));
  EXPECT_EQ(s.exit_code, 0) << s.err;
}

TEST_F(DraftFromPublished, TrustFileAndPubkeyFilePinTheKey) {
  write_file(ws_.path("trust"), "cluster mesh.example.com " + pub_ + "\n");
  auto d =
      draft({"--from", ws_.path("published.zone").string(), "--trust", ws_.path("trust").string()});
  EXPECT_EQ(d.exit_code, 0) << d.err;
  write_file(ws_.path("trust"), "cluster other.example.com " + pub_ + "\n");
  d = draft({"--from", ws_.path("published.zone").string(), "--trust", ws_.path("trust").string()});
  EXPECT_NE(d.exit_code, 0);
  EXPECT_NE(d.err.find("pins no key for cluster mesh.example.com"), std::string::npos) << d.err;
  write_file(ws_.path("pub"), pub_ + "\n");
  d = draft(
      {"--from", ws_.path("published.zone").string(), "--pubkey-file", ws_.path("pub").string()});
  EXPECT_EQ(d.exit_code, 0) << d.err;
}

TEST_F(DraftFromPublished, TheSignedDraftUsesThePublishedSeqAsTheFloor) {
  // Another laptop (a fresh ledger) signs the draft: the floor comes from the
  // embedded previous, not from a ledger, and no --first is needed.
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--out",
                  ws_.path("d.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto s = ws_.run({"sign", "--key", ws_.key_file().string(), "--passphrase-file",
                    ws_.pass_file().string(), "--state-dir", ws_.path("fresh").string(), "--yes",
                    "--now", kNowText, "--out", ws_.path("next.wire").string(),
                    ws_.path("d.json").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(seq_of(verified_record(read_file(ws_.path("next.wire")), pub_)), 8u);
  // An explicit seq at the published one is refused by the laptop...
  auto json = nlohmann::json::parse(read_file(ws_.path("d.json")));
  json["seq"] = 7;
  auto low = ws_.run({"sign", "--key", ws_.key_file().string(), "--passphrase-file",
                      ws_.pass_file().string(), "--state-dir", ws_.path("fresh2").string(), "--yes",
                      "--now", kNowText, "--out", ws_.path("low.wire").string(),
                      ws_.write_input("low.json", json).string()});
  EXPECT_EQ(low.exit_code, kExitSeq) << low.err;
  EXPECT_FALSE(fs::exists(ws_.path("low.wire")));
  // ... and by draft.
  d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--seq", "7"});
  EXPECT_EQ(d.exit_code, kExitSeq);
  EXPECT_TRUE(one_line_refusal(d, "seq_not_increasing"));
  d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--seq", "12"});
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(nlohmann::json::parse(d.out)["seq"], "12");
}

TEST_F(DraftFromPublished, SigningADraftTwiceWarns) {
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--out",
                  ws_.path("d.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  ASSERT_EQ(sign_draft(ws_.path("d.json"), ws_.path("a.wire")).exit_code, 0);
  auto again = sign_draft(ws_.path("d.json"), ws_.path("b.wire"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("warning: this ledger signed seq 8 for the name after the published "
                           "seq 7"),
            std::string::npos)
      << again.err;
}

TEST_F(DraftFromPublished, ALaptopRefusesATamperedEmbeddedPrevious) {
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--out",
                  ws_.path("d.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto json = nlohmann::json::parse(read_file(ws_.path("d.json")));
  std::string forged = json["previous"];
  forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
  json["previous"] = forged;
  auto s = sign_draft(ws_.write_input("forged.json", json), ws_.path("x.wire"));
  EXPECT_EQ(s.exit_code, kExitInvalid) << s.err;
  EXPECT_TRUE(ends_with_reason(s, "bad_signature"));
  EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
  // The previous record of another name.
  auto other = ws_.sign({"--out", ws_.path("other.wire").string(),
                         ws_.write_input("o.json", cluster_input("other.example.com", 3))});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  json["previous"] = read_file(ws_.path("other.wire"));
  s = sign_draft(ws_.write_input("other-prev.json", json), ws_.path("y.wire"));
  EXPECT_EQ(s.exit_code, kExitInvalid) << s.err;
  EXPECT_TRUE(ends_with_reason(s, "name_mismatch"));
  // --previous beside an embedded previous: one, not both.
  s = sign_draft(ws_.path("d.json"), ws_.path("z.wire"),
                 {"--previous", ws_.path("published.zone").string()});
  EXPECT_EQ(s.exit_code, kExitUsage);
  EXPECT_TRUE(one_line_refusal(s, "usage"));
}

TEST_F(DraftFromPublished, EditsThatDoNotApplyAreRefused) {
  const std::string from = ws_.path("published.zone").string();
  struct Case {
    std::vector<std::string> flags;
    int exit_code;
    std::string says;
  };
  const std::vector<Case> cases{
      {{"--remove-node", "n99"}, kExitInvalid, "--remove-node n99: no node"},
      {{"--set-node", "N01=https://x.example"}, kExitInvalid, "ids are case-sensitive"},
      {{"--add-node", "n01=https://x.example"}, kExitInvalid, "already has node n01"},
      {{"--add-node", "n9"}, kExitInvalid, "must be ID=URL"},
      {{"--add-node", "n9=https://x.example,dns="}, kExitInvalid, "dns= is empty"},
      {{"--add-node", "n9=,dns=1.2.3.4:53"}, kExitInvalid, "http_endpoint (after '=') is empty"},
      {{"--add-node", "a-node-id-over-16=https://x.example"}, kExitInvalid, "node_id"},
      {{"--add-entry", "1:x.example:" + kOtherKey}, kExitUsage, "edit a BootstrapRecord"},
      {{"--remove-node", "n01", "--remove-node", "n02", "--remove-node", "n03"},
       kExitInvalid,
       "nodes"},
      {{"--exp", "1000"}, kExitInvalid, "before the signing clock"},
      {{"--expires-in", "6000d"}, kExitInvalid, "more than 5 years"},
      {{"--exp", "1", "--expires-in", "3d"}, kExitUsage, "give one of --exp"},
      {{"--seq", "soon"}, kExitUsage, "--seq"},
      {{"--name", "other.example.com"}, kExitInvalid, "not other.example.com"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flags.front() + " " + c.flags.back());
    std::vector<std::string> args{"--from", from,    "--pubkey",
                                  pub_,     "--out", ws_.path("d.json").string()};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    auto d = draft(args);
    EXPECT_EQ(d.exit_code, c.exit_code) << d.err;
    EXPECT_EQ(lines_of(d.err).size(), 1u) << d.err;
    EXPECT_NE(d.err.find(c.says), std::string::npos) << d.err;
    EXPECT_FALSE(fs::exists(ws_.path("d.json")));
  }
}

TEST_F(DraftFromPublished, ARecordOverTheWireCapIsRefused) {
  std::vector<std::string> args{"--from", ws_.path("published.zone").string(), "--pubkey", pub_};
  for (int i = 0; i < 12; ++i) {
    args.insert(args.end(),
                {"--add-node", std::string("x").append(std::to_string(i)) + "=https://" +
                                   std::string(100, 'a') + ".example:8053"});
  }
  auto d = draft(args);
  EXPECT_EQ(d.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(d, "too_long"));
  EXPECT_TRUE(d.out.empty());
}

TEST_F(DraftFromPublished, NeverWritesOverItsInput) {
  const fs::path zone = ws_.path("published.zone");
  auto d = draft({"--from", zone.string(), "--pubkey", pub_, "--out", zone.string()});
  EXPECT_EQ(d.exit_code, 15);
  EXPECT_TRUE(one_line_refusal(d, "output_refused"));
  EXPECT_EQ(read_file(zone), zone_);
}

TEST_F(DraftFromPublished, SeveralRecordsNeedOneChosen) {
  auto newer = ws_.sign({"--out", ws_.path("newer.wire").string(),
                         ws_.write_input("n.json", cluster_input("mesh.example.com", 9))});
  ASSERT_EQ(newer.exit_code, 0) << newer.err;
  std::string newer_wire = read_file(ws_.path("newer.wire"));
  write_file(ws_.path("rrset.txt"), dig_short({wire_, newer_wire}));
  auto d = draft({"--from", ws_.path("rrset.txt").string(), "--pubkey", pub_});
  EXPECT_NE(d.exit_code, 0);
  EXPECT_TRUE(one_line_refusal(d, "malformed")) << d.err;
  // The older one is not the floor.
  d = draft({"--from", ws_.path("rrset.txt").string(), "--pubkey", pub_, "--record", "1"});
  EXPECT_NE(d.exit_code, 0);
  EXPECT_NE(d.err.find("choose --record 2"), std::string::npos) << d.err;
  d = draft({"--from", ws_.path("rrset.txt").string(), "--pubkey", pub_, "--record", "2"});
  EXPECT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(nlohmann::json::parse(d.out)["previous"], newer_wire);
}

TEST_F(DraftFromPublished, AZoneLineOfAnotherOwnerIsRefused) {
  std::string zone = zone_;
  zone.replace(0, std::string("cluster.mesh.example.com.").size(), "cluster.evil.example.com.");
  write_file(ws_.path("moved.zone"), zone);
  auto d = draft({"--from", ws_.path("moved.zone").string(), "--pubkey", pub_});
  EXPECT_EQ(d.exit_code, kExitInvalid);
  EXPECT_TRUE(one_line_refusal(d, "name_mismatch"));
}

TEST_F(Draft, NewClusterFromNothingSignsWithFirst) {
  const std::string pub = ws_.keygen();
  auto d = draft({"--new", "cluster", "--name", "fresh.example.com", "--pubkey", pub, "--add-node",
                  "n1=https://n1.fresh.example.com:8053,dns=192.0.2.1:53", "--add-node",
                  "n2=https://n2.fresh.example.com:8053", "--out", ws_.path("new.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const auto json = nlohmann::json::parse(read_file(ws_.path("new.json")));
  EXPECT_FALSE(json.contains("previous"));
  EXPECT_EQ(json["operator_spk_hex"], pub);
  EXPECT_NE(d.err.find("--first"), std::string::npos);
  // Without --first the laptop refuses a name it has no history for.
  auto s =
      ws_.run({"sign", "--key", ws_.key_file().string(), "--passphrase-file",
               ws_.pass_file().string(), "--state-dir", ws_.state().string(), "--yes", "--now",
               kNowText, "--out", ws_.path("new.wire").string(), ws_.path("new.json").string()});
  EXPECT_EQ(s.exit_code, 17) << s.err;
  s = sign_draft(ws_.path("new.json"), ws_.path("new.wire"));
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto record =
      std::get<ClusterManifest>(verified_record(read_file(ws_.path("new.wire")), pub));
  EXPECT_EQ(record.seq, 1u);
  EXPECT_EQ(record.exp, kNow + kYear);
  ASSERT_EQ(record.nodes.size(), 2u);
  EXPECT_EQ(record.nodes[0],
            (ClusterNode{"n1", "https://n1.fresh.example.com:8053", "192.0.2.1:53"}));
  EXPECT_EQ(record.nodes[1],
            (ClusterNode{"n2", "https://n2.fresh.example.com:8053", std::nullopt}));
  // Another key on the laptop: the draft pinned this one.
  const fs::path other = ws_.path("other.key");
  ws_.keygen(other);
  s = sign_draft(ws_.path("new.json"), ws_.path("other.wire"), {}, other, ws_.path("s2"));
  EXPECT_EQ(s.exit_code, kExitKeyFile) << s.err;
}

TEST_F(Draft, ReferenceGeneratorFlags) {
  // generate-cluster-manifest.py --cluster-name NAME --exp-days N --seq N
  auto d = draft({"--cluster-name", "gen.example.com", "--exp-days", "30", "--seq", "4",
                  "--add-node", "n1=https://n1.gen.example.com:8053"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  const auto json = nlohmann::json::parse(d.out);
  EXPECT_EQ(json["type"], "cluster");
  EXPECT_EQ(json["cluster_name"], "gen.example.com");
  EXPECT_EQ(json["expires_in"], "30d");
  EXPECT_EQ(json["seq"], "4");
  d = draft({"--cluster-name", "gen.example.com", "--new", "bootstrap", "--add-entry",
             "1:x.example:" + kOtherKey});
  EXPECT_EQ(d.exit_code, kExitUsage);
}

TEST_F(Draft, NewBootstrapFromNothing) {
  const std::string pub = ws_.keygen();
  auto d = draft({"--new", "bootstrap", "--name", "example.org", "--add-entry",
                  "20:b.example.net:" + kOtherKey, "--add-entry", "10:a.example.net:" + kOtherKey,
                  "--out", ws_.path("b.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto s = sign_draft(ws_.path("b.json"), ws_.path("b.wire"));
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto record =
      std::get<BootstrapRecord>(verified_record(read_file(ws_.path("b.wire")), pub));
  ASSERT_EQ(record.entries.size(), 2u);
  EXPECT_EQ(record.entries[0].cluster_base_domain, "a.example.net");
  EXPECT_EQ(record.entries[1].priority, 20);
}

TEST_F(Draft, StartIsExactlyOneOfFromAndNew) {
  auto d = draft({"--add-node", "n1=https://x.example"});
  EXPECT_EQ(d.exit_code, kExitUsage);
  EXPECT_TRUE(one_line_refusal(d, "usage"));
  d = draft({"--new", "cluster", "--add-node", "n1=https://x.example"});
  EXPECT_EQ(d.exit_code, kExitUsage);
  EXPECT_NE(d.err.find("--name"), std::string::npos);
  d = draft({"--new", "cluster", "--name", "x.example", "--unverified"});
  EXPECT_EQ(d.exit_code, kExitUsage);
}

TEST_F(Draft, AFieldTheRendererWouldEscapeIsRefused) {
  auto d = draft(
      {"--new", "cluster", "--name", "x.example.com", "--add-node", "n1=https://x.example\x1b[2J"});
  EXPECT_EQ(d.exit_code, kExitInvalid);
  EXPECT_EQ(lines_of(d.err).size(), 1u) << d.err;
  EXPECT_EQ(d.err.find('\x1b'), std::string::npos);
  EXPECT_TRUE(d.out.empty());
}

}  // namespace
}  // namespace dmp::test

namespace dmp::test {
namespace {

// After an adversarial review: edits that would not apply exactly as stated.
TEST_F(DraftFromPublished, AmbiguousOrLooseEditsAreRefused) {
  const std::string from = ws_.path("published.zone").string();
  const std::string zero(64, '0');
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {"--set-node", "n01=https://a.example", "--set-node", "n01=https://b.example"},
           {"--add-node", "n9=https://x.example,dns=192.0.2.1:53,dns=192.0.2.2:53"},
           {"--seq", "18446744073709551615"},
       }) {
    std::vector<std::string> args{"--from", from, "--pubkey", pub_};
    args.insert(args.end(), flags.begin(), flags.end());
    auto d = draft(args);
    EXPECT_EQ(d.exit_code, kExitInvalid) << flags.front() << ": " << d.err;
    EXPECT_EQ(lines_of(d.err).size(), 1u) << d.err;
  }
  // Bootstrap: a priority set twice, a leading zero, a key that can never verify.
  const std::string pub = ws_.keygen(ws_.path("b.key"));
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {"--add-entry", "10:a.example.net:" + kOtherKey, "--set-priority", "a.example.net=1",
            "--set-priority", "a.example.net=2"},
           {"--add-entry", "010:a.example.net:" + kOtherKey},
           {"--add-entry", "10:a.example.net:" + zero},
           {"--add-entry", "10:a.example.net:01" + std::string(62, '0')},
       }) {
    std::vector<std::string> args{"--new", "bootstrap", "--name", "example.org"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto d = draft(args);
    EXPECT_NE(d.exit_code, 0) << flags.back() << ": " << d.err;
    EXPECT_EQ(lines_of(d.err).size(), 1u) << d.err;
  }
  // sign refuses such a key in its JSON input too.
  auto json = bootstrap_input("example.org", 1);
  json["entries"][0]["operator_spk_hex"] = zero;
  auto s =
      ws_.sign({"--out", ws_.path("z.wire").string(), ws_.write_input("z.json", json).string()});
  EXPECT_EQ(s.exit_code, kExitInvalid) << s.err;
  EXPECT_NE(s.err.find("entries[0].operator_spk_hex"), std::string::npos) << s.err;
  EXPECT_FALSE(fs::exists(ws_.path("z.wire")));
}

TEST_F(DraftFromPublished, InvisibleCharactersAreRefused) {
  for (const char* hidden : {"\xcd\x8f", "\xc2\xa0", "\xf3\xa0\x81\x81", "\xe3\x85\xa4"}) {
    auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--add-node",
                    std::string("n9=https://n9.ex") + hidden + "ample.com"});
    EXPECT_EQ(d.exit_code, kExitInvalid) << d.err;
    EXPECT_NE(d.err.find("nodes[3].http_endpoint"), std::string::npos) << d.err;
    EXPECT_TRUE(d.out.empty());
  }
}

// --allow-unverified-previous lifts the signature check, not the name.
TEST_F(DraftFromPublished, AnUnverifiedPreviousMustStillBeTheSameName) {
  auto other = ws_.sign({"--out", ws_.path("other.wire").string(),
                         ws_.write_input("o.json", cluster_input("other.example.com", 3))});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  auto d = draft({"--from", ws_.path("published.zone").string(), "--pubkey", pub_, "--out",
                  ws_.path("d.json").string()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto json = nlohmann::json::parse(read_file(ws_.path("d.json")));
  std::string forged = read_file(ws_.path("other.wire"));
  forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';
  json["previous"] = forged;
  auto s = sign_draft(ws_.write_input("p.json", json), ws_.path("p.wire"),
                      {"--allow-unverified-previous"});
  EXPECT_EQ(s.exit_code, kExitInvalid) << s.err;
  EXPECT_TRUE(ends_with_reason(s, "name_mismatch")) << s.err;
  EXPECT_FALSE(fs::exists(ws_.path("p.wire")));
}

}  // namespace
}  // namespace dmp::test
