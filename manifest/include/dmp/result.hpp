// Errors as values: every fallible call in dmp-signer returns Result<T>.
//
// GCC 12 has std::expected, but clang 14-16 with libstdc++ 12 (our libFuzzer
// toolchain) cannot compile <expected>, so this is a small stand-in with the
// same shape: has_value()/value()/error(), and no exceptions on the error path.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

#include "dmp/api.hpp"

DMP_API_BEGIN
namespace dmp {

// Stable reason codes. The snake_case names from reason_name() appear in
// --json output, in the C ABI (as numbers, same order) and in tests: append
// new codes at the end, never renumber or rename one.
enum class Reason : int {
  ok = 0,
  bad_prefix = 1,       // wire does not start with the record's prefix
  too_long = 2,         // wire over 1200 bytes (verify), or would be (encode)
  bad_base64 = 3,       // payload is not base64 the reference accepts
  too_short = 4,        // decoded blob shorter than magic + signature(s)
  bad_key = 5,          // pinned/verifying key not 32 bytes or a low-order point
  bad_signature = 6,    // Ed25519 verification failed
  malformed = 7,        // body breaks a structural rule (field named in message)
  key_mismatch = 8,     // embedded key differs from the pinned/signing key
  expired = 9,          // exp < now
  expiry_too_far = 10,  // exp - now > 5 years
  name_mismatch = 11,   // signed name differs from the expected name
  non_canonical = 12,   // strict mode: encoding a conforming signer would not emit
  invalid_field = 13,   // encode side: a field breaks a sign-side rule
  // Signer-side reasons (dmp-sign); never returned by the verifier.
  usage = 14,               // bad command-line use
  io_error = 15,            // a file could not be read, written or synced
  key_format = 16,          // key or seed file is not in a format we read
  key_version = 17,         // key file of an unknown version or KDF
  kdf_limits = 18,          // KDF parameters outside the accepted bounds
  insecure_file = 19,       // key/passphrase file readable by others, wrong owner, unsafe dir
  wrong_passphrase = 20,    // authentication of the encrypted seed failed
  out_of_memory = 21,       // e.g. Argon2id could not get its memory
  already_exists = 22,      // refusing to overwrite an existing file
  weak_passphrase = 23,     // empty passphrase, or confirmation mismatch
  seq_not_increasing = 24,  // seq not above the ledger's high-water mark / previous wire
  ledger_corrupt = 25,      // ledger edited, truncated, reordered or unparsable
  lock_busy = 26,           // another dmp-sign holds the ledger lock
  not_confirmed = 27,       // the operator did not confirm (or no terminal and no --yes)
  expiry_policy = 28,       // exp in the past or beyond the verifiers' 5-year ceiling
  helper_protocol = 29,     // a hardware helper's pipe message broke the protocol
  token_unavailable = 30,   // no hardware token, not the enrolled one, or it failed
  token_denied = 31,        // the token refused: PIN blocked, no touch in time
  // Revocation time rules (§4.4 steps 9-10); the verifier returns these.
  revocation_stale = 32,     // ts + max_age < now (only with an opt-in max_age)
  timestamp_in_future = 33,  // ts > now + 300 s
  // Signer-side continuity and output rules (dmp-sign's signing ceremony).
  output_refused = 34,   // an output target that is a key, secret, input or state file, not
                         // a regular file, or in a missing or unwritable directory
  key_change = 35,       // the ledger knows this name under another key, no rotation links them
  first_signature = 36,  // no history for this name: --previous or --first is required
};

const char* reason_name(Reason reason) noexcept;

// An error names what the rule is about and the rule that failed; the one-line
// text the operator reads is built from the two at the edge (message()), so a
// caller can add context (the file the record came from) without reparsing.
struct Error {
  Reason reason = Reason::malformed;
  // What the rule is about, as the operator reads it: a record path
  // ("nodes[2].node_id"), an option ("--seq"), a file or a step. Empty when
  // the rule is a whole sentence.
  std::string field;
  std::string rule;  // the rule that failed, e.g. "must not be empty"

  // "field: rule", or the rule alone when there is no field.
  std::string message() const { return field.empty() ? rule : field + ": " + rule; }

  // Puts the error inside a larger context, such as the file it came from:
  // the field becomes "context: field".
  Error& within(const std::string& context) {
    field = field.empty() ? context : context + ": " + field;
    return *this;
  }
};

inline Error make_error(Reason reason, std::string field, std::string rule) {
  return Error{reason, std::move(field), std::move(rule)};
}

// Marker for the error alternative, like std::unexpected.
struct Failure {
  Error error;
};
inline Failure fail(Reason reason, std::string field, std::string rule) {
  return Failure{make_error(reason, std::move(field), std::move(rule))};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure failure) : state_(std::in_place_index<1>, std::move(failure.error)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // Calling value() on an error, or error() on a value, is a programming
  // error; abort rather than throw so no exception crosses the API.
  T& value() & { return *check_value(); }
  const T& value() const& { return *check_value(); }
  T&& value() && { return std::move(*check_value()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return check_value(); }
  const T* operator->() const { return check_value(); }

  const Error& error() const& {
    if (has_value()) std::abort();
    return std::get<1>(state_);
  }
  Error&& error() && {
    if (has_value()) std::abort();
    return std::move(std::get<1>(state_));
  }

 private:
  T* check_value() {
    if (!has_value()) std::abort();
    return &std::get<0>(state_);
  }
  const T* check_value() const {
    if (!has_value()) std::abort();
    return &std::get<0>(state_);
  }
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok() {
  return Unit{};
}

}  // namespace dmp
DMP_API_END
