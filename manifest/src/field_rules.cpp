#include "field_rules.hpp"

namespace dmp::detail {
namespace {

bool is_ascii(std::string_view text) noexcept {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string length_rule(const TextRule& rule) {
  return "length must be " + std::string(rule.may_be_empty ? "0" : "1") + ".." +
         std::to_string(rule.max_len) + " bytes";
}

}  // namespace

Result<std::string> normalize_name_for_signing(std::string_view name, const std::string& field) {
  if (name.empty()) return invalid(field, "must not be empty");
  if (name.size() >= 2 && name.substr(name.size() - 2) == "..") {
    return invalid(field, "ends with '..' (empty final label)");
  }
  const std::string_view stripped = strip_one_dot(name);
  if (stripped.empty()) return invalid(field, "has no label");
  if (stripped.size() > kMaxNameLen) {
    return invalid(field, "longer than 64 bytes (" + std::to_string(stripped.size()) + ")");
  }
  if (!is_valid_utf8(stripped)) return invalid(field, "is not valid UTF-8");
  if (auto rule = check_dns_name(stripped, field); !rule) return rule.error();
  return std::string(stripped);
}

Result<std::string> read_name_field(encoding::ByteReader& reader, std::size_t length,
                                    const std::string& field) {
  if (!reader.has(length)) return malformed(field, "truncated");
  const bool trailing_dot = length > 0 && reader.peek_bytes(length).back() == '.';
  const std::size_t effective = length - (trailing_dot ? 1 : 0);
  if (effective == 0 || effective > kMaxNameLen) {
    return malformed(field, "length must be 1..64 bytes without a trailing dot (is " +
                                std::to_string(effective) + ")");
  }
  const std::string name = to_string(reader.read_bytes(length));
  if (!is_valid_utf8(name)) return malformed(field, "is not valid UTF-8");
  if (auto rule = check_dns_name(name, field); !rule) {
    return fail(Reason::malformed, rule.error().field, rule.error().rule);
  }
  return std::string(strip_one_dot(name));
}

Result<std::string> read_text_field(encoding::ByteReader& reader, std::size_t length, TextRule rule,
                                    const std::string& field) {
  if ((length == 0 && !rule.may_be_empty) || length > rule.max_len) {
    return malformed(field, length_rule(rule) + " (is " + std::to_string(length) + ")");
  }
  if (!reader.has(length)) return malformed(field, "truncated");
  std::string text = to_string(reader.read_bytes(length));
  if (rule.ascii_only ? !is_ascii(text) : !is_valid_utf8(text)) {
    return malformed(field, rule.ascii_only ? "must be ASCII" : "is not valid UTF-8");
  }
  return text;
}

Status check_text_for_signing(std::string_view text, TextRule rule, const std::string& field) {
  if ((text.empty() && !rule.may_be_empty) || text.size() > rule.max_len) {
    return invalid(field, length_rule(rule) + " (is " + std::to_string(text.size()) + ")");
  }
  if (rule.ascii_only ? !is_ascii(text) : !is_valid_utf8(text)) {
    return invalid(field, rule.ascii_only ? "must be ASCII" : "is not valid UTF-8");
  }
  return ok();
}

}  // namespace dmp::detail
