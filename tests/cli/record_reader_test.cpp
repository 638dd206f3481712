// signer/input/record_reader: the one reader of published records (bare
// wire, zone-file TXT record, `dig` and `dig +short` output).
#include "input/record_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using dmp::cli::read_record;
using dmp::cli::read_records;

const std::string kWire = "v=dmp1;t=cluster;QUJD";

TEST(RecordReader, BareWireAsIs) {
  auto input = read_record(kWire);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->wire, kWire);
  EXPECT_FALSE(input->owner);
}

TEST(RecordReader, ExactlyOneTrailingNewlineIsDropped) {
  EXPECT_EQ(read_record(kWire + "\n")->wire, kWire);
  // Anything more stays, so the verifier rejects it like the reference does.
  EXPECT_EQ(read_record(kWire + "\n\n")->wire, kWire + "\n");
  EXPECT_EQ(read_record(kWire + "\r\n")->wire, kWire + "\r");
  EXPECT_EQ(read_record(kWire + " \n")->wire, kWire + " ");
}

TEST(RecordReader, ZoneRecordJoinsStringsAndKeepsOwner) {
  auto input = read_record(
      "cluster.mesh.example.com. 3600 IN TXT \"v=dmp1;t=clu\" "
      "\"ster;QU\" \"JD\"\n");
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  ASSERT_TRUE(input->owner);
  EXPECT_EQ(*input->owner, "cluster.mesh.example.com.");
}

TEST(RecordReader, ParenthesisedZoneRecord) {
  auto input = read_record(
      "; published 2030-01-01\n"
      "_dmp.example.com. IN 300 TXT (\n"
      "    \"v=dmp1;t=cluster;\"  ; prefix\n"
      "    \"QUJD\" )\n");
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  EXPECT_EQ(*input->owner, "_dmp.example.com.");
}

TEST(RecordReader, BadZoneTextIsAnError) {
  EXPECT_FALSE(read_record(""));
  EXPECT_FALSE(read_record("\n"));
  EXPECT_FALSE(read_record(std::string(" ").append(kWire)));  // not a wire: leading space
  EXPECT_FALSE(read_record("owner TXT \"unterminated\n"));
  EXPECT_FALSE(read_record("owner A 192.0.2.1\n"));
  EXPECT_FALSE(read_record("a TXT \"x\"\nb TXT \"y\"\n"));  // TXT, but no DMP record
}

// What `dig cluster.mesh.example.com TXT` prints: header and section lines
// are comments, the answer holds the DMP record beside another TXT record,
// and +dnssec adds an RRSIG, which is not a TXT record.
const std::string kDigOutput =
    "\n"
    "; <<>> DiG 9.18.24 <<>> cluster.mesh.example.com TXT +dnssec\n"
    ";; global options: +cmd\n"
    ";; Got answer:\n"
    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242\n"
    ";; flags: qr rd ra ad; QUERY: 1, ANSWER: 3, AUTHORITY: 0, ADDITIONAL: 1\n"
    "\n"
    ";; QUESTION SECTION:\n"
    ";cluster.mesh.example.com.\tIN\tTXT\n"
    "\n"
    ";; ANSWER SECTION:\n"
    "cluster.mesh.example.com. 300\tIN\tTXT\t\"google-site-verification=abc\"\n"
    "cluster.mesh.example.com. 300\tIN\tTXT\t\"v=dmp1;t=clu\" \"ster;QU\" \"JD\"\n"
    "cluster.mesh.example.com. 300\tIN\tRRSIG\tTXT 13 4 300 20301231000000 20300101000000 "
    "12345 mesh.example.com. bm90IGEgcmVhbCBzaWduYXR1cmU=\n"
    "\n"
    ";; Query time: 12 msec\n"
    ";; SERVER: 192.0.2.53#53(192.0.2.53) (UDP)\n"
    ";; MSG SIZE  rcvd: 512\n";

TEST(RecordReader, DigOutputGivesTheDmpRecordWithItsOwner) {
  auto input = read_record(kDigOutput);
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  ASSERT_TRUE(input->owner);
  EXPECT_EQ(*input->owner, "cluster.mesh.example.com.");
}

TEST(RecordReader, DigShortJoinsTheQuotedStringsAndHasNoOwner) {
  auto input =
      read_record("\"google-site-verification=abc\"\n\"v=dmp1;t=clu\" \"ster;QU\" \"JD\"\n");
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  EXPECT_FALSE(input->owner);
  // Escapes inside the strings are read as in zone files.
  auto escaped = read_record("\"v=dmp1;t=\\099luster;QUJD\"\n");
  ASSERT_TRUE(escaped) << escaped.error().message();
  EXPECT_EQ(escaped->wire, kWire);
}

// A quoted word followed by a bare one is not a `dig +short` line (JSON is
// full of them): it holds no record, so the input is not a record at all.
TEST(RecordReader, ABareWordAfterTheStringsIsNoDigShortLine) {
  auto input = read_record("\"spf1\" extra\n");
  ASSERT_FALSE(input);
  EXPECT_EQ(input.error().reason, dmp::Reason::bad_prefix) << input.error().message();
  auto json = read_record("{\n  \"version\": 1,\n  \"name\": \"mesh.example.com\"\n}\n");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().reason, dmp::Reason::bad_prefix) << json.error().message();
}

TEST(RecordReader, SeveralDmpRecordsAreRefusedUnlessOneIsChosen) {
  const std::string two =
      "cluster.mesh.example.com. IN TXT \"v=dmp1;t=cluster;QUJD\"\n"
      "cluster.mesh.example.com. IN TXT \"v=dmp1;t=cluster;REVG\"\n";
  auto refused = read_record(two);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, dmp::Reason::malformed);
  EXPECT_NE(refused.error().message().find("2 DMP records"), std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("--record N"), std::string::npos);
  auto all = read_records(two);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(read_record(two, 1)->wire, "v=dmp1;t=cluster;QUJD");
  EXPECT_EQ(read_record(two, 2)->wire, "v=dmp1;t=cluster;REVG");
  auto out_of_range = read_record(two, 3);
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.error().field, "--record");
  EXPECT_FALSE(read_record(two, 0));
  // Choosing among one is allowed: --record 1 of a single record is that record.
  EXPECT_EQ(read_record(kWire, 1)->wire, kWire);
}

// Whatever the reader passes over must not be where a second DMP record
// hides: a wire in a skipped line is refused, and so are the directives
// that could swallow one.
TEST(RecordReader, AWireInALineThatIsPassedOverIsRefused) {
  const std::string kTxt = "a. IN TXT \"v=dmp1;t=cluster;QUJD\"\n";
  for (const std::string& hidden : {
           std::string("\"v=dmp1;t=cluster;REVG\" extra\n"),  // quoted, then a bare word
           std::string("a. IN A 192.0.2.1 ( \"v=dmp1;t=cluster;REVG\" )\n"),  // in an A record
           std::string("a. TYPE16 \"v=dmp1;t=cluster;REVG\"\n"),  // RFC 3597 type syntax
           std::string("a. CH TXT \"v=dmp1;t=cluster;REVG\"\n"),  // a CHAOS-class TXT record
           std::string("$TTL 3600 (\na. IN TXT \"v=dmp1;t=cluster;REVG\" )\n"),  // swallowed
           std::string("$ORIGIN attacker.example.\n"),
           std::string("$INCLUDE other.zone\n"),
       }) {
    EXPECT_FALSE(read_records(kTxt + hidden)) << hidden;
    EXPECT_FALSE(read_records(hidden + kTxt)) << hidden;
  }
  // $TTL N alone stays harmless.
  EXPECT_TRUE(read_record("$TTL 3600\n" + kTxt));
}

// `dig CH TXT version.bind` beside the RRset: another record, passed over.
TEST(RecordReader, ATxtRecordOfAnotherClassIsPassedOver) {
  auto record = read_record(
      "version.bind. 0 CH TXT \"9.18.24\"\nhostname.bind. HS TXT \"ns1\"\n"
      "a. 300 IN TXT \"" +
      kWire + "\"\n");
  ASSERT_TRUE(record) << record.error().message();
  EXPECT_EQ(record->wire, kWire);
  EXPECT_EQ(record->owner, "a.");
}

TEST(RecordReader, ABrokenTxtRecordAmongOthersIsStillAnError) {
  EXPECT_FALSE(read_record("a. IN TXT \"v=dmp1;t=cluster;QUJD\"\nb. IN TXT \"open\n"));
  EXPECT_FALSE(read_record("a. IN TXT \"v=dmp1;t=cluster;QUJD\"\nb. IN TXT ( \"x\"\n"));
}

}  // namespace
