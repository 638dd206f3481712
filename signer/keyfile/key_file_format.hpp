// Encrypted operator key file, format v1: layout, limits, and the pure
// codec (bytes <-> struct, binary <-> text armour). No crypto, no I/O: see
// key_file_crypto.hpp for sealing/opening and SECURITY.md for the layout.
//
//   off  size  field
//   0    6     magic "DMPKEY"
//   6    1     version = 1
//   7    1     kdf id = 1 (Argon2id v1.3, libsodium crypto_pwhash)
//   8    8     opslimit (u64 BE)
//   16   8     memlimit in bytes (u64 BE)
//   24   16    salt
//   40   24    nonce (XChaCha20-Poly1305-IETF)
//   64   32    Ed25519 public key (in clear: `pubkey` needs no passphrase)
//   96   8     creation time, unix seconds (u64 BE)
//   104  2     comment length n (u16 BE, <= 1024)
//   106  n     comment (UTF-8, no control characters)
//   106+n 48   encrypted 32-byte Ed25519 seed + 16-byte tag
// The associated data of the AEAD is bytes [0, 106+n): every header byte is
// authenticated, so any edit makes the file refuse to open.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dmp/records.hpp"
#include "dmp/result.hpp"

namespace dmp::keyfile {

inline constexpr std::string_view kMagic = "DMPKEY";
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::uint8_t kKdfArgon2id13 = 1;
inline constexpr std::size_t kSaltLen = 16;
inline constexpr std::size_t kNonceLen = 24;
inline constexpr std::size_t kSealedSeedLen = 32 + 16;
inline constexpr std::size_t kMaxCommentLen = 1024;
inline constexpr std::size_t kFixedHeaderLen = 106;
// Read/write bounds on the KDF cost: a hostile file cannot make us allocate
// more than 4 GiB or run more than 16 passes, and a file made weaker than
// libsodium's INTERACTIVE level is refused.
inline constexpr std::uint64_t kMinOpslimit = 2;
inline constexpr std::uint64_t kMaxOpslimit = 16;
inline constexpr std::uint64_t kMinMemlimit = 64ULL << 20;
inline constexpr std::uint64_t kMaxMemlimit = 4ULL << 30;
inline constexpr std::size_t kMaxArmoredLen = 8192;

struct KdfParams {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;
  bool operator==(const KdfParams&) const = default;
};

enum class KdfLevel { sensitive, moderate, interactive };
// libsodium's named levels. The default, sensitive, is 1 GiB / 4 passes.
KdfParams kdf_params(KdfLevel level) noexcept;
inline constexpr KdfLevel kDefaultKdfLevel = KdfLevel::sensitive;

struct KeyFile {
  KdfParams kdf;
  std::array<std::uint8_t, kSaltLen> salt{};
  std::array<std::uint8_t, kNonceLen> nonce{};
  PublicKey public_key{};
  std::uint64_t created = 0;
  std::string comment;
  std::array<std::uint8_t, kSealedSeedLen> sealed_seed{};

  bool operator==(const KeyFile&) const = default;
};

// The comment rule: <= 1024 UTF-8 bytes, no control characters.
Status check_comment(std::string_view comment);
Status check_kdf_params(const KdfParams& params);

// "Argon2id, 1 GiB" or "Argon2id, 256 MiB": what unlocking will cost.
std::string kdf_cost_text(const KdfParams& params);

// Bytes [0, 106+n): the header, which is also the AEAD's associated data.
Bytes encode_header(const KeyFile& key_file);
Bytes encode_key_file(const KeyFile& key_file);
Result<KeyFile> decode_key_file(std::span<const std::uint8_t> bytes);

// Text armour for files and paper: BEGIN line, base64 in 64-column lines,
// END line. Reading accepts LF or CRLF and a final newline.
// `label` names the kind of file ("DMP SIGNING KEY": "-----BEGIN DMP
// SIGNING KEY-----"), so one kind is never read as another.
inline constexpr std::string_view kArmorLabel = "DMP SIGNING KEY";
std::string armor(std::span<const std::uint8_t> bytes, std::string_view label = kArmorLabel);
Result<Bytes> dearmor(std::string_view text, std::string_view label = kArmorLabel,
                      std::size_t max_len = kMaxArmoredLen);

// dearmor + decode_key_file.
Result<KeyFile> parse_key_file_text(std::string_view text);
std::string format_key_file_text(const KeyFile& key_file);

}  // namespace dmp::keyfile
