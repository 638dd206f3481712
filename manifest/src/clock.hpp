// The wall clock, read only when a caller did not pass `now`. Internal.
#pragma once

#include <cstdint>
#include <ctime>

namespace dmp::detail {

// The reference truncates time.time(); a clock before 1970 reads as 0.
inline std::uint64_t wall_clock_now() noexcept {
  const std::time_t now = std::time(nullptr);
  return now < 0 ? 0 : static_cast<std::uint64_t>(now);
}

}  // namespace dmp::detail
