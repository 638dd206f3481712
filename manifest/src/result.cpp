#include "dmp/result.hpp"

namespace dmp {

const char* reason_name(Reason reason) noexcept {
  switch (reason) {
    case Reason::ok:
      return "ok";
    case Reason::bad_prefix:
      return "bad_prefix";
    case Reason::too_long:
      return "too_long";
    case Reason::bad_base64:
      return "bad_base64";
    case Reason::too_short:
      return "too_short";
    case Reason::bad_key:
      return "bad_key";
    case Reason::bad_signature:
      return "bad_signature";
    case Reason::malformed:
      return "malformed";
    case Reason::key_mismatch:
      return "key_mismatch";
    case Reason::expired:
      return "expired";
    case Reason::expiry_too_far:
      return "expiry_too_far";
    case Reason::name_mismatch:
      return "name_mismatch";
    case Reason::non_canonical:
      return "non_canonical";
    case Reason::invalid_field:
      return "invalid_field";
    case Reason::usage:
      return "usage";
    case Reason::io_error:
      return "io_error";
    case Reason::key_format:
      return "key_format";
    case Reason::key_version:
      return "key_version";
    case Reason::kdf_limits:
      return "kdf_limits";
    case Reason::insecure_file:
      return "insecure_file";
    case Reason::wrong_passphrase:
      return "wrong_passphrase";
    case Reason::out_of_memory:
      return "out_of_memory";
    case Reason::already_exists:
      return "already_exists";
    case Reason::weak_passphrase:
      return "weak_passphrase";
    case Reason::seq_not_increasing:
      return "seq_not_increasing";
    case Reason::ledger_corrupt:
      return "ledger_corrupt";
    case Reason::lock_busy:
      return "lock_busy";
    case Reason::not_confirmed:
      return "not_confirmed";
    case Reason::expiry_policy:
      return "expiry_policy";
    case Reason::helper_protocol:
      return "helper_protocol";
    case Reason::token_unavailable:
      return "token_unavailable";
    case Reason::token_denied:
      return "token_denied";
    case Reason::revocation_stale:
      return "revocation_stale";
    case Reason::timestamp_in_future:
      return "timestamp_in_future";
    case Reason::output_refused:
      return "output_refused";
    case Reason::key_change:
      return "key_change";
    case Reason::first_signature:
      return "first_signature";
  }
  return "unknown";
}

}  // namespace dmp
