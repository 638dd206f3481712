// signer/common/time_text: --now, --min-seq, --warn-expiring text and the
// RFC 3339 / duration output, with the calendar done by hand.
#include "common/time_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace {

using dmp::cli::civil_from_days;
using dmp::cli::days_from_civil;
using dmp::cli::describe_duration;
using dmp::cli::format_rfc3339_utc;
using dmp::cli::kMaxUnixTime;
using dmp::cli::parse_decimal_u64;
using dmp::cli::parse_time_text;

std::uint64_t parsed(const std::string& text) {
  auto value = parse_time_text(text, "--now");
  EXPECT_TRUE(value) << text << ": " << (value ? "" : value.error().message());
  return value ? *value : 0;
}

void expect_refused(const std::string& text, const std::string& fragment) {
  auto value = parse_time_text(text, "--now");
  ASSERT_FALSE(value) << text << " parsed as " << *value;
  EXPECT_EQ(value.error().reason, dmp::Reason::invalid_field);
  EXPECT_EQ(value.error().message().rfind("--now: ", 0), 0u) << value.error().message();
  EXPECT_NE(value.error().message().find(fragment), std::string::npos)
      << text << " -> " << value.error().message();
}

TEST(Calendar, KnownDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2030, 1, 1), 21915);  // 1893456000 / 86400
  EXPECT_EQ(days_from_civil(0, 3, 1), -719468);
}

TEST(Calendar, CivilRoundTrip) {
  for (std::int64_t day = -800'000; day <= 3'000'000; day += 97) {
    const auto date = civil_from_days(day);
    ASSERT_GE(date.month, 1u);
    ASSERT_LE(date.month, 12u);
    ASSERT_GE(date.day, 1u);
    ASSERT_LE(date.day, 31u);
    ASSERT_EQ(days_from_civil(date.year, date.month, date.day), day) << day;
  }
}

TEST(Decimal, Limits) {
  EXPECT_EQ(*parse_decimal_u64("0", "n"), 0u);
  EXPECT_EQ(*parse_decimal_u64("007", "n"), 7u);
  EXPECT_EQ(*parse_decimal_u64("18446744073709551615", "n"),
            std::numeric_limits<std::uint64_t>::max());
  auto past = parse_decimal_u64("18446744073709551616", "--min-seq");  // one past
  ASSERT_FALSE(past);
  EXPECT_NE(past.error().message().find("larger than"), std::string::npos);
  EXPECT_FALSE(parse_decimal_u64("99999999999999999999999", "n"));
}

TEST(Decimal, Garbage) {
  for (const char* text : {"", "-1", "+1", " 1", "1 ", "1e3", "0x10", "1.0", "one", "1_000"}) {
    auto value = parse_decimal_u64(text, "--min-seq");
    ASSERT_FALSE(value) << '"' << text << '"';
    EXPECT_EQ(value.error().message().rfind("--min-seq: ", 0), 0u);
  }
}

TEST(TimeText, UnixSeconds) {
  EXPECT_EQ(parsed("0"), 0u);
  EXPECT_EQ(parsed("1900000000"), 1'900'000'000u);
  EXPECT_EQ(parsed("253402300799"), kMaxUnixTime);               // the limit
  expect_refused("253402300800", "after 9999-12-31T23:59:59Z");  // one past
  expect_refused("18446744073709551616", "after 9999-12-31T23:59:59Z");
}

TEST(TimeText, Rfc3339Utc) {
  EXPECT_EQ(parsed("1970-01-01T00:00:00Z"), 0u);
  EXPECT_EQ(parsed("2030-01-01T00:00:00Z"), 1'893'456'000u);
  EXPECT_EQ(parsed("2035-01-01T00:00:00Z"), 2'051'222'400u);
  EXPECT_EQ(parsed("2030-01-01t00:00:00z"), 1'893'456'000u);      // RFC 3339 allows lower case
  EXPECT_EQ(parsed("2030-01-01T00:00:00.999Z"), 1'893'456'000u);  // truncated
  EXPECT_EQ(parsed("9999-12-31T23:59:59Z"), kMaxUnixTime);
  EXPECT_EQ(parsed("2000-02-29T12:34:56Z"), 951'827'696u);
}

TEST(TimeText, Rfc3339Offsets) {
  EXPECT_EQ(parsed("2030-01-01T01:00:00+01:00"), 1'893'456'000u);
  EXPECT_EQ(parsed("2029-12-31T18:30:00-05:30"), 1'893'456'000u);
  EXPECT_EQ(parsed("2030-01-01T00:00:00-00:00"), 1'893'456'000u);
  EXPECT_EQ(parsed("2030-01-01T23:59:00+23:59"), 1'893'456'000u);  // largest offset
  EXPECT_EQ(parsed("1970-01-01T01:00:00+01:00"), 0u);
  expect_refused("1970-01-01T00:59:59+01:00", "before 1970");  // one second before
  expect_refused("9999-12-31T23:59:59-00:01", "after 9999-12-31T23:59:59Z");
  expect_refused("2030-01-01T00:00:00+24:00", "offset out of range");
  expect_refused("2030-01-01T00:00:00+01:60", "offset out of range");
  expect_refused("2030-01-01T00:00:00+0100", "malformed UTC offset");
  expect_refused("2030-01-01T00:00:00+1:00", "malformed UTC offset");
}

TEST(TimeText, CalendarLimits) {
  EXPECT_EQ(parsed("2024-02-29T00:00:00Z"), 1'709'164'800u);
  expect_refused("2023-02-29T00:00:00Z", "day that does not exist");
  expect_refused("2100-02-29T00:00:00Z", "day that does not exist");
  EXPECT_EQ(parsed("2000-02-29T00:00:00Z"), 951'782'400u);
  EXPECT_EQ(parsed("2030-04-30T00:00:00Z"), 1'903'737'600u);
  expect_refused("2030-04-31T00:00:00Z", "day that does not exist");
  expect_refused("2030-01-32T00:00:00Z", "day that does not exist");
  expect_refused("2030-01-00T00:00:00Z", "day that does not exist");
  expect_refused("2030-00-01T00:00:00Z", "month outside 01-12");
  expect_refused("2030-13-01T00:00:00Z", "month outside 01-12");
  EXPECT_EQ(parsed("2030-01-01T23:59:59Z"), 1'893'542'399u);
  expect_refused("2030-01-01T24:00:00Z", "hour outside 00-23");
  expect_refused("2030-01-01T00:60:00Z", "minute outside 00-59");
  expect_refused("2030-01-01T00:00:60Z", "leap second");
  expect_refused("2030-01-01T00:00:61Z", "second outside 00-59");
  expect_refused("1969-12-31T23:59:59Z", "before 1970");
}

TEST(TimeText, Garbage) {
  expect_refused("", "is empty");
  expect_refused("tomorrow", "neither unix seconds nor RFC 3339");
  expect_refused("-1", "neither unix seconds nor RFC 3339");
  expect_refused("+1900000000", "neither unix seconds nor RFC 3339");
  expect_refused("1900000000.5", "neither unix seconds nor RFC 3339");
  expect_refused("2030-01-01", "neither unix seconds nor RFC 3339");
  expect_refused("2030-01-01 00:00:00Z", "neither unix seconds nor RFC 3339");
  expect_refused("2030-1-01T00:00:00Z", "neither unix seconds nor RFC 3339");
  expect_refused("20300-01-01T00:00:00Z", "neither unix seconds nor RFC 3339");
  expect_refused("2030-01-01T00:00:00", "needs a time zone");
  expect_refused("2030-01-01T00:00:00UTC", "needs a time zone");
  expect_refused("2030-01-01T00:00:00Zjunk", "trailing characters");
  expect_refused("2030-01-01T00:00:00.Z", "without fraction digits");
  expect_refused(std::string("2030-01-01T00:00:00Z\0", 21), "trailing characters");
}

TEST(TimeText, FormatsRfc3339Utc) {
  EXPECT_EQ(format_rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(2'051'222'400), "2035-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(951'827'696), "2000-02-29T12:34:56Z");
  EXPECT_EQ(format_rfc3339_utc(kMaxUnixTime), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339_utc(kMaxUnixTime + 1), "10000-01-01T00:00:00Z");
  // Total for any u64, e.g. a hostile exp.
  EXPECT_FALSE(format_rfc3339_utc(std::numeric_limits<std::uint64_t>::max()).empty());
  for (std::uint64_t t = 0; t < kMaxUnixTime; t += 7'777'777'777) {
    EXPECT_EQ(parsed(format_rfc3339_utc(t)), t);
  }
}

TEST(TimeText, DescribesDurationsRoundedDown) {
  EXPECT_EQ(describe_duration(0), "0 seconds");
  EXPECT_EQ(describe_duration(1), "1 second");
  EXPECT_EQ(describe_duration(59), "59 seconds");
  EXPECT_EQ(describe_duration(60), "1 minute");
  EXPECT_EQ(describe_duration(3599), "59 minutes");
  EXPECT_EQ(describe_duration(3600), "1 hour");
  EXPECT_EQ(describe_duration(86'399), "23 hours");
  EXPECT_EQ(describe_duration(86'400), "1 day");
  EXPECT_EQ(describe_duration(123 * 86'400 + 86'399), "123 days");
}

}  // namespace
