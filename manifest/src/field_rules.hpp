// Field rules shared by the two record codecs. Internal.
#pragma once

#include <string>
#include <string_view>

#include "byte_io.hpp"
#include "dmp/names.hpp"
#include "dmp/result.hpp"

namespace dmp::detail {

inline Failure malformed(std::string field, const std::string& rule) {
  return fail(Reason::malformed, field, rule);
}
inline Failure invalid(std::string field, const std::string& rule) {
  return fail(Reason::invalid_field, field, rule);
}

// Sign side of a record name (cluster_name, user_domain, cluster_base_domain):
// no "..", one trailing dot stripped, 1..64 UTF-8 bytes, §1.5. Returns the
// normalised name.
Result<std::string> normalize_name_for_signing(std::string_view name, const std::string& field);

// Parse side of a length-prefixed name (§2.2 verifier column): `length` bytes
// present; effective length (without one trailing dot) 1..64; UTF-8; §1.5 on
// the raw text. Returns the name with its trailing dot removed.
Result<std::string> read_name_field(encoding::ByteReader& reader, std::size_t length,
                                    const std::string& field);

// A length-prefixed text field of 1..max (or 0..max when `may_be_empty`) bytes
// that must be valid UTF-8 (or ASCII when `ascii_only`).
struct TextRule {
  std::size_t max_len;
  bool may_be_empty;
  bool ascii_only;
};
Result<std::string> read_text_field(encoding::ByteReader& reader, std::size_t length, TextRule rule,
                                    const std::string& field);
Status check_text_for_signing(std::string_view text, TextRule rule, const std::string& field);

inline std::string indexed(std::string_view list, std::size_t index, std::string_view member) {
  return std::string(list) + "[" + std::to_string(index) + "]." + std::string(member);
}

}  // namespace dmp::detail
