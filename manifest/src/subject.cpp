// Subjects of rotation and revocation records (§4.1, §4.2): validation,
// comparison and the rotate RRset owner name. Shared by both record codecs.
#include <array>

#include "dmp/key_records.hpp"
#include "dmp/names.hpp"
#include "field_rules.hpp"
#include "subject_head.hpp"

namespace dmp {
namespace {

std::string text(std::string_view field) {
  return std::string(field);
}
Failure invalid(std::string_view field, const std::string& rule) {
  return fail(Reason::invalid_field, text(field), rule);
}

// The UTF-8 encodings of the non-ASCII code points Python's str.isspace()
// accepts (CPython 3.11): U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028,
// U+2029, U+202F, U+205F, U+3000. The reference strips the halves of a
// user@host subject with str.strip(), so "\u00a0example.com" is a valid host.
constexpr std::array<std::string_view, 19> kWideSpaces{{
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81",
    "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86",
    "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8",
    "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80",
}};

bool is_ascii_space(char c) noexcept {
  // \t \n \v \f \r, the four information separators 0x1C-0x1F, and space.
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == ' ';
}

// Python's str.strip() on valid UTF-8.
std::string_view python_strip(std::string_view s) {
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    if (is_ascii_space(s.front())) {
      s.remove_prefix(1), changed = true;
      continue;
    }
    for (std::string_view space : kWideSpaces) {
      if (s.starts_with(space)) {
        s.remove_prefix(space.size()), changed = true;
        break;
      }
    }
  }
  changed = true;
  while (changed && !s.empty()) {
    changed = false;
    if (is_ascii_space(s.back())) {
      s.remove_suffix(1), changed = true;
      continue;
    }
    for (std::string_view space : kWideSpaces) {
      if (s.ends_with(space)) {
        s.remove_suffix(space.size()), changed = true;
        break;
      }
    }
  }
  return s;
}

// The reference's user-identity rule: "user@host" split at the first '@',
// both halves non-empty after strip(), the host (one dot removed) a §1.5 name.
Status check_user_subject(std::string_view subject, std::string_view field) {
  const std::size_t at = subject.find('@');
  if (at == std::string_view::npos)
    return invalid(field, "user-identity subject must be user@host");
  const std::string_view user = python_strip(subject.substr(0, at));
  const std::string_view host = python_strip(subject.substr(at + 1));
  if (user.empty() || host.empty()) {
    return invalid(field, "user-identity subject needs a non-empty user and host");
  }
  const std::string_view normalized = strip_one_dot(host);
  if (normalized.empty()) return invalid(field, "user-identity host has no label");
  return check_dns_name(normalized, field);
}

}  // namespace

std::string_view subject_type_name(SubjectType type) noexcept {
  switch (type) {
    case SubjectType::user_identity:
      return "user-identity";
    case SubjectType::cluster_operator:
      return "cluster-operator";
    case SubjectType::bootstrap_signer:
      return "bootstrap-signer";
  }
  return "unknown";
}

std::string_view revocation_reason_name(RevocationReason reason) noexcept {
  switch (reason) {
    case RevocationReason::compromise:
      return "compromise";
    case RevocationReason::routine:
      return "routine";
    case RevocationReason::lost_key:
      return "lost-key";
    case RevocationReason::other:
      return "other";
  }
  return "unknown";
}

std::optional<SubjectType> subject_type_from_byte(std::uint8_t value) noexcept {
  if (value < 1 || value > 3) return std::nullopt;
  return static_cast<SubjectType>(value);
}

std::optional<RevocationReason> revocation_reason_from_byte(std::uint8_t value) noexcept {
  if (value < 1 || value > 4) return std::nullopt;
  return static_cast<RevocationReason>(value);
}

Status check_subject(SubjectType type, std::string_view subject, std::string_view field) {
  if (subject.empty()) return invalid(field, "must not be empty");
  if (!subject_type_from_byte(static_cast<std::uint8_t>(type))) {
    return invalid(field, "subject_type must be 1, 2 or 3");
  }
  const std::size_t cap = type == SubjectType::user_identity ? kMaxUserSubjectLen : kMaxSubjectLen;
  if (subject.size() > cap) {
    return invalid(field, "longer than " + std::to_string(cap) + " bytes (" +
                              std::to_string(subject.size()) + ")");
  }
  if (!is_valid_utf8(subject)) return invalid(field, "is not valid UTF-8");
  if (type == SubjectType::user_identity) return check_user_subject(subject, field);
  // §4.2: one dot removed, then §1.5, which tolerates one more: so "a.b.."
  // passes here although cluster_name/user_domain refuse it (§10 item 5).
  const std::string_view normalized = strip_one_dot(subject);
  if (normalized.empty()) return invalid(field, "has no label");
  return check_dns_name(normalized, field);
}

bool subject_matches_expected(SubjectType type, std::string_view stored,
                              std::string_view expected) {
  if (!is_valid_utf8(expected)) return false;  // the reference only sees text
  if (type != SubjectType::user_identity) {
    return name_matches_expected(strip_one_dot(stored), expected);
  }
  const std::size_t stored_at = stored.find('@');
  const std::size_t expected_at = expected.find('@');
  if (stored_at == std::string_view::npos || expected_at == std::string_view::npos) {
    return stored == expected;  // the reference leaves a subject without '@' as it is
  }
  if (python_strip(stored.substr(0, stored_at)) != python_strip(expected.substr(0, expected_at))) {
    return false;  // the user half is compared as written
  }
  const std::string_view stored_host = strip_one_dot(python_strip(stored.substr(stored_at + 1)));
  return name_matches_expected(stored_host, python_strip(expected.substr(expected_at + 1)));
}

std::optional<std::string> rotation_rrset_name(SubjectType type, std::string_view subject) {
  const std::string name(strip_one_dot(subject));
  if (type == SubjectType::cluster_operator) return "rotate.cluster." + name;
  if (type == SubjectType::bootstrap_signer) return "rotate._dmp." + name;
  return std::nullopt;
}

}  // namespace dmp

namespace dmp::detail {

void put_subject_head(Bytes& body, std::string_view magic, SubjectType type,
                      const std::string& subject) {
  put_bytes(body, magic);
  encoding::write_be(body, static_cast<std::uint8_t>(type), 1);
  encoding::write_be(body, subject.size(), 1);
  put_bytes(body, subject);
}

Result<SubjectHead> read_subject_head(encoding::ByteReader& reader, std::string_view magic,
                                      std::size_t tail_len, std::string_view tail_fields) {
  if (to_string(reader.read_bytes(kMagicLen)) != magic) {
    return malformed("magic", "must be '" + std::string(magic) + "'");
  }
  const auto type = subject_type_from_byte(static_cast<std::uint8_t>(reader.read_uint(1)));
  if (!type) return malformed("subject_type", "must be 1, 2 or 3");
  const std::size_t cap = *type == SubjectType::user_identity ? kMaxUserSubjectLen : kMaxSubjectLen;
  const std::size_t subject_len = reader.read_uint(1);
  if (subject_len == 0 || subject_len > cap) {
    return malformed("subject", "length must be 1.." + std::to_string(cap) + " bytes (is " +
                                    std::to_string(subject_len) + ")");
  }
  if (!reader.has(subject_len)) return malformed("subject", "truncated");
  SubjectHead head{*type, to_string(reader.read_bytes(subject_len))};
  if (!is_valid_utf8(head.subject)) return malformed("subject", "is not valid UTF-8");
  if (reader.remaining() != tail_len) {
    return malformed("body", "must end exactly " + std::to_string(tail_len) +
                                 " bytes after the subject (" + std::string(tail_fields) + "); " +
                                 std::to_string(reader.remaining()) + " remain");
  }
  return head;
}

}  // namespace dmp::detail
