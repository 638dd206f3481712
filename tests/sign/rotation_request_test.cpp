// signer/input/rotation_request, without I/O: the rotation request that
// carries one RotationRecord body between air-gapped laptops. The canonical
// text round-trips; every broken document is Reason::invalid_field naming the
// member and the rule; each signature present must verify under its own key
// in the body (Reason::bad_signature naming it).
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "dmp/encoding.hpp"
#include "input/rotation_request.hpp"

namespace dmp::input {
namespace {

struct Keypair {
  PublicKey public_key{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret{};
};

Keypair make_keypair() {
  if (sodium_init() < 0) std::abort();
  Keypair key;
  crypto_sign_keypair(key.public_key.data(), key.secret.data());
  return key;
}

Signature sign(const Keypair& key, const Bytes& message) {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       key.secret.data());
  return signature;
}

const Keypair& old_key() {
  static const Keypair key = make_keypair();
  return key;
}
const Keypair& new_key() {
  static const Keypair key = make_keypair();
  return key;
}

RotationRecord sample_record() {
  RotationRecord record;
  record.subject_type = SubjectType::cluster_operator;
  record.subject = "mesh.example.com";
  record.old_spk = old_key().public_key;
  record.new_spk = new_key().public_key;
  record.seq = 1'900'000'000'000;
  record.ts = 1'900'000'000;
  record.exp = 1'930'000'000;
  return record;
}

Bytes sample_body() {
  auto body = encode_body(sample_record());
  if (!body) std::abort();
  return *body;
}

// A document from raw member text, in the given order: {"k": v, ...}.
std::string document(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "{";
  for (const auto& [name, value] : members) {
    if (out.size() > 1) out += ", ";
    out += "\"" + name + "\": " + value;
  }
  return out + "}";
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

// A request with the sample body (or `body_hex`) and the given extra members.
std::string request_text(const std::string& body_hex,
                         const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  std::vector<std::pair<std::string, std::string>> members{{"dmp_rotation_request", "1"},
                                                           {"body", quoted(body_hex)}};
  members.insert(members.end(), extra.begin(), extra.end());
  return document(members);
}

RotationRequest sample_request(bool with_old, bool with_new) {
  RotationRequest request;
  request.body = sample_body();
  request.record = sample_record();
  if (with_old) request.sig_old = sign(old_key(), request.body);
  if (with_new) request.sig_new = sign(new_key(), request.body);
  return request;
}

void expect_same(const RotationRequest& got, const RotationRequest& want) {
  EXPECT_EQ(got.body, want.body);
  EXPECT_EQ(got.record, want.record);
  EXPECT_EQ(got.sig_old, want.sig_old);
  EXPECT_EQ(got.sig_new, want.sig_new);
}

// parse_rotation_request refuses with invalid_field, the error's field is
// `member`, and the message names it.
::testing::AssertionResult refused_naming(const std::string& text, const std::string& member) {
  auto r = parse_rotation_request(text);
  if (r) return ::testing::AssertionFailure() << "accepted: " << text;
  if (r.error().reason != Reason::invalid_field) {
    return ::testing::AssertionFailure()
           << reason_name(r.error().reason) << ": " << r.error().message();
  }
  // The field as the operator reads it: "rotation request sig_old".
  if (r.error().field != "rotation request " + member) {
    return ::testing::AssertionFailure() << "field '" << r.error().field << "', expected '"
                                         << member << "': " << r.error().message();
  }
  if (r.error().message().find(member) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "message does not name " << member << ": " << r.error().message();
  }
  return ::testing::AssertionSuccess();
}

// --- round trip ----------------------------------------------------------------

TEST(RotationRequest, FormatThenParseGivesTheSameRequest) {
  for (const auto& [with_old, with_new] : {std::pair(false, false), std::pair(true, false),
                                           std::pair(false, true), std::pair(true, true)}) {
    const RotationRequest request = sample_request(with_old, with_new);
    const std::string text = format_rotation_request(request);
    auto parsed = parse_rotation_request(text);
    ASSERT_TRUE(parsed) << parsed.error().message() << "\n" << text;
    expect_same(*parsed, request);
    EXPECT_EQ(format_rotation_request(*parsed), text);
  }
}

TEST(RotationRequest, CanonicalTextHasFixedMemberOrderAndTrailingNewline) {
  const RotationRequest request = sample_request(true, true);
  EXPECT_EQ(format_rotation_request(sample_request(false, false)),
            "{\n  \"dmp_rotation_request\": 1,\n  \"body\": \"" +
                encoding::hex_encode(request.body) + "\"\n}\n");
  EXPECT_EQ(format_rotation_request(request),
            "{\n  \"dmp_rotation_request\": 1,\n  \"body\": \"" +
                encoding::hex_encode(request.body) + "\",\n  \"sig_old\": \"" +
                encoding::hex_encode(*request.sig_old) + "\",\n  \"sig_new\": \"" +
                encoding::hex_encode(*request.sig_new) + "\"\n}\n");
}

TEST(RotationRequest, MemberOrderAndSpacingDoNotMatter) {
  const RotationRequest request = sample_request(true, true);
  const std::string text = document({{"sig_new", quoted(encoding::hex_encode(*request.sig_new))},
                                     {"body", quoted(encoding::hex_encode(request.body))},
                                     {"sig_old", quoted(encoding::hex_encode(*request.sig_old))},
                                     {"dmp_rotation_request", "1"}});
  auto parsed = parse_rotation_request(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  expect_same(*parsed, request);
}

TEST(RotationRequest, RecordIsTheDecodedBody) {
  auto parsed = parse_rotation_request(request_text(encoding::hex_encode(sample_body())));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->record, sample_record());
  EXPECT_FALSE(parsed->sig_old);
  EXPECT_FALSE(parsed->sig_new);
}

// --- refusals --------------------------------------------------------------------

TEST(RotationRequest, NotJsonIsRefused) {
  for (const std::string text :
       {"", "not json", "{", "{\"dmp_rotation_request\": 1,}", "{\"body\": \"ab\"", "\xff"}) {
    EXPECT_TRUE(refused_naming(text, "document")) << text;
  }
  auto r = parse_rotation_request("{");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("not valid JSON"), std::string::npos) << r.error().message();
}

TEST(RotationRequest, NotAnObjectIsRefused) {
  for (const std::string text : {"[]", "1", "\"body\"", "null", "true", "[{}]"}) {
    EXPECT_TRUE(refused_naming(text, "document")) << text;
  }
  auto r = parse_rotation_request("[]");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("must be a JSON object"), std::string::npos)
      << r.error().message();
}

TEST(RotationRequest, LargerThan16KiBIsRefused) {
  const std::string text =
      request_text(encoding::hex_encode(sample_body())) + std::string(kMaxRotationRequestLen, ' ');
  EXPECT_TRUE(refused_naming(text, "document"));
}

TEST(RotationRequest, DuplicateMemberIsRefused) {
  const std::string body = quoted(encoding::hex_encode(sample_body()));
  const std::string sig = quoted(encoding::hex_encode(sign(old_key(), sample_body())));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {document({{"dmp_rotation_request", "1"}, {"body", body}, {"body", body}}), "body"},
      {document({{"dmp_rotation_request", "1"}, {"dmp_rotation_request", "1"}, {"body", body}}),
       "dmp_rotation_request"},
      {request_text(encoding::hex_encode(sample_body()), {{"sig_old", sig}, {"sig_old", sig}}),
       "sig_old"},
  };
  for (const auto& [text, member] : cases) {
    EXPECT_TRUE(refused_naming(text, member)) << text;
    auto r = parse_rotation_request(text);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("more than once"), std::string::npos) << r.error().message();
  }
}

TEST(RotationRequest, UnknownMemberIsRefused) {
  const std::string body_hex = encoding::hex_encode(sample_body());
  for (const std::string member : {"sig", "Body", "sig_older", "comment", ""}) {
    const std::string text = request_text(body_hex, {{member, "\"x\""}});
    EXPECT_TRUE(refused_naming(text, member)) << text;
    auto r = parse_rotation_request(text);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("unknown member"), std::string::npos) << r.error().message();
  }
}

TEST(RotationRequest, VersionMustBeTheInteger1) {
  const std::string body = quoted(encoding::hex_encode(sample_body()));
  EXPECT_TRUE(refused_naming(document({{"body", body}}), "dmp_rotation_request"));
  for (const std::string version : {"2", "0", "-1", "\"1\"", "1.0", "true", "null", "[1]"}) {
    const std::string text = document({{"dmp_rotation_request", version}, {"body", body}});
    EXPECT_TRUE(refused_naming(text, "dmp_rotation_request")) << text;
  }
}

TEST(RotationRequest, BodyIsRequired) {
  EXPECT_TRUE(refused_naming(document({{"dmp_rotation_request", "1"}}), "body"));
  EXPECT_TRUE(refused_naming(
      document({{"dmp_rotation_request", "1"}, {"sig_old", quoted(std::string(128, 'a'))}}),
      "body"));
}

TEST(RotationRequest, BodyMustBeAString) {
  for (const std::string value : {"1", "null", "[]", "{}", "true"}) {
    EXPECT_TRUE(refused_naming(document({{"dmp_rotation_request", "1"}, {"body", value}}), "body"))
        << value;
  }
}

TEST(RotationRequest, BodyMustBeLowerCaseHex) {
  std::string upper = encoding::hex_encode(sample_body());
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, encoding::hex_encode(sample_body()));
  EXPECT_TRUE(refused_naming(request_text(upper), "body"));
  std::string one_upper = encoding::hex_encode(sample_body());
  one_upper[one_upper.find_first_of("abcdef")] = 'A';
  EXPECT_TRUE(refused_naming(request_text(one_upper), "body"));
  for (const std::string& text :
       {encoding::hex_encode(sample_body()) + "g", " " + encoding::hex_encode(sample_body()),
        "0x" + encoding::hex_encode(sample_body()).substr(2)}) {
    EXPECT_TRUE(refused_naming(request_text(text), "body")) << text;
  }
  auto r = parse_rotation_request(request_text(upper));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("lower-case hex"), std::string::npos) << r.error().message();
}

TEST(RotationRequest, BodyHexMustHaveEvenLength) {
  const std::string text = request_text(encoding::hex_encode(sample_body()) + "0");
  EXPECT_TRUE(refused_naming(text, "body"));
  auto r = parse_rotation_request(text);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("even"), std::string::npos) << r.error().message();
}

TEST(RotationRequest, BodyLengthIsBounded) {
  // 97 bytes is the smallest rotation body, and its subject length byte
  // allows at most 255 more.
  EXPECT_TRUE(refused_naming(request_text(""), "body"));
  EXPECT_TRUE(refused_naming(request_text(std::string(2 * (kRotationMinBody - 1), 'a')), "body"));
  EXPECT_TRUE(refused_naming(request_text(std::string(2 * (kRotationMinBody + 256), 'a')), "body"));
  auto r = parse_rotation_request(request_text(std::string(2 * (kRotationMinBody - 1), 'a')));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("hex digits"), std::string::npos) << r.error().message();
}

TEST(RotationRequest, BodyTheVerifierRefusesIsRefused) {
  const Bytes good = sample_body();
  Bytes bad_magic = good;
  bad_magic[0] = 'X';
  Bytes trailing = good;
  trailing.push_back(0);
  Bytes truncated = good;
  truncated.pop_back();
  Bytes same_keys = good;  // new_spk overwritten with old_spk
  const std::size_t keys_at = good.size() - kRotationTailLen;
  std::copy(good.begin() + static_cast<long>(keys_at),
            good.begin() + static_cast<long>(keys_at + kPublicKeyLen),
            same_keys.begin() + static_cast<long>(keys_at + kPublicKeyLen));
  Bytes bad_type = good;
  bad_type[kMagicLen] = 9;
  for (const Bytes& body : {bad_magic, trailing, truncated, same_keys, bad_type}) {
    const std::string text = request_text(encoding::hex_encode(body));
    EXPECT_TRUE(refused_naming(text, "body")) << text;
    auto r = parse_rotation_request(text);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message().find("not a rotation body"), std::string::npos)
        << r.error().message();
  }
}

TEST(RotationRequest, SignatureMustBe128LowerCaseHexDigits) {
  const std::string body_hex = encoding::hex_encode(sample_body());
  const std::string good = encoding::hex_encode(sign(old_key(), sample_body()));
  std::string upper = good;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string member : {"sig_old", "sig_new"}) {
    for (const std::string& value : {good.substr(2), good + "00", good.substr(1), good + "0",
                                     std::string(), upper, std::string(126, 'a') + "zz"}) {
      const std::string text = request_text(body_hex, {{member, quoted(value)}});
      EXPECT_TRUE(refused_naming(text, member)) << text;
    }
  }
  auto r = parse_rotation_request(request_text(body_hex, {{"sig_new", quoted(good + "00")}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("128 hex digits"), std::string::npos) << r.error().message();
}

TEST(RotationRequest, SignatureMustBeAString) {
  const std::string body_hex = encoding::hex_encode(sample_body());
  for (const std::string member : {"sig_old", "sig_new"}) {
    for (const std::string value : {"1", "null", "[]", "{}", "false"}) {
      const std::string text = request_text(body_hex, {{member, value}});
      EXPECT_TRUE(refused_naming(text, member)) << text;
    }
  }
}

// --- check_request_signatures ------------------------------------------------------

TEST(RotationRequestSignatures, BothValidSignaturesPass) {
  auto parsed = parse_rotation_request(format_rotation_request(sample_request(true, true)));
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto checked = check_request_signatures(*parsed);
  EXPECT_TRUE(checked) << checked.error().message();
}

TEST(RotationRequestSignatures, NoneOrOnlyOnePresentPasses) {
  for (const auto& [with_old, with_new] :
       {std::pair(false, false), std::pair(true, false), std::pair(false, true)}) {
    auto parsed =
        parse_rotation_request(format_rotation_request(sample_request(with_old, with_new)));
    ASSERT_TRUE(parsed) << parsed.error().message();
    auto checked = check_request_signatures(*parsed);
    EXPECT_TRUE(checked) << with_old << with_new << ": " << checked.error().message();
  }
}

TEST(RotationRequestSignatures, SwappedSignaturesAreRefusedNamingSigOld) {
  RotationRequest request = sample_request(true, true);
  std::swap(request.sig_old, request.sig_new);
  auto parsed = parse_rotation_request(format_rotation_request(request));
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto checked = check_request_signatures(*parsed);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::bad_signature);
  EXPECT_EQ(checked.error().field, "rotation request sig_old");
  EXPECT_NE(checked.error().message().find("sig_old"), std::string::npos)
      << checked.error().message();
  EXPECT_NE(checked.error().message().find("swapped"), std::string::npos)
      << checked.error().message();
}

TEST(RotationRequestSignatures, NewKeySignatureInSigNewSlotOnlyIsRefusedNamingSigNew) {
  RotationRequest request = sample_request(false, false);
  request.sig_new = sign(old_key(), request.body);  // the old key's signature, in sig_new
  auto checked = check_request_signatures(request);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::bad_signature);
  EXPECT_EQ(checked.error().field, "rotation request sig_new");
  EXPECT_NE(checked.error().message().find("sig_new"), std::string::npos)
      << checked.error().message();
}

TEST(RotationRequestSignatures, TamperedBodyByteIsRefused) {
  const RotationRequest request = sample_request(true, true);
  // The last byte of exp: the body still decodes, the signatures no longer hold.
  Bytes tampered = request.body;
  tampered.back() ^= 0x01;
  const std::string text =
      request_text(encoding::hex_encode(tampered),
                   {{"sig_old", quoted(encoding::hex_encode(*request.sig_old))},
                    {"sig_new", quoted(encoding::hex_encode(*request.sig_new))}});
  auto parsed = parse_rotation_request(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_NE(parsed->record.exp, request.record.exp);
  auto checked = check_request_signatures(*parsed);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::bad_signature);
  EXPECT_EQ(checked.error().field, "rotation request sig_old");

  // With only the new key's signature, that one is named.
  RotationRequest only_new = *parsed;
  only_new.sig_old.reset();
  checked = check_request_signatures(only_new);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().reason, Reason::bad_signature);
  EXPECT_EQ(checked.error().field, "rotation request sig_new");
}

TEST(RotationRequestSignatures, TamperedSignatureIsRefused) {
  for (const bool old_half : {true, false}) {
    RotationRequest request = sample_request(true, true);
    Signature& signature = old_half ? *request.sig_old : *request.sig_new;
    signature[10] ^= 0x40;
    auto checked = check_request_signatures(request);
    ASSERT_FALSE(checked) << old_half;
    EXPECT_EQ(checked.error().reason, Reason::bad_signature);
    EXPECT_EQ(checked.error().field,
              old_half ? "rotation request sig_old" : "rotation request sig_new");
  }
}

}  // namespace
}  // namespace dmp::input
