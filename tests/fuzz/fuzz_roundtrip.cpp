// libFuzzer target (differential): the input is a recipe, read through
// FuzzedDataProvider, for a ClusterManifest or BootstrapRecord. The record is
// checked against an independent model of the sign-side rules and the body
// layout written from the spec (§1.5, §2.1-§2.2, §3.1-§3.3), then signed with
// a fixed test key and taken through the whole pipeline:
//   - encode_body accepts exactly what the model accepts, byte for byte;
//   - decode(encode(r)) succeeds and equals the model's normalisation of r
//     and dmp::normalize(r); encode(decode(bytes)) == bytes;
//   - assemble_wire fails with too_long exactly when the wire would pass 1200
//     bytes; the wire survives TXT quoting and parsing;
//   - dmp::verify (default, strict with the name bound, the typed entry
//     points) accepts the signed wire at a clock within the exp window and
//     returns the decoded record; a foreign embedded key is key_mismatch; the
//     exp window's edges give expired / expiry_too_far / acceptance.
// Recipe layout: see read_recipe(); seeds come from make_seeds.cpp.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#if __has_include(<fuzzer/FuzzedDataProvider.h>)
#include <fuzzer/FuzzedDataProvider.h>
#else
#include <climits>
// The part of LLVM's header-only FuzzedDataProvider this target uses, with
// the same byte consumption, for toolchains that do not ship it: integers
// come off the end of the data, strings off the front.
class FuzzedDataProvider {
 public:
  FuzzedDataProvider(const std::uint8_t* data, std::size_t size) : data_(data), remaining_(size) {}

  template <typename T>
  T ConsumeIntegralInRange(T min, T max) {
    if (min > max) std::abort();
    const std::uint64_t range = static_cast<std::uint64_t>(max) - static_cast<std::uint64_t>(min);
    std::uint64_t result = 0;
    std::size_t offset = 0;
    while (offset < sizeof(T) * CHAR_BIT && (range >> offset) > 0 && remaining_ != 0) {
      --remaining_;
      result = (result << CHAR_BIT) | data_[remaining_];
      offset += CHAR_BIT;
    }
    if (range != std::numeric_limits<std::uint64_t>::max()) result = result % (range + 1);
    return static_cast<T>(static_cast<std::uint64_t>(min) + result);
  }
  template <typename T>
  T ConsumeIntegral() {
    return ConsumeIntegralInRange(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  }
  bool ConsumeBool() { return (ConsumeIntegral<std::uint8_t>() & 1) != 0; }
  // A backslash escapes a backslash; a backslash before anything else ends the string.
  std::string ConsumeRandomLengthString(std::size_t max_length) {
    std::string result;
    for (std::size_t i = 0; i < max_length && remaining_ != 0; ++i) {
      char next = static_cast<char>(data_[0]);
      advance();
      if (next == '\\' && remaining_ != 0) {
        next = static_cast<char>(data_[0]);
        advance();
        if (next != '\\') break;
      }
      result += next;
    }
    return result;
  }
  std::size_t remaining_bytes() const { return remaining_; }

 private:
  void advance() { ++data_, --remaining_; }
  const std::uint8_t* data_;
  std::size_t remaining_;
};
#endif

#include "dmp/codec.hpp"
#include "dmp/names.hpp"
#include "dmp/records.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "support/raw_bytes.hpp"
#include "support/test_keys.hpp"

namespace {

using dmp::Bytes;

const dmp::test::TestKey& fixed_key() {
  static const dmp::test::TestKey key = dmp::test::key_for_label("dmp-fuzz/signer");
  return key;
}

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_roundtrip: invariant violated: %s\n", invariant);
  std::abort();
}

// ---- Recipe -----------------------------------------------------------------

enum class TimeProbe : std::uint8_t { none, expired, too_far, at_ceiling };

struct Recipe {
  dmp::Record record;
  bool foreign_key = false;  // the embedded key is not the signing key
  std::uint64_t ahead = 0;   // exp - now for the accepting verification (capped at exp)
  TimeProbe probe = TimeProbe::none;
  bool tamper = false;  // also check that a flipped body bit is bad_signature
};

const std::vector<std::string>& label_pool() {
  static const std::vector<std::string> pool = {"mesh",
                                                "example",
                                                "com",
                                                "net",
                                                "a",
                                                "n1",
                                                "xn--bcher-kva",
                                                "MESH",
                                                "Example",
                                                "a-b",
                                                "0",
                                                "123",
                                                std::string(60, 'x'),
                                                std::string(63, 'y'),
                                                std::string(64, 'z'),
                                                "-a",
                                                "a-",
                                                "a_b",
                                                "",
                                                "*",
                                                "\xc3\xa9",
                                                "a b"};
  return pool;
}

const std::vector<std::string>& text_pool() {
  static const std::vector<std::string> pool = {"n01",
                                                "n1",
                                                "N01",
                                                "https://n1.mesh.example.com:8053",
                                                "203.0.113.1:53",
                                                "http://[2001:db8::1]:80",
                                                "",
                                                " ",
                                                "\x01",
                                                "\x7f",
                                                "\xc3\xa9",
                                                "\xf0\x9f\x98\x80",   // U+1F600, valid
                                                "\xc3",               // truncated sequence
                                                "\xc0\xaf",           // overlong '/'
                                                "\xed\xa0\x80",       // encoded surrogate
                                                "\xf4\x90\x80\x80"};  // above U+10FFFF
  return pool;
}

template <typename T>
const T& pick(FuzzedDataProvider& in, const std::vector<T>& pool) {
  return pool[in.ConsumeIntegralInRange<std::size_t>(0, pool.size() - 1)];
}

// A name: raw bytes, or 1-4 labels from the pool with an optional "." / "..".
std::string consume_name(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<std::uint8_t>(0, 3) == 0) return in.ConsumeRandomLengthString(72);
  std::string name;
  const auto labels = in.ConsumeIntegralInRange<std::uint8_t>(1, 4);
  for (std::uint8_t i = 0; i < labels; ++i) {
    if (i != 0) name += '.';
    name += pick(in, label_pool());
  }
  switch (in.ConsumeIntegralInRange<std::uint8_t>(0, 3)) {
    case 2:
      name += '.';
      break;
    case 3:
      name += "..";
      break;
    default:
      break;
  }
  return name;
}

// A text field: raw bytes, a pool entry, or n times 'x' (length boundaries).
std::string consume_text(FuzzedDataProvider& in, std::size_t max_raw) {
  switch (in.ConsumeIntegralInRange<std::uint8_t>(0, 2)) {
    case 0:
      return in.ConsumeRandomLengthString(max_raw);
    case 1:
      return pick(in, text_pool());
    default:
      return std::string(in.ConsumeIntegralInRange<std::uint8_t>(0, 140), 'x');
  }
}

dmp::PublicKey pattern_key(std::uint8_t seed) {
  dmp::PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(seed + i);
  return key;
}

// Recipe layout, in consumption order (integers from the end of the input,
// strings from the front, as FuzzedDataProvider reads them):
//   control u8: bit 0 type (0 cluster, 1 bootstrap), bits 1-2 == 3 foreign
//     key, bits 3-4 time probe, bit 5 tamper probe; seq u64; exp u64; ahead 0..157680000;
//   [foreign key pattern byte]; name;
//   cluster: node count 0..34, then per node: node_id, http_endpoint,
//     has_dns bool, [dns_endpoint];
//   bootstrap: entry count 0..17, then per entry: priority u16,
//     cluster_base_domain, operator_spk pattern byte.
Recipe read_recipe(FuzzedDataProvider& in) {
  Recipe recipe;
  const auto control = in.ConsumeIntegral<std::uint8_t>();
  const bool bootstrap = (control & 1) != 0;
  recipe.foreign_key = ((control >> 1) & 3) == 3;
  recipe.probe = static_cast<TimeProbe>((control >> 3) & 3);
  recipe.tamper = ((control >> 5) & 1) != 0;
  const auto seq = in.ConsumeIntegral<std::uint64_t>();
  const auto exp = in.ConsumeIntegral<std::uint64_t>();
  recipe.ahead = in.ConsumeIntegralInRange<std::uint64_t>(0, dmp::kMaxExpAhead);
  const dmp::PublicKey key =
      recipe.foreign_key ? pattern_key(in.ConsumeIntegral<std::uint8_t>()) : fixed_key().public_key;
  if (!bootstrap) {
    dmp::ClusterManifest manifest;
    manifest.seq = seq;
    manifest.exp = exp;
    manifest.operator_spk = key;
    manifest.cluster_name = consume_name(in);
    const auto count = in.ConsumeIntegralInRange<std::uint8_t>(0, dmp::kMaxNodes + 2);
    for (std::uint8_t i = 0; i < count; ++i) {
      dmp::ClusterNode node;
      node.node_id = consume_text(in, 20);
      node.http_endpoint = consume_text(in, 140);
      if (in.ConsumeBool()) node.dns_endpoint = consume_text(in, 70);
      manifest.nodes.push_back(std::move(node));
    }
    recipe.record = std::move(manifest);
  } else {
    dmp::BootstrapRecord record;
    record.seq = seq;
    record.exp = exp;
    record.signer_spk = key;
    record.user_domain = consume_name(in);
    const auto count = in.ConsumeIntegralInRange<std::uint8_t>(0, dmp::kMaxEntries + 1);
    for (std::uint8_t i = 0; i < count; ++i) {
      dmp::BootstrapEntry entry;
      entry.priority = in.ConsumeIntegral<std::uint16_t>();
      entry.cluster_base_domain = consume_name(in);
      entry.operator_spk = pattern_key(in.ConsumeIntegral<std::uint8_t>());
      record.entries.push_back(std::move(entry));
    }
    recipe.record = std::move(record);
  }
  return recipe;
}

}  // namespace

namespace dmp::fuzz {

// For make_seeds.cpp, which writes recipes: the record a recipe describes.
Record recipe_record(std::span<const std::uint8_t> bytes) {
  FuzzedDataProvider in(bytes.data(), bytes.size());
  return read_recipe(in).record;
}

}  // namespace dmp::fuzz

namespace {

// ---- Model: the sign-side rules and body layout, straight from the spec -----

// Strict UTF-8 (§1.3), by decoded value rather than by byte ranges.
bool model_utf8(std::string_view text) {
  static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};  // by length
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xe0) == 0xc0) {
      len = 2;
      cp = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
      len = 3;
      cp = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
      len = 4;
      cp = lead & 0x07u;
    } else {
      return false;  // a continuation byte or 0xf8-0xff in lead position
    }
    if (text.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(text[i + k]);
      if ((cont & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cont & 0x3fu);
    }
    if (cp < kSmallest[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

// §1.5 plus the 1..64 byte cap; returns the name with one trailing dot removed.
std::optional<std::string> model_name(std::string_view name) {
  if (name.empty() || name.ends_with("..")) return std::nullopt;
  if (name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > dmp::kMaxNameLen) return std::nullopt;
  for (std::size_t start = 0;;) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > dmp::kMaxLabelLen) return std::nullopt;
    if (label.front() == '-' || label.back() == '-') return std::nullopt;
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return std::nullopt;
    }
    if (dot == std::string_view::npos) return std::string(name);
    start = dot + 1;
  }
}

bool model_text(std::string_view text, std::size_t max_len, bool ascii_only) {
  if (text.empty() || text.size() > max_len) return false;
  if (!ascii_only) return model_utf8(text);
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

using dmp::test::put;

struct Encoded {
  Bytes body;
  dmp::Record normalized;  // what a verifier reads back from the body
};

std::optional<Encoded> model_encode(const dmp::ClusterManifest& manifest) {
  auto name = model_name(manifest.cluster_name);
  if (!name || manifest.nodes.empty() || manifest.nodes.size() > dmp::kMaxNodes) return {};
  std::set<std::string> ids;
  for (const auto& node : manifest.nodes) {
    if (!model_text(node.node_id, dmp::kMaxNodeIdLen, true)) return {};
    if (!model_text(node.http_endpoint, dmp::kMaxHttpEndpointLen, false)) return {};
    if (node.dns_endpoint && !model_text(*node.dns_endpoint, dmp::kMaxDnsEndpointLen, false)) {
      return {};
    }
    if (!ids.insert(node.node_id).second) return {};
  }
  Encoded out;
  put(out.body, "DMPCL01");
  put(out.body, manifest.seq, 8);
  put(out.body, manifest.exp, 8);
  put(out.body, manifest.operator_spk);
  put(out.body, name->size(), 1);
  put(out.body, *name);
  put(out.body, manifest.nodes.size(), 1);
  for (const auto& node : manifest.nodes) {
    put(out.body, node.node_id.size(), 1);
    put(out.body, node.node_id);
    put(out.body, node.http_endpoint.size(), 2);
    put(out.body, node.http_endpoint);
    const std::string dns = node.dns_endpoint.value_or("");
    put(out.body, dns.size(), 2);
    put(out.body, dns);
  }
  dmp::ClusterManifest normalized = manifest;
  normalized.cluster_name = *name;
  out.normalized = std::move(normalized);
  return out;
}

std::optional<Encoded> model_encode(const dmp::BootstrapRecord& record) {
  auto domain = model_name(record.user_domain);
  if (!domain || record.entries.empty() || record.entries.size() > dmp::kMaxEntries) return {};
  dmp::BootstrapRecord normalized = record;
  normalized.user_domain = *domain;
  std::set<std::pair<std::uint16_t, std::string>> seen;
  for (auto& entry : normalized.entries) {
    auto base = model_name(entry.cluster_base_domain);
    if (!base) return {};
    entry.cluster_base_domain = *base;
    if (!seen.insert({entry.priority, dmp::ascii_lower(*base)}).second) return {};
  }
  std::stable_sort(normalized.entries.begin(), normalized.entries.end(),
                   [](const auto& a, const auto& b) { return a.priority < b.priority; });
  Encoded out;
  put(out.body, "DMPBS01");
  put(out.body, record.seq, 8);
  put(out.body, record.exp, 8);
  put(out.body, record.signer_spk);
  put(out.body, domain->size(), 1);
  put(out.body, *domain);
  put(out.body, normalized.entries.size(), 1);
  for (const auto& entry : normalized.entries) {
    put(out.body, entry.priority, 2);
    put(out.body, entry.cluster_base_domain.size(), 1);
    put(out.body, entry.cluster_base_domain);
    put(out.body, entry.operator_spk);
  }
  out.normalized = std::move(normalized);
  return out;
}

// Every text field the recipe produced also goes through the UTF-8 differential.
void check_utf8_differential(const dmp::Record& record) {
  const auto agree = [](std::string_view text) {
    require(dmp::is_valid_utf8(text) == model_utf8(text), "is_valid_utf8 agrees with the model");
  };
  agree(dmp::signed_name(record));
  if (const auto* manifest = std::get_if<dmp::ClusterManifest>(&record)) {
    for (const auto& node : manifest->nodes) {
      agree(node.node_id);
      agree(node.http_endpoint);
      if (node.dns_endpoint) agree(*node.dns_endpoint);
    }
  } else {
    for (const auto& entry : std::get<dmp::BootstrapRecord>(record).entries) {
      agree(entry.cluster_base_domain);
    }
  }
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

dmp::Reason verify_at(const std::string& wire, std::uint64_t now) {
  dmp::VerifyOptions options;
  options.now = now;
  auto result = dmp::verify(wire, fixed_key().public_key, options);
  return result ? dmp::Reason::ok : result.error().reason;
}

void check_verify(const Recipe& recipe, const dmp::Record& decoded, const std::string& wire) {
  const dmp::PublicKey& key = fixed_key().public_key;
  const std::uint64_t exp = dmp::exp_of(decoded);
  dmp::VerifyOptions options;
  options.now = exp - std::min(exp, recipe.ahead);

  auto accepted = dmp::verify(wire, key, options);
  if (dmp::signing_key_of(decoded) != key) {
    require(!accepted && accepted.error().reason == dmp::Reason::key_mismatch,
            "a foreign embedded key is key_mismatch");
    return;
  }
  require(accepted.has_value(), "verify accepts a freshly signed wire");
  require(*accepted == decoded, "verify returns the decoded record");

  options.strict = true;
  options.expected_name = ascii_upper(dmp::signed_name(decoded)) + ".";
  if (const auto* manifest = std::get_if<dmp::ClusterManifest>(&decoded)) {
    auto typed = dmp::verify_cluster(wire, key, options);
    require(typed.has_value() && *typed == *manifest, "strict verify_cluster accepts");
    auto other = dmp::verify_bootstrap(wire, key, options);
    require(!other && other.error().reason == dmp::Reason::bad_prefix, "wrong type: bad_prefix");
  } else {
    auto typed = dmp::verify_bootstrap(wire, key, options);
    require(typed.has_value() && *typed == std::get<dmp::BootstrapRecord>(decoded),
            "strict verify_bootstrap accepts");
    auto other = dmp::verify_cluster(wire, key, options);
    require(!other && other.error().reason == dmp::Reason::bad_prefix, "wrong type: bad_prefix");
  }

  if (recipe.tamper) {
    auto opened = dmp::open_wire(wire, dmp::type_of(decoded));
    require(opened.has_value(), "a signed wire opens");
    Bytes body = opened->blob.body;
    body[body.size() / 2] ^= 0x01;
    auto forged = dmp::assemble_wire(dmp::type_of(decoded), body, opened->blob.signature);
    require(forged.has_value(), "a same-length wire assembles");
    require(verify_at(*forged, options.now.value()) == dmp::Reason::bad_signature,
            "a flipped body bit is bad_signature");
  }

  switch (recipe.probe) {
    case TimeProbe::expired:
      if (exp < std::numeric_limits<std::uint64_t>::max()) {
        require(verify_at(wire, exp + 1) == dmp::Reason::expired, "exp < now is expired");
      }
      break;
    case TimeProbe::too_far:
      if (exp > dmp::kMaxExpAhead) {
        require(verify_at(wire, exp - dmp::kMaxExpAhead - 1) == dmp::Reason::expiry_too_far,
                "exp - now > 5 years is expiry_too_far");
      }
      break;
    case TimeProbe::at_ceiling:
      if (exp >= dmp::kMaxExpAhead) {
        require(verify_at(wire, exp - dmp::kMaxExpAhead) == dmp::Reason::ok,
                "exp - now == 5 years is accepted");
      }
      break;
    case TimeProbe::none:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Recipe recipe = read_recipe(in);
  const dmp::Record& record = recipe.record;
  const dmp::RecordType type = dmp::type_of(record);
  check_utf8_differential(record);

  auto body = dmp::encode_body(record);
  auto normalized = dmp::normalize(record);
  const auto model =
      std::visit([](const auto& r) -> std::optional<Encoded> { return model_encode(r); }, record);
  require(body.has_value() == model.has_value(),
          "encode_body accepts exactly what the spec's sign-side rules accept");
  require(normalized.has_value() == body.has_value(), "normalize accepts what encode_body accepts");
  if (!body) {
    require(body.error().reason == dmp::Reason::invalid_field, "encode errors are invalid_field");
    return 0;
  }
  require(*body == model->body, "encode_body emits the spec's byte layout");

  auto decoded = dmp::decode_body(type, *body);
  require(decoded.has_value(), "decode(encode(r)) succeeds");
  require(*decoded == model->normalized, "decode(encode(r)) is the spec's normalisation of r");
  require(*decoded == *normalized, "decode(encode(r)) == normalize(r)");
  auto again = dmp::encode_body(*decoded);
  require(again.has_value() && *again == *body, "encode(decode(bytes)) == bytes");

  const dmp::Signature signature = dmp::test::sign_bytes(fixed_key(), *body);
  auto wire = dmp::assemble_wire(type, *body, signature);
  const std::size_t wire_len =
      dmp::wire_prefix(type).size() + 4 * ((body->size() + dmp::kSignatureLen + 2) / 3);
  require(wire.has_value() == (wire_len <= dmp::kMaxWireLen),
          "assemble_wire refuses exactly the wires over 1200 bytes");
  if (!wire) {
    require(wire.error().reason == dmp::Reason::too_long, "an over-long wire is too_long");
    return 0;
  }
  require(wire->size() == wire_len, "the wire has the length §1.1 gives");

  auto zone = dmp::parse_txt_record("cluster.example. 300 IN TXT " + dmp::quote_txt_strings(*wire));
  require(zone.has_value() && zone->joined == *wire, "a wire survives TXT quoting");

  check_verify(recipe, *decoded, *wire);
  return 0;
}
