// The §1.6 time window for `exp`, stated once: the verifier applies it to
// cluster, bootstrap and rotation records, and the signer's policy holds
// every exp it signs to the same window.
#pragma once

#include <cstdint>

#include "dmp/api.hpp"

DMP_API_BEGIN
namespace dmp {

// exp may lie at most this far after now: 5 x 365 x 86400 s, no leap days.
inline constexpr std::uint64_t kMaxExpAhead = 157'680'000;

enum class ExpiryVerdict { within, expired, too_far };

// exp < now is expired (exp == now is still accepted); exp - now over
// kMaxExpAhead is too far (exactly kMaxExpAhead is accepted). There is no
// tolerance for clock skew on either bound.
constexpr ExpiryVerdict expiry_verdict(std::uint64_t exp, std::uint64_t now) noexcept {
  if (exp < now) return ExpiryVerdict::expired;
  if (exp - now > kMaxExpAhead) return ExpiryVerdict::too_far;
  return ExpiryVerdict::within;
}

// The `now` closest to `clock` at which `exp` is within the window: for
// checks of signature and structure that must not fail on time.
constexpr std::uint64_t now_within_window(std::uint64_t clock, std::uint64_t exp) noexcept {
  if (clock > exp) return exp;
  if (exp - clock > kMaxExpAhead) return exp - kMaxExpAhead;
  return clock;
}

}  // namespace dmp
DMP_API_END
