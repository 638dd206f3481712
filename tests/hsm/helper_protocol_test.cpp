// The helper pipe protocol (hsm/helper_protocol.hpp): the frame layout byte
// by byte, every refusal of the decoder, and call_helper against a stand-in
// helper process that answers well, badly or not at all.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dmp/hsm/helper_process.hpp"
#include "dmp/hsm/helper_protocol.hpp"

namespace dmp::hsm::helper {
namespace {

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

std::string text_of(const Field* field) {
  return field == nullptr ? "<missing>"
                          : std::string(field->value.bytes().begin(), field->value.bytes().end());
}

std::vector<std::uint8_t> encoded(const Message& m) {
  auto frame = encode_message(m);
  EXPECT_TRUE(frame.has_value()) << (frame ? "" : frame.error().message());
  return frame ? frame->bytes() : std::vector<std::uint8_t>{};
}

TEST(HelperProtocol, FrameLayoutIsMagicVersionKindLengthThenTaggedFields) {
  Message m{0x02, {}};
  m.add(0x01, "ab").add(0x09, "");
  const std::vector<std::uint8_t> expected = {'D', 'M',  'P', 'H', 1,   0x02, 0,    0, 0,
                                              8,   0x01, 0,   2,   'a', 'b',  0x09, 0, 0};
  EXPECT_EQ(encoded(m), expected);
}

TEST(HelperProtocol, RoundTripKeepsKindTagsAndValues) {
  Message m{0x11, {}};
  std::vector<std::uint8_t> big(4000, 0xa5);
  m.add(0x01, "pkcs11:token=prod").add(0x02, big).add(0x30, "");
  auto back = decode_message(encoded(m));
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->kind, 0x11);
  ASSERT_EQ(back->fields.size(), 3u);
  EXPECT_EQ(text_of(back->find(0x01)), "pkcs11:token=prod");
  EXPECT_EQ(back->find(0x02)->value.bytes(), big);
  EXPECT_EQ(back->find(0x30)->value.size(), 0u);
  EXPECT_EQ(back->find(0x03), nullptr);
}

TEST(HelperProtocol, EncoderRefusesWhatTheDecoderWouldRefuse) {
  Message unordered{0x01, {}};
  unordered.add(0x02, "x").add(0x01, "y");
  EXPECT_EQ(encode_message(unordered).error().reason, Reason::usage);
  Message repeated{0x01, {}};
  repeated.add(0x02, "x").add(0x02, "y");
  EXPECT_EQ(encode_message(repeated).error().reason, Reason::usage);
  Message too_big{0x01, {}};
  too_big.add(0x01, std::vector<std::uint8_t>(kMaxPayload, 0));
  EXPECT_EQ(encode_message(too_big).error().reason, Reason::usage);
  Message too_many{0x01, {}};
  for (int tag = 1; tag <= static_cast<int>(kMaxFields) + 1; ++tag)
    too_many.add(static_cast<std::uint8_t>(tag), "");
  EXPECT_EQ(encode_message(too_many).error().reason, Reason::usage);
}

TEST(HelperProtocol, LargestPayloadIsAccepted) {
  Message m{0x01, {}};
  m.add(0x01, std::vector<std::uint8_t>(kMaxPayload - 3, 7));
  auto back = decode_message(encoded(m));
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->fields[0].value.size(), kMaxPayload - 3);
}

// Every malformed frame is helper_protocol, with a message saying what.
struct BadFrame {
  const char* name;
  std::vector<std::uint8_t> frame;
  const char* says;
};

class HelperProtocolRefuses : public ::testing::TestWithParam<BadFrame> {};

TEST_P(HelperProtocolRefuses, Frame) {
  auto r = decode_message(GetParam().frame);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().reason, Reason::helper_protocol);
  EXPECT_NE(r.error().message().find(GetParam().says), std::string::npos) << r.error().message();
}

std::vector<std::uint8_t> frame(std::string_view header_and_payload) {
  return bytes(header_and_payload);
}

INSTANTIATE_TEST_SUITE_P(
    Decoder, HelperProtocolRefuses,
    ::testing::Values(
        BadFrame{"Empty", {}, "shorter than its 10-byte header"},
        BadFrame{"ShortHeader", frame(std::string_view("DMPH\x01\x80\x00\x00\x00", 9)), "header"},
        BadFrame{"BadMagic", frame(std::string_view("DMPX\x01\x80\x00\x00\x00\x00", 10)), "magic"},
        BadFrame{"Version2", frame(std::string_view("DMPH\x02\x80\x00\x00\x00\x00", 10)),
                 "version 2"},
        BadFrame{"OverCap", frame(std::string_view("DMPH\x01\x80\x00\x00\x40\x01", 10)),
                 "over the cap"},
        BadFrame{"Truncated", frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x04\x01\x00", 12)),
                 "truncated"},
        BadFrame{"TrailingByte", frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x00\x00", 11)),
                 "after the message"},
        BadFrame{"FieldHeaderCut",
                 frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x02\x01\x00", 12)),
                 "truncated field header"},
        BadFrame{"FieldPastPayload",
                 frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x04\x01\x00\x02\x61", 14)),
                 "runs past"},
        BadFrame{
            "RepeatedTag",
            frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x06\x01\x00\x00\x01\x00\x00", 16)),
            "repeated or out of order"},
        BadFrame{
            "DescendingTags",
            frame(std::string_view("DMPH\x01\x80\x00\x00\x00\x06\x02\x00\x00\x01\x00\x00", 16)),
            "repeated or out of order"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(HelperProtocol, ErrorReplyOpensAsTheCarriedReasonOnOneLine) {
  auto opened = open_reply(error_reply(Reason::wrong_passphrase, "PIN incorrect\n2 left"));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().reason, Reason::wrong_passphrase);
  EXPECT_EQ(opened.error().message(), "helper: PIN incorrect?2 left");
  EXPECT_TRUE(open_reply(ok_reply()).has_value());
  EXPECT_EQ(open_reply(Message{0x03, {}}).error().reason, Reason::helper_protocol);
  Message no_reason{kKindError, {}};
  no_reason.add(kTagMessage, "x");
  EXPECT_EQ(open_reply(std::move(no_reason)).error().reason, Reason::helper_protocol);
  Message claims_ok{kKindError, {}};
  const std::uint8_t zero = 0;
  claims_ok.add(kTagReason, std::span(&zero, 1)).add(kTagMessage, "fine");
  EXPECT_EQ(open_reply(std::move(claims_ok)).error().reason, Reason::helper_protocol);
}

TEST(HelperProtocol, WipedBytesClearsItsWholeCapacity) {
  WipedBytes secret(bytes("123456"));
  const std::uint8_t* data = secret.bytes().data();
  secret.bytes().resize(2);  // a shrink keeps the old bytes in capacity...
  secret.clear();            // ...which clear() wipes too
  EXPECT_EQ(secret.size(), 0u);
  for (std::size_t i = 0; i < 6; ++i)
    EXPECT_EQ(data[i], 0) << i;  // capacity is kept by clear(), so still ours to read
}

// --- call_helper against a real process -------------------------------------

Result<Message> call(const char* mode, const Message& request = Message{0x01, {}}) {
  return call_helper({DMP_FAKE_HELPER_BIN, mode}, request);
}

TEST(CallHelper, OkReplyComesBackWithTheRequestSeenByTheHelper) {
  Message request{0x21, {}};
  request.add(0x01, "1234").add(0x05, "body bytes");
  auto reply = call("echo", request);
  ASSERT_TRUE(reply.has_value()) << reply.error().message();
  EXPECT_EQ(text_of(reply->find(0x01)), "1234");
  EXPECT_EQ(text_of(reply->find(0x05)), "body bytes");
  ASSERT_NE(reply->find(0x7f), nullptr);
  EXPECT_EQ(reply->find(0x7f)->value.bytes()[0], 0x21);
}

TEST(CallHelper, ErrorReplyIsTheHelpersReason) {
  auto reply = call("error");
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().reason, Reason::wrong_passphrase);
  EXPECT_EQ(reply.error().message(), "helper: PIN incorrect,?3 retries left");
}

TEST(CallHelper, BrokenHelpersAreHelperProtocolErrorsNamingWhatWentWrong) {
  const struct {
    const char* mode;
    const char* says;
  } cases[] = {
      {"exit-silently", "closed the pipe before a complete message header"},
      {"crash", "killed by signal 6"},
      {"garbage", "magic"},
      {"huge-length", "over the cap"},
      {"truncated", "closed the pipe inside a message"},
      {"two-replies", "bytes after its reply"},
      {"ok-then-fail", "exited with status 7 after an ok reply"},
      {"unknown-reason", "does not exist"},
      {"wrong-kind", "neither ok nor error"},
  };
  for (const auto& c : cases) {
    auto reply = call(c.mode);
    ASSERT_FALSE(reply.has_value()) << c.mode;
    EXPECT_EQ(reply.error().reason, Reason::helper_protocol) << c.mode;
    EXPECT_NE(reply.error().message().find(c.says), std::string::npos)
        << c.mode << ": " << reply.error().message();
  }
}

TEST(CallHelper, HelperThatNeverReadsABigRequestDoesNotKillTheCaller) {
  // A race, run 20 times: when the helper has exited before our write, the
  // write meets a closed pipe, which must be EPIPE (an error value) and not a
  // SIGPIPE that ends this process; otherwise the helper's EOF is reported.
  Message request{0x01, {}};
  request.add(0x01, std::vector<std::uint8_t>(kMaxPayload - 3, 1));
  for (int i = 0; i < 20; ++i) {
    auto reply = call("exit-unread", request);
    ASSERT_FALSE(reply.has_value());
    EXPECT_EQ(reply.error().reason, Reason::helper_protocol) << reply.error().message();
  }
}

TEST(CallHelper, MissingHelperIsReportedByPath) {
  auto reply = call_helper({"/nonexistent/dmp-sign-fido2"}, Message{0x01, {}});
  ASSERT_FALSE(reply.has_value());
  EXPECT_EQ(reply.error().reason, Reason::helper_protocol);
  EXPECT_NE(reply.error().message().find("/nonexistent/dmp-sign-fido2"), std::string::npos);
}

}  // namespace
}  // namespace dmp::hsm::helper
