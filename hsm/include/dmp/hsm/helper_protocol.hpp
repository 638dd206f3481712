// The pipe protocol between dmp-sign and its hardware helpers
// (dmp-sign-fido2, dmp-sign-pkcs11), after OpenSSH's ssh-sk-helper: the
// helper runs the token conversation in its own process, so a fault in USB,
// CBOR or a vendor's PKCS#11 module cannot reach the process that holds the
// seed and the ledger. One request, one reply, then the helper exits.
//
// A message on the pipe, all integers big-endian:
//
//   offset  size  field
//        0     4  magic "DMPH"
//        4     1  protocol version, 1
//        5     1  kind: requests 0x01-0x7f (defined by each helper), replies
//                 0x80 (ok) and 0x81 (error)
//        6     4  payload length, at most kMaxPayload
//       10     n  payload: fields, each tag (1) | length (2) | value
//
// Field tags strictly increase within a message, so every message has one
// spelling and a duplicate or reordered field is refused rather than
// resolved. Unknown tags are the reader's business (each operation says which
// tags it takes), not the codec's. An error reply carries kTagReason (one
// byte, a dmp::Reason) and kTagMessage (one line of text).
//
// Secrets cross this pipe (a PIN, an hmac-secret output): field values and
// encoded frames live in WipedBytes, which wipes itself when destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::hsm::helper {

inline constexpr std::uint8_t kMagic[4] = {'D', 'M', 'P', 'H'};
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 10;
// Large enough for a FIDO2 credential id (<= 1023 bytes), a PKCS#11 URI
// and a 1200-byte record body together; small enough that a hostile helper
// cannot make dmp-sign allocate much.
inline constexpr std::size_t kMaxPayload = 16 * 1024;
inline constexpr std::size_t kMaxFields = 32;

inline constexpr std::uint8_t kKindOk = 0x80;
inline constexpr std::uint8_t kKindError = 0x81;
// Tags of an error reply.
inline constexpr std::uint8_t kTagReason = 0x01;
inline constexpr std::uint8_t kTagMessage = 0x02;

// A byte vector that wipes its contents (sodium_memzero) when destroyed or
// cleared. Reserve before filling so no reallocation leaves a stale copy.
class WipedBytes {
 public:
  WipedBytes() = default;
  explicit WipedBytes(std::span<const std::uint8_t> bytes);
  ~WipedBytes();
  WipedBytes(WipedBytes&& other) noexcept;
  WipedBytes& operator=(WipedBytes&& other) noexcept;
  WipedBytes(const WipedBytes& other);
  WipedBytes& operator=(const WipedBytes& other);

  void clear() noexcept;
  std::vector<std::uint8_t>& bytes() noexcept { return bytes_; }
  const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }
  std::span<const std::uint8_t> span() const noexcept { return bytes_; }
  std::size_t size() const noexcept { return bytes_.size(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

struct Field {
  std::uint8_t tag = 0;
  WipedBytes value;
};

struct Message {
  std::uint8_t kind = 0;
  std::vector<Field> fields;  // tags strictly increasing

  // Appends a field; tags must be added in increasing order (checked by
  // encode_message, which refuses a message it could not read back).
  Message& add(std::uint8_t tag, std::span<const std::uint8_t> value);
  Message& add(std::uint8_t tag, std::string_view text);
  const Field* find(std::uint8_t tag) const noexcept;
};

// Pure codec over byte spans. encode_message refuses (Reason::usage) a
// message that breaks the rules above; decode_message refuses
// (Reason::helper_protocol) anything but exactly one well-formed frame.
Result<WipedBytes> encode_message(const Message& message);
Result<Message> decode_message(std::span<const std::uint8_t> frame);
// The payload length announced by a 10-byte header, after checking magic,
// version and the cap; lets a reader stop before reading a hostile length.
Result<std::size_t> decode_header(std::span<const std::uint8_t> header);

// Replies.
Message ok_reply();
Message error_reply(Reason reason, std::string_view message);
// An ok reply as itself; an error reply as the Error it carries (its reason
// and message, with "helper: " before the message); anything else refused.
Result<Message> open_reply(Message reply);

// Reading and writing whole messages on a file descriptor (a pipe). Reads
// are bounded by kMaxPayload; EOF inside a message is helper_protocol.
Result<Message> read_message(int fd);
Status write_message(int fd, const Message& message);

}  // namespace dmp::hsm::helper
