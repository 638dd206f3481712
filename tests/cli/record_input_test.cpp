// signer/verify/record_input: bare wire or zone-file TXT record.
#include "verify/record_input.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using dmp::cli::parse_record_input;

const std::string kWire = "v=dmp1;t=cluster;QUJD";

TEST(RecordInput, BareWireAsIs) {
  auto input = parse_record_input(kWire);
  ASSERT_TRUE(input);
  EXPECT_EQ(input->wire, kWire);
  EXPECT_FALSE(input->owner);
}

TEST(RecordInput, ExactlyOneTrailingNewlineIsDropped) {
  EXPECT_EQ(parse_record_input(kWire + "\n")->wire, kWire);
  // Anything more stays, so the verifier rejects it like the reference does.
  EXPECT_EQ(parse_record_input(kWire + "\n\n")->wire, kWire + "\n");
  EXPECT_EQ(parse_record_input(kWire + "\r\n")->wire, kWire + "\r");
  EXPECT_EQ(parse_record_input(kWire + " \n")->wire, kWire + " ");
}

TEST(RecordInput, ZoneRecordJoinsStringsAndKeepsOwner) {
  auto input = parse_record_input(
      "cluster.mesh.example.com. 3600 IN TXT \"v=dmp1;t=clu\" "
      "\"ster;QU\" \"JD\"\n");
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  ASSERT_TRUE(input->owner);
  EXPECT_EQ(*input->owner, "cluster.mesh.example.com.");
}

TEST(RecordInput, ParenthesisedZoneRecord) {
  auto input = parse_record_input(
      "; published 2030-01-01\n"
      "_dmp.example.com. IN 300 TXT (\n"
      "    \"v=dmp1;t=cluster;\"  ; prefix\n"
      "    \"QUJD\" )\n");
  ASSERT_TRUE(input) << input.error().message();
  EXPECT_EQ(input->wire, kWire);
  EXPECT_EQ(*input->owner, "_dmp.example.com.");
}

TEST(RecordInput, BadZoneTextIsAnError) {
  EXPECT_FALSE(parse_record_input(""));
  EXPECT_FALSE(parse_record_input("\n"));
  EXPECT_FALSE(parse_record_input(std::string(" ").append(kWire)));  // not a wire: leading space
  EXPECT_FALSE(parse_record_input("owner TXT \"unterminated\n"));
  EXPECT_FALSE(parse_record_input("owner A 192.0.2.1\n"));
  EXPECT_FALSE(parse_record_input("a TXT \"x\"\nb TXT \"y\"\n"));
}

}  // namespace
