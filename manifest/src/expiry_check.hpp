// The verifier's refusals for the §1.6 window (dmp/expiry.hpp). Internal.
#pragma once

#include <cstdint>
#include <string_view>

#include "dmp/result.hpp"

namespace dmp::detail {

// Reason::expired or Reason::expiry_too_far on field "exp"; `what` names the
// record in the message ("record", "rotation").
Status check_expiry(std::uint64_t exp, std::uint64_t now, std::string_view what);

}  // namespace dmp::detail
