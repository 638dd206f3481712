#include "expiry_check.hpp"

#include <string>

#include "dmp/expiry.hpp"

namespace dmp::detail {

Status check_expiry(std::uint64_t exp, std::uint64_t now, std::string_view what) {
  switch (expiry_verdict(exp, now)) {
    case ExpiryVerdict::expired:
      return fail(Reason::expired, "exp",
                  std::string(what) + " expired (exp " + std::to_string(exp) + " < now " +
                      std::to_string(now) + ")");
    case ExpiryVerdict::too_far:
      return fail(Reason::expiry_too_far, "exp",
                  "more than 5 years (" + std::to_string(kMaxExpAhead) + " s) after now (" +
                      std::to_string(exp - now) + " s)");
    case ExpiryVerdict::within:
      break;
  }
  return ok();
}

}  // namespace dmp::detail
