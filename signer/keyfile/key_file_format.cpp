#include "keyfile/key_file_format.hpp"

#include <sodium.h>

#include "dmp/encoding.hpp"
#include "dmp/names.hpp"

namespace dmp::keyfile {
namespace {

constexpr std::size_t kArmorColumns = 64;

Failure format_error(const std::string& rule) {
  return fail(Reason::key_format, "key file", rule);
}

template <std::size_t N>
void put_array(Bytes& out, const std::array<std::uint8_t, N>& a) {
  out.insert(out.end(), a.begin(), a.end());
}
template <std::size_t N>
void get_array(std::array<std::uint8_t, N>& a, encoding::ByteReader& in) {
  const auto bytes = in.read_bytes(N);
  std::copy(bytes.begin(), bytes.end(), a.begin());
}

}  // namespace

KdfParams kdf_params(KdfLevel level) noexcept {
  switch (level) {
    case KdfLevel::sensitive:
      return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
    case KdfLevel::moderate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
    case KdfLevel::interactive:
      break;
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Status check_comment(std::string_view comment) {
  if (comment.size() > kMaxCommentLen) {
    return fail(Reason::invalid_field, "comment", "longer than 1024 bytes");
  }
  if (!is_valid_utf8(comment)) {
    return fail(Reason::invalid_field, "comment", "is not valid UTF-8");
  }
  // The comment is printed on terminals: no C0/C1 controls (escape
  // sequences) and no bidirectional overrides (text that reads differently).
  for (std::size_t i = 0; i < comment.size(); ++i) {
    const auto byte = static_cast<unsigned char>(comment[i]);
    const auto next = [&](std::size_t k) {
      return i + k < comment.size() ? static_cast<unsigned char>(comment[i + k]) : 0;
    };
    const bool c0 = byte < 0x20 || byte == 0x7f;
    const bool c1 = byte == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f;
    const bool bidi = byte == 0xe2 && ((next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) ||
                                       (next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9));
    if (c0 || c1 || bidi) {
      return fail(Reason::invalid_field, "comment",
                  "must not contain control characters or bidirectional overrides");
    }
  }
  return ok();
}

std::string kdf_cost_text(const KdfParams& params) {
  constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
  if (params.memlimit % kGiB == 0)
    return "Argon2id, " + std::to_string(params.memlimit / kGiB) + " GiB";
  return "Argon2id, " + std::to_string(params.memlimit >> 20) + " MiB";
}

Status check_kdf_params(const KdfParams& params) {
  if (params.opslimit < kMinOpslimit || params.opslimit > kMaxOpslimit) {
    return fail(
        Reason::kdf_limits, "key file",
        "Argon2id opslimit " + std::to_string(params.opslimit) + " is outside the accepted 2..16");
  }
  if (params.memlimit < kMinMemlimit || params.memlimit > kMaxMemlimit) {
    return fail(Reason::kdf_limits, "key file",
                "Argon2id memlimit " + std::to_string(params.memlimit >> 20) +
                    " MiB is outside the accepted 64..4096 MiB");
  }
  return ok();
}

Bytes encode_header(const KeyFile& key_file) {
  Bytes out(kMagic.begin(), kMagic.end());
  out.push_back(kVersion);
  out.push_back(kKdfArgon2id13);
  encoding::write_be(out, key_file.kdf.opslimit, 8);
  encoding::write_be(out, key_file.kdf.memlimit, 8);
  put_array(out, key_file.salt);
  put_array(out, key_file.nonce);
  put_array(out, key_file.public_key);
  encoding::write_be(out, key_file.created, 8);
  encoding::write_be(out, key_file.comment.size(), 2);
  out.insert(out.end(), key_file.comment.begin(), key_file.comment.end());
  return out;
}

Bytes encode_key_file(const KeyFile& key_file) {
  Bytes out = encode_header(key_file);
  put_array(out, key_file.sealed_seed);
  return out;
}

Result<KeyFile> decode_key_file(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kMagic.size() || !std::equal(kMagic.begin(), kMagic.end(), bytes.begin())) {
    return format_error("not a dmp-signer key file (magic 'DMPKEY' missing)");
  }
  if (bytes.size() < kMagic.size() + 2) return format_error("truncated header");
  if (bytes[6] != kVersion) {
    return fail(Reason::key_version, "key file",
                "format version " + std::to_string(bytes[6]) +
                    " is not supported (this dmp-sign reads version 1); use a newer dmp-sign");
  }
  if (bytes[7] != kKdfArgon2id13) {
    return fail(Reason::key_version, "key file",
                "KDF id " + std::to_string(bytes[7]) + " is not supported (1 = Argon2id v1.3)");
  }
  if (bytes.size() < kFixedHeaderLen) return format_error("truncated header");
  encoding::ByteReader in(bytes.subspan(kMagic.size() + 2));
  KeyFile key_file;
  key_file.kdf.opslimit = in.read_uint(8);
  key_file.kdf.memlimit = in.read_uint(8);
  if (auto bounds = check_kdf_params(key_file.kdf); !bounds) return bounds.error();
  get_array(key_file.salt, in);
  get_array(key_file.nonce, in);
  get_array(key_file.public_key, in);
  key_file.created = in.read_uint(8);
  const std::size_t comment_len = in.read_uint(2);
  if (comment_len > kMaxCommentLen) return format_error("comment longer than 1024 bytes");
  const std::size_t expected = kFixedHeaderLen + comment_len + kSealedSeedLen;
  if (bytes.size() < expected) return format_error("truncated (encrypted seed incomplete)");
  if (bytes.size() > expected) {
    return format_error(std::to_string(bytes.size() - expected) + " unexpected trailing bytes");
  }
  const auto comment = in.read_bytes(comment_len);
  key_file.comment.assign(comment.begin(), comment.end());
  if (auto checked = check_comment(key_file.comment); !checked) {
    return format_error(checked.error().message());
  }
  get_array(key_file.sealed_seed, in);
  return key_file;
}

std::string armor(std::span<const std::uint8_t> bytes, std::string_view label) {
  const std::string begin_line = "-----BEGIN " + std::string(label) + "-----";
  const std::string end_line = "-----END " + std::string(label) + "-----";
  const std::string b64 = encoding::base64_encode(bytes);
  std::string out(begin_line);
  out += '\n';
  for (std::size_t pos = 0; pos < b64.size(); pos += kArmorColumns) {
    out += b64.substr(pos, kArmorColumns);
    out += '\n';
  }
  out += end_line;
  out += '\n';
  return out;
}

Result<Bytes> dearmor(std::string_view text, std::string_view label, std::size_t max_len) {
  if (text.size() > max_len)
    return format_error("larger than " + std::to_string(max_len / 1024) + " KiB");
  const std::string begin_line = "-----BEGIN " + std::string(label) + "-----";
  const std::string end_line = "-----END " + std::string(label) + "-----";
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  while (!lines.empty() && lines.back().empty())
    lines.pop_back();
  if (lines.size() < 3 || lines.front() != begin_line) {
    return format_error("first line must be '" + begin_line + "'");
  }
  if (lines.back() != end_line) {
    return format_error("last line must be '" + end_line + "'");
  }
  std::string b64;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i)
    b64 += lines[i];
  auto decoded = encoding::base64_decode(b64, "armoured body");
  if (!decoded) return format_error(decoded.error().message());
  return decoded;
}

Result<KeyFile> parse_key_file_text(std::string_view text) {
  auto bytes = dearmor(text);
  if (!bytes) return bytes.error();
  return decode_key_file(*bytes);
}

std::string format_key_file_text(const KeyFile& key_file) {
  return armor(encode_key_file(key_file));
}

}  // namespace dmp::keyfile
