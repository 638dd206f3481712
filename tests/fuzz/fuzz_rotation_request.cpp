// libFuzzer target: the input is the text of a rotation request (what
// `dmp-sign rotate show|sign-old|sign-new|assemble` read from a stick carried
// between laptops). Aborts when an invariant breaks:
//   - parse errors are values (no exception escapes, no crash):
//     invalid_field with a message about the rotation request;
//   - an accepted request's record is its decoded body, and the body is
//     exactly the encoding of that record (the body is the single source of
//     truth);
//   - format then parse gives back an equal request, and the canonical text
//     is a fixed point (format(parse(format(r))) == format(r));
//   - check_request_signatures returns ok or bad_signature naming sig_old or
//     sig_new, and agrees with check_signature on each one present.
// Seeds in corpus/fuzz_rotation_request: requests with no, one and both
// signatures made by test keys, and broken ones.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "input/rotation_request.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_rotation_request: invariant violated: %s\n", invariant);
  std::abort();
}

bool same(const dmp::input::RotationRequest& a, const dmp::input::RotationRequest& b) {
  return a.body == b.body && a.record == b.record && a.sig_old == b.sig_old &&
         a.sig_new == b.sig_new;
}

bool verifies(const std::optional<dmp::Signature>& signature, const dmp::Bytes& body,
              const dmp::PublicKey& key) {
  return !signature || static_cast<bool>(dmp::check_signature(body, *signature, key));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = dmp::input::parse_rotation_request(text);
  if (!request) {
    require(request.error().reason == dmp::Reason::invalid_field, "a refusal is invalid_field");
    require(request.error().message().rfind("rotation request ", 0) == 0,
            "a refusal names the rotation request and its member");
    return 0;
  }

  auto decoded = dmp::decode_rotation_body(request->body);
  require(decoded.has_value() && *decoded == request->record, "the record is the decoded body");
  auto encoded = dmp::encode_body(request->record);
  require(encoded.has_value() && *encoded == request->body,
          "the body is the encoding of its record");

  const std::string canonical = dmp::input::format_rotation_request(*request);
  require(canonical.size() <= dmp::input::kMaxRotationRequestLen,
          "the canonical text fits the size cap");
  auto again = dmp::input::parse_rotation_request(canonical);
  require(again.has_value(), "the canonical text parses");
  require(same(*again, *request), "format then parse gives an equal request");
  require(dmp::input::format_rotation_request(*again) == canonical,
          "the canonical text is a fixed point");

  const bool old_ok = verifies(request->sig_old, request->body, request->record.old_spk);
  const bool new_ok = verifies(request->sig_new, request->body, request->record.new_spk);
  auto checked = dmp::input::check_request_signatures(*request);
  if (checked) {
    require(old_ok && new_ok, "accepted signatures verify");
  } else {
    require(checked.error().reason == dmp::Reason::bad_signature,
            "a signature refusal is bad_signature");
    require(
        checked.error().field == (old_ok ? "rotation request sig_new" : "rotation request sig_old"),
        "the first signature that does not verify is named");
    require(checked.error().message().find(checked.error().field) != std::string::npos,
            "the message names the signature");
  }
  auto checked_again = dmp::input::check_request_signatures(*again);
  require(static_cast<bool>(checked_again) == static_cast<bool>(checked),
          "the re-parsed request's signatures check the same");
  return 0;
}
