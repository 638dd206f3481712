// The one reader of published records (signer/input/record_reader), end to
// end through the real binaries: what an operator has after publishing (the
// zone line dmp-sign itself wrote, `dig` output, `dig +short` output, or the
// bare wire) is taken alike by `sign --previous`, `renew --from`, `inspect`
// and dmp-verify; several DMP records in one RRset are refused unless one
// is chosen with --record N; a zone owner that is not the record's RRset is
// refused.
#include <gtest/gtest.h>

#include <string>

#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

class PublishedRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    wire_ = ws_.sign_ok(cluster_input("mesh.example.com", 5), "published.wire");
    while (!wire_.empty() && wire_.back() == '\n')
      wire_.pop_back();
    auto zone = ws_.sign({"--format", "zone", "--out", ws_.path("published.zone").string(),
                          ws_.write_input("z.json", cluster_input("mesh.example.com", 6))});
    ASSERT_EQ(zone.exit_code, 0) << zone.err;
    zone_wire_ = wire_in_zone(read_file(ws_.path("published.zone")));
  }

  ProcessResult sign_after(const fs::path& previous, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--previous", previous.string(), "--out",
                                  ws_.path("next.wire").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(ws_.write_input("next.json", cluster_input("mesh.example.com", "auto")));
    return ws_.sign(args);
  }

  SignWorkspace ws_;
  std::string pub_;
  std::string wire_;       // seq 5, as a bare wire
  std::string zone_wire_;  // seq 6, from the zone line dmp-sign wrote
};

TEST_F(PublishedRecord, SignTakesTheZoneLineItWroteAsPrevious) {
  auto r = sign_after(ws_.path("published.zone"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("seq 7"), std::string::npos) << "the zone line's seq 6 is the floor:\n"
                                                    << r.err;
  EXPECT_EQ(ws_.verify(pub_, ws_.path("next.wire")).exit_code, 0);
}

TEST_F(PublishedRecord, SignTakesDigAndDigShortOutputAsPrevious) {
  write_file(ws_.path("dig.txt"), dig_output("cluster.mesh.example.com.", zone_wire_));
  auto r = sign_after(ws_.path("dig.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file(ws_.path("short.txt"), "\"spf1 -all\"\n" + dig_short({zone_wire_}));
  r = sign_after(ws_.path("short.txt"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(PublishedRecord, AZoneOwnerThatIsNotTheRecordsRrsetIsRefused) {
  write_file(ws_.path("other.zone"), "cluster.other.example.com. 300 IN TXT \"" +
                                         zone_wire_.substr(0, 255) + "\" \"" +
                                         zone_wire_.substr(255) + "\"\n");
  auto r = sign_after(ws_.path("other.zone"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "name_mismatch")) << r.err;
  EXPECT_NE(r.err.find("cluster.other.example.com."), std::string::npos) << r.err;
  // renew names its own option, --from.
  r = ws_.run({"renew", "--key", ws_.key_file().string(), "--passphrase-file",
               ws_.pass_file().string(), "--state-dir", ws_.state().string(), "--yes", "--now",
               kNowText, "--from", ws_.path("other.zone").string()});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "name_mismatch")) << r.err;
  EXPECT_NE(r.err.find("--from " + ws_.path("other.zone").string()), std::string::npos) << r.err;
  // inspect shows the owner, and with --pubkey the record is INVALID there.
  r = ws_.run({"inspect", ws_.path("other.zone").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("zone owner cluster.other.example.com.  WARNING: not the record's RRset"),
            std::string::npos)
      << r.out;
  r = ws_.run({"inspect", ws_.path("other.zone").string(), "--pubkey", pub_, "--now", kNowText});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.out << r.err;
  EXPECT_NE(r.out.find("INVALID"), std::string::npos) << r.out;
  r = ws_.run({"inspect", ws_.path("published.zone").string(), "--pubkey", pub_, "--now", kNowText,
               "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["owner"], "cluster.mesh.example.com.");
  EXPECT_EQ(json["owner_mismatch"], false);
  EXPECT_EQ(json["verdict"], "verified");
}

TEST_F(PublishedRecord, TwoDmpRecordsAreRefusedUntilOneIsChosen) {
  // A rollout caught half way: the RRset holds seq 5 and seq 6.
  write_file(ws_.path("both.txt"), dig_short({wire_, zone_wire_}));
  auto r = sign_after(ws_.path("both.txt"));
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "malformed")) << r.err;
  EXPECT_NE(r.err.find("2 DMP records"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--record N"), std::string::npos) << r.err;
  // Each record is told apart by what it says (unverified).
  EXPECT_NE(r.err.find("1: (no owner) cluster mesh.example.com seq 5, exp "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("2: (no owner) cluster mesh.example.com seq 6, exp "), std::string::npos)
      << r.err;
  EXPECT_TRUE(ws_.ledger_entries().size() == 2u) << "nothing signed";
  r = sign_after(ws_.path("both.txt"), {"--record", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto v = ws_.verify(pub_, ws_.path("both.txt"));
  EXPECT_NE(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("--record N"), std::string::npos) << v.out;
  v = ws_.verify(pub_, ws_.path("both.txt"), {"--record", "1"});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("seq=5"), std::string::npos) << v.out;
  v = ws_.verify(pub_, ws_.path("both.txt"), {"--record", "3"});
  EXPECT_NE(v.exit_code, 0) << v.out;
}

TEST_F(PublishedRecord, DmpVerifyReadsDigAndDigShortOutput) {
  write_file(ws_.path("dig.txt"), dig_output("cluster.mesh.example.com.", wire_));
  auto v = ws_.verify(pub_, ws_.path("dig.txt"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  write_file(ws_.path("short.txt"), dig_short({zone_wire_}));
  v = ws_.verify(pub_, ws_.path("short.txt"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  // The owner of a dig line is checked like a zone line's.
  write_file(ws_.path("wrong.txt"), dig_output("cluster.other.example.com.", wire_));
  v = ws_.verify(pub_, ws_.path("wrong.txt"));
  EXPECT_NE(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("owner"), std::string::npos) << v.out;
}

TEST_F(PublishedRecord, InspectReadsZoneTextAndStandardInput) {
  auto r = ws_.run(
      {"inspect", ws_.path("published.zone").string(), "--pubkey", pub_, "--now", kNowText});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("VERIFIED"), std::string::npos) << r.out;
  r = ws_.run({"inspect", "-", "--pubkey", pub_, "--now", kNowText}, dig_short({zone_wire_}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("VERIFIED"), std::string::npos) << r.out;
}

// Choosing an older record of the RRset would lower the floor below what
// clients already hold: refused, naming the newer one.
TEST_F(PublishedRecord, ChoosingAnOlderRecordThanTheRrsetHoldsIsRefused) {
  write_file(ws_.path("both.txt"), dig_short({wire_, zone_wire_}));
  const fs::path fresh = ws_.path("fresh-state");
  auto r = ws_.sign({"--previous", ws_.path("both.txt").string(), "--record", "1", "--out",
                     ws_.path("low.wire").string(),
                     ws_.write_input("low.json", cluster_input("mesh.example.com", "auto"))},
                    {}, fresh);
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field")) << r.err;
  EXPECT_NE(r.err.find("choose --record 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(ws_.path("low.wire")));
}

TEST_F(PublishedRecord, RecordWithoutPreviousIsAUsageError) {
  auto r = ws_.sign({"--record", "2", "--out", ws_.path("x.wire").string(),
                     ws_.write_input("x.json", cluster_input("mesh.example.com", "auto"))});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  r = ws_.sign({"--previous", ws_.path("published.wire").string(), "--record", "0", "--out",
                ws_.path("x.wire").string(), ws_.path("x.json").string()});
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_EQ(r.err.find("1797693"), std::string::npos) << "no floating-point range: " << r.err;
}

// renew reads --from once: from standard input too, and what it verifies is
// what it decoded.
TEST_F(PublishedRecord, RenewReadsItsRecordOnceEvenFromStandardInput) {
  auto r = ws_.run({"renew", "--key", ws_.key_file().string(), "--passphrase-file",
                    ws_.pass_file().string(), "--state-dir", ws_.state().string(), "--yes", "--now",
                    kNowText, "--from", "-", "--out", ws_.path("renewed.wire").string()},
                   read_file(ws_.path("published.zone")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.verify(pub_, ws_.path("renewed.wire")).exit_code, 0);
}

TEST_F(PublishedRecord, RenewTakesTheZoneLine) {
  auto r = ws_.run({"renew", "--key", ws_.key_file().string(), "--passphrase-file",
                    ws_.pass_file().string(), "--state-dir", ws_.state().string(), "--yes", "--now",
                    kNowText, "--from", ws_.path("published.zone").string(), "--out",
                    ws_.path("renewed.wire").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.verify(pub_, ws_.path("renewed.wire")).exit_code, 0);
}

}  // namespace
}  // namespace dmp::test
