#include "common/time_text.hpp"

#include <limits>

namespace dmp::cli {
namespace {

constexpr std::uint64_t kSecondsPerDay = 86'400;

// 'text', built by appending: GCC 12 warns falsely (-Wrestrict) on the
// `"'" + std::string(text)` form.
std::string quoted(std::string_view text) {
  return std::string("'").append(text).append("'");
}

Failure time_error(std::string_view field, std::string_view text, const std::string& rule) {
  const std::string f(field);
  return fail(Reason::invalid_field, f, quoted(text) + " " + rule);
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool is_leap_year(std::int64_t year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

unsigned days_in_month(std::int64_t year, unsigned month) noexcept {
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `count` digits at `pos`; false when any is missing.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t count,
                 unsigned& value) noexcept {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!is_digit(text[pos + i])) return false;
    value = value * 10 + static_cast<unsigned>(text[pos + i] - '0');
  }
  pos += count;
  return true;
}

bool expect_char(std::string_view text, std::size_t& pos, char a, char b) noexcept {
  if (pos >= text.size() || (text[pos] != a && text[pos] != b)) return false;
  ++pos;
  return true;
}

Result<std::uint64_t> parse_rfc3339(std::string_view text, std::string_view field) {
  static constexpr std::string_view kShape =
      "is neither unix seconds nor RFC 3339 (YYYY-MM-DDTHH:MM:SSZ or with +HH:MM/-HH:MM)";
  std::size_t pos = 0;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, pos, 4, year) || !expect_char(text, pos, '-', '-') ||
      !read_digits(text, pos, 2, month) || !expect_char(text, pos, '-', '-') ||
      !read_digits(text, pos, 2, day) || !expect_char(text, pos, 'T', 't') ||
      !read_digits(text, pos, 2, hour) || !expect_char(text, pos, ':', ':') ||
      !read_digits(text, pos, 2, minute) || !expect_char(text, pos, ':', ':') ||
      !read_digits(text, pos, 2, second)) {
    return time_error(field, text, std::string(kShape));
  }
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < text.size() && is_digit(text[pos]))
      ++pos;
    if (pos == start) return time_error(field, text, "has a '.' without fraction digits");
  }
  std::int64_t offset = 0;  // seconds east of UTC
  if (expect_char(text, pos, 'Z', 'z')) {
    // UTC
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const bool east = text[pos++] == '+';
    unsigned off_hour = 0, off_minute = 0;
    if (!read_digits(text, pos, 2, off_hour) || !expect_char(text, pos, ':', ':') ||
        !read_digits(text, pos, 2, off_minute)) {
      return time_error(field, text, "has a malformed UTC offset (must be +HH:MM or -HH:MM)");
    }
    if (off_hour > 23 || off_minute > 59) {
      return time_error(field, text, "has a UTC offset out of range (hours 00-23, minutes 00-59)");
    }
    offset = (east ? 1 : -1) * static_cast<std::int64_t>(off_hour * 3600 + off_minute * 60);
  } else {
    return time_error(field, text, "needs a time zone: 'Z' or +HH:MM/-HH:MM");
  }
  if (pos != text.size()) return time_error(field, text, "has trailing characters");

  if (month < 1 || month > 12) return time_error(field, text, "has a month outside 01-12");
  if (day < 1 || day > days_in_month(year, month)) {
    return time_error(field, text, "has a day that does not exist in that month");
  }
  if (hour > 23) return time_error(field, text, "has an hour outside 00-23");
  if (minute > 59) return time_error(field, text, "has a minute outside 00-59");
  if (second == 60) {
    return time_error(field, text, "is a leap second, which unix time cannot represent");
  }
  if (second > 59) return time_error(field, text, "has a second outside 00-59");

  const std::int64_t seconds = days_from_civil(year, month, day) * 86'400 +
                               static_cast<std::int64_t>(hour * 3600 + minute * 60 + second) -
                               offset;
  if (seconds < 0) return time_error(field, text, "is before 1970-01-01T00:00:00Z");
  if (static_cast<std::uint64_t>(seconds) > kMaxUnixTime) {
    return time_error(field, text, "is after 9999-12-31T23:59:59Z");
  }
  return static_cast<std::uint64_t>(seconds);
}

std::string plural(std::uint64_t count, std::string_view unit) {
  return std::to_string(count) + " " + std::string(unit) + (count == 1 ? "" : "s");
}

}  // namespace

// Howard Hinnant's days_from_civil: shifts the year to start in March so the
// leap day is the last day of the (400-year) era cycle.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<std::uint64_t>(year - era * 400);  // [0, 399]
  const std::uint64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::uint64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146'097 + static_cast<std::int64_t>(day_of_era) - 719'468;
}

CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto day_of_era = static_cast<std::uint64_t>(days - era * 146'097);  // [0, 146096]
  const std::uint64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const std::uint64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const std::uint64_t shifted_month = (5 * day_of_year + 2) / 153;             // [0, 11]
  CivilDate date;
  date.day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  date.month = static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  date.year = static_cast<std::int64_t>(year_of_era) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

Result<std::uint64_t> parse_decimal_u64(std::string_view text, std::string_view field) {
  const std::string f(field);
  if (text.empty()) return fail(Reason::invalid_field, f, "must not be empty");
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (const char c : text) {
    if (!is_digit(c)) {
      return fail(Reason::invalid_field, f, quoted(text) + " is not an unsigned decimal number");
    }
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) {
      return fail(Reason::invalid_field, f, quoted(text) + " is larger than 18446744073709551615");
    }
    value = value * 10 + digit;
  }
  return value;
}

Result<std::uint64_t> parse_time_text(std::string_view text, std::string_view field) {
  if (text.empty()) return time_error(field, text, "is empty");
  bool all_digits = true;
  for (const char c : text)
    all_digits = all_digits && is_digit(c);
  if (!all_digits) return parse_rfc3339(text, field);
  auto seconds = parse_decimal_u64(text, field);
  if (!seconds || *seconds > kMaxUnixTime) {
    return time_error(field, text, "is after 9999-12-31T23:59:59Z (253402300799 unix seconds)");
  }
  return seconds;
}

std::string format_rfc3339_utc(std::uint64_t unix_seconds) {
  const auto days = static_cast<std::int64_t>(unix_seconds / kSecondsPerDay);
  const std::uint64_t rest = unix_seconds % kSecondsPerDay;
  const CivilDate date = civil_from_days(days);
  const auto two = [](std::uint64_t v) {
    return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
  };
  std::string year = std::to_string(date.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + two(date.month) + "-" + two(date.day) + "T" + two(rest / 3600) + ":" +
         two(rest / 60 % 60) + ":" + two(rest % 60) + "Z";
}

std::string describe_duration(std::uint64_t seconds) {
  if (seconds >= kSecondsPerDay) return plural(seconds / kSecondsPerDay, "day");
  if (seconds >= 3600) return plural(seconds / 3600, "hour");
  if (seconds >= 60) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}

}  // namespace dmp::cli
