// libFuzzer target for the DRAFT rotation and revocation records (spec §4):
// the input is untrusted wire text. Runs both body parsers on the raw bytes
// (so they are reached without valid signatures) and both verifiers on the
// text, and aborts when an invariant breaks:
//   - a decoded body re-encodes to exactly the same bytes (encode -> decode
//     -> encode identity: the subject is serialised as given);
//   - every rejection has a reason from the step that can fail, in order;
//   - an accepted record is the decoded body of its wire, its signatures hold,
//     strict acceptance implies default acceptance;
//   - an accepted revocation is not in the future and never "expires".
// Seeds in corpus/fuzz_key_records are wires signed by test keys.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>

#include "dmp/codec.hpp"
#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"

namespace {

// The seeds' exp values lie within five years after this clock, and their
// revocation ts within 300 s before it.
constexpr std::uint64_t kNow = 1'800'000'000;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_key_records: invariant violated: %s\n", invariant);
  std::abort();
}

template <class Decoded>
void check_identity(const dmp::Result<Decoded>& decoded, std::span<const std::uint8_t> bytes) {
  if (!decoded) {
    require(decoded.error().reason == dmp::Reason::malformed, "parse errors are malformed");
    return;
  }
  auto body = dmp::encode_body(*decoded);
  require(body.has_value(), "a decoded record encodes");
  require(std::equal(body->begin(), body->end(), bytes.begin(), bytes.end()),
          "encode(decode(x)) == x");
}

bool is_envelope_reason(dmp::Reason r) {
  using dmp::Reason;
  return r == Reason::bad_prefix || r == Reason::too_long || r == Reason::bad_base64 ||
         r == Reason::too_short;
}

void check_rotation(std::string_view wire) {
  dmp::RotationVerifyOptions options;
  options.now = kNow;
  auto lenient = dmp::verify_rotation(wire, options);
  options.strict = true;
  auto strict = dmp::verify_rotation(wire, options);
  if (strict) require(lenient && *lenient == *strict, "strict acceptance implies default");
  auto opened = dmp::open_envelope(wire, dmp::RecordType::rotation);
  if (!lenient) {
    const dmp::Reason r = lenient.error().reason;
    if (!opened) {
      require(r == opened.error().reason, "envelope errors come first");
      return;
    }
    require(!is_envelope_reason(r), "an opened envelope fails only later");
    if (!dmp::decode_rotation_body(opened->body)) {
      require(r == dmp::Reason::malformed, "a body that does not parse is malformed");
    }
    return;
  }
  require(opened.has_value() && opened->signatures.size() == 2, "a rotation has two signatures");
  auto decoded = dmp::decode_rotation_body(opened->body);
  require(decoded && *decoded == *lenient, "an accepted rotation is its decoded body");
  require(dmp::check_signature(opened->body, opened->signatures[0], lenient->old_spk) &&
              dmp::check_signature(opened->body, opened->signatures[1], lenient->new_spk),
          "both signatures of an accepted rotation hold");
  require(lenient->old_spk != lenient->new_spk, "old and new keys differ");
  require(lenient->exp >= kNow && lenient->exp - kNow <= dmp::kMaxExpAhead, "exp within bounds");
  dmp::RotationVerifyOptions bound;
  bound.now = kNow;
  bound.expected_old_spk = dmp::Bytes(lenient->old_spk.begin(), lenient->old_spk.end());
  bound.expected_subject = lenient->subject;
  require(dmp::verify_rotation(wire, bound).has_value(), "binding to its own fields accepts");
  bound.expected_old_spk = dmp::Bytes(lenient->new_spk.begin(), lenient->new_spk.end());
  require(dmp::verify_rotation(wire, bound).error().reason == dmp::Reason::key_mismatch,
          "pinning the new key is a key_mismatch");
}

void check_revocation(std::string_view wire) {
  dmp::RevocationVerifyOptions options;
  options.now = kNow;
  auto lenient = dmp::verify_revocation(wire, options);
  options.strict = true;
  auto strict = dmp::verify_revocation(wire, options);
  if (strict) require(lenient && *lenient == *strict, "strict acceptance implies default");
  if (!lenient) return;
  require(lenient->ts <= kNow + dmp::kRevocationFutureSkew, "an accepted ts is not in the future");
  dmp::RevocationVerifyOptions later;
  later.now = UINT64_MAX;  // no expiry: far in the future it still verifies
  require(dmp::verify_revocation(wire, later).has_value(), "a revocation never expires");
  later.max_age_seconds = 0;
  if (lenient->ts < UINT64_MAX) {
    require(dmp::verify_revocation(wire, later).error().reason == dmp::Reason::revocation_stale,
            "max_age 0 refuses any older revocation");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  check_identity(dmp::decode_rotation_body(bytes), bytes);
  check_identity(dmp::decode_revocation_body(bytes), bytes);
  check_rotation(wire);
  check_revocation(wire);
  return 0;
}
