#include "keyfile/pkcs11_uri.hpp"

#include <array>
#include <cstring>

#include "dmp/encoding.hpp"

namespace dmp::keyfile {
namespace {

constexpr std::string_view kScheme = "pkcs11:";
constexpr std::size_t kMaxTokenField = 32;  // CK_TOKEN_INFO fields
constexpr std::size_t kMaxLabel = 255;
constexpr std::size_t kMaxId = 255;
constexpr std::size_t kMaxPath = 4096;

Failure refuse(const std::string& attribute, const std::string& rule) {
  return fail(Reason::key_format, "PKCS#11 URI", attribute + ": " + rule);
}

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}
// RFC 7512 section 2.3: pk11-path-res and pk11-query-res.
bool path_reserved_ok(char c) {
  return c != 0 && std::strchr(":[]@!$'()*+,=&", c) != nullptr;
}
bool query_reserved_ok(char c) {
  return c != 0 && std::strchr(":[]@!$'()*+,;/?", c) != nullptr;
}

// Percent-decodes `value`, allowing unescaped only what the URI part allows.
Result<std::string> decode(std::string_view value, const std::string& attribute, bool in_query) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '%') {
      std::uint8_t byte = 0;
      if (!encoding::hex_decode_into(value.substr(i + 1, 2), std::span(&byte, 1)))
        return refuse(attribute, "a % must be followed by two hex digits");
      out.push_back(static_cast<char>(byte));
      i += 2;
    } else if (unreserved(c) || (in_query ? query_reserved_ok(c) : path_reserved_ok(c))) {
      out.push_back(c);
    } else {
      // Built with append(): GCC 12 warns falsely (-Wrestrict) on "literal" + string&&.
      std::string rule = "the character ";
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        rule.append("0x").append(std::to_string(static_cast<unsigned char>(c)));
      else
        rule.append(1, '\'').append(1, c).append(1, '\'');
      rule.append(" must be %-escaped");
      return refuse(attribute, rule);
    }
  }
  return out;
}

Status check_text(const std::string& attribute, const std::string& text, std::size_t max) {
  if (text.empty()) return refuse(attribute, "must not be empty");
  if (text.size() > max) return refuse(attribute, "at most " + std::to_string(max) + " bytes");
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return refuse(attribute, "control characters are not allowed");
  return ok();
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t end = text.find(sep, pos);
    out.push_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

// One attribute of either part: a duplicate is refused, the value decoded
// and checked, and stored.
Status set_text(std::optional<std::string>& slot, const std::string& name, std::string value,
                std::size_t max) {
  if (slot) return refuse(name, "given twice");
  if (auto checked = check_text(name, value, max); !checked) return checked;
  slot = std::move(value);
  return ok();
}

Status set_path_attribute(Pkcs11Uri& uri, const std::string& name, std::string value) {
  if (name == "token") return set_text(uri.token, name, std::move(value), kMaxTokenField);
  if (name == "manufacturer")
    return set_text(uri.manufacturer, name, std::move(value), kMaxTokenField);
  if (name == "serial") return set_text(uri.serial, name, std::move(value), kMaxTokenField);
  if (name == "model") return set_text(uri.model, name, std::move(value), kMaxTokenField);
  if (name == "object") return set_text(uri.object, name, std::move(value), kMaxLabel);
  if (name == "type") {
    if (auto set = set_text(uri.type, name, std::move(value), 16); !set) return set;
    if (*uri.type != "private" && *uri.type != "public")
      return refuse(name, "must be private or public (the two halves of an Ed25519 key pair)");
    return ok();
  }
  if (name == "id") {
    if (uri.id) return refuse(name, "given twice");
    if (value.empty() || value.size() > kMaxId) return refuse(name, "must have 1 to 255 bytes");
    uri.id = std::vector<std::uint8_t>(value.begin(), value.end());
    return ok();
  }
  return refuse(name,
                "unknown path attribute (known: token, manufacturer, serial, model, "
                "object, id, type)");
}

Status set_query_attribute(Pkcs11Uri& uri, const std::string& name, std::string value) {
  if (name == "pin-value")
    return fail(Reason::usage, "PKCS#11 URI",
                "pin-value: a PIN on the command line is refused (other users see "
                "it); use pin-source=file:PATH, --pin-file or the prompt");
  if (name == "module-path") {
    if (auto set = set_text(uri.module_path, name, std::move(value), kMaxPath); !set) return set;
    if (uri.module_path->front() != '/')
      return refuse(name, "must be an absolute path (a relative one would be searched for)");
    return ok();
  }
  if (name == "module-name") {
    if (auto set = set_text(uri.module_name, name, std::move(value), kMaxLabel); !set) return set;
    if (uri.module_name->find('/') != std::string::npos || *uri.module_name == "." ||
        *uri.module_name == "..")
      return refuse(name, "must be a file name without '/' (use module-path for a path)");
    return ok();
  }
  if (name == "pin-source") {
    if (uri.pin_file) return refuse(name, "given twice");
    std::string_view source = value;
    if (source.substr(0, 5) != "file:")
      return refuse(name, "only file:PATH is supported (no programs, no other schemes)");
    source.remove_prefix(5);
    // file:///abs and file:/abs name the same file.
    if (source.substr(0, 3) == "///") source.remove_prefix(2);
    if (source.substr(0, 2) == "//")
      return refuse(name, "file://HOST/... is not supported; use file:/PATH");
    std::string path(source);
    if (auto checked = check_text(name, path, kMaxPath); !checked) return checked;
    uri.pin_file = std::move(path);
    return ok();
  }
  return refuse(name, "unknown query attribute (known: module-path, module-name, pin-source)");
}

std::string encode(std::string_view value, bool in_query, bool escape_all = false) {
  std::string out;
  for (char c : value) {
    // '=' and the separators are escaped even where RFC 7512 would allow
    // them, so the canonical form never depends on where a value ends.
    const bool plain =
        !escape_all &&
        (unreserved(c) || (in_query ? c == ':' || c == '/' || c == '@' : c == ':' || c == '@'));
    if (plain) {
      out.push_back(c);
    } else {
      const auto b = static_cast<std::uint8_t>(c);
      out += '%' + encoding::hex_encode(std::span(&b, 1));
    }
  }
  return out;
}

}  // namespace

bool looks_like_pkcs11_uri(std::string_view text) noexcept {
  if (text.size() < kScheme.size()) return false;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return false;
  }
  return true;
}

Result<Pkcs11Uri> parse_pkcs11_uri(std::string_view text) {
  if (text.size() > kMaxPkcs11UriLen) return refuse("uri", "longer than 4096 bytes");
  if (!looks_like_pkcs11_uri(text)) return refuse("uri", "must start with pkcs11:");
  text.remove_prefix(kScheme.size());
  const std::size_t question = text.find('?');
  const std::string_view path = text.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : text.substr(question + 1);
  Pkcs11Uri uri;
  const struct {
    std::string_view part;
    char separator;
    bool in_query;
  } parts[] = {{path, ';', false}, {query, '&', true}};
  for (const auto& p : parts) {
    if (p.part.empty()) continue;
    for (std::string_view attribute : split(p.part, p.separator)) {
      const std::size_t equals = attribute.find('=');
      if (attribute.empty()) return refuse("uri", "empty attribute (doubled separator?)");
      if (equals == std::string_view::npos || equals == 0)
        return refuse(std::string(attribute.substr(0, 64)), "must be NAME=VALUE");
      std::string name(attribute.substr(0, equals));
      for (char c : name)
        if (!unreserved(c)) return refuse("uri", "attribute names are letters, digits and -");
      auto value = decode(attribute.substr(equals + 1), name, p.in_query);
      if (!value) return value.error();
      auto set = p.in_query ? set_query_attribute(uri, name, std::move(*value))
                            : set_path_attribute(uri, name, std::move(*value));
      if (!set) return set.error();
    }
  }
  if (uri.module_path && uri.module_name)
    return refuse("module-path", "give module-path or module-name, not both");
  return uri;
}

std::string format_pkcs11_uri(const Pkcs11Uri& uri) {
  std::string path, query;
  const auto add = [](std::string& out, char sep, const char* name, const std::string& value) {
    if (!out.empty()) out.push_back(sep);
    out += name;
    out.push_back('=');
    out += value;
  };
  const std::pair<const char*, const std::optional<std::string>*> texts[] = {
      {"token", &uri.token},   {"manufacturer", &uri.manufacturer},
      {"serial", &uri.serial}, {"model", &uri.model},
      {"object", &uri.object}, {"type", &uri.type}};
  for (const auto& [name, value] : texts)
    if (*value) add(path, ';', name, encode(**value, false));
  if (uri.id)
    add(path, ';', "id",
        encode(std::string_view(reinterpret_cast<const char*>(uri.id->data()), uri.id->size()),
               false, true));
  if (uri.module_name) add(query, '&', "module-name", encode(*uri.module_name, true));
  if (uri.module_path) add(query, '&', "module-path", encode(*uri.module_path, true));
  if (uri.pin_file) add(query, '&', "pin-source", "file:" + encode(*uri.pin_file, true));
  return std::string(kScheme) + path + (query.empty() ? "" : "?" + query);
}

}  // namespace dmp::keyfile
