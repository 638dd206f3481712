// How a payload (a wire, an unsigned record) crosses the air gap as QR
// codes: the frame format (docs/qr-frames.md) and its reassembly. Pure:
// bytes in, frames or a payload out; no QR encoding or decoding here.
//
//  - A payload that fits one code is that code's content as it is, so any
//    phone reader shows the wire.
//  - Otherwise each frame is  DMPQR:1:<index>:<total>:<digest>:<chunk>
//    with index 1..total (total <= 999) in decimal, digest the first 16
//    bytes of the payload's SHA-256 as 32 upper-case hex digits (the same
//    characters as the start of `sha256sum`, upper-cased), and chunk the next
//    bytes of the payload. The header uses only QR alphanumeric characters.
//  - A payload that itself starts with "DMPQR:" is always framed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::qr {

inline constexpr std::string_view kFramePrefix = "DMPQR:1:";
inline constexpr std::size_t kMaxFrames = 999;
inline constexpr std::size_t kMaxPayloadLen = 64 * 1024;

// "DMPQR:1:<index>:<total>:<digest>:" for a frame of a payload.
std::string frame_header(std::size_t index, std::size_t total, std::string_view digest);

// The first 16 bytes of SHA-256(payload), upper-case hex.
std::string payload_digest(std::string_view payload);

// Splits `payload` into `total` frames of nearly equal chunks (at least one
// byte each). total == 1 and a payload that does not start with "DMPQR:"
// gives the payload itself.
std::vector<std::string> split_into_frames(std::string_view payload, std::size_t total);

struct Frame {
  bool plain = false;  // a whole payload in one code, no header
  std::size_t index = 1;
  std::size_t total = 1;
  std::string digest;  // 32 hex digits; empty for a plain frame
  std::string chunk;   // the bytes after the header (or the whole payload)
};

// One decoded QR code's content. Refuses a frame whose header is broken
// (Reason::malformed, naming the part), and a plain one over the payload cap.
Result<Frame> parse_frame(std::string_view content);

// Collects frames in any order, repeats allowed. A frame of another payload
// (another digest or total, or a plain frame beside framed ones), a repeat
// of an index with other bytes, or chunks together over kMaxPayloadLen are
// refused; the collected frames stay.
class FrameCollector {
 public:
  // Reason::malformed with a one-line rule; nothing is added then.
  Status add(const Frame& frame);
  bool complete() const;
  std::size_t have() const { return chunks_.size(); }
  std::size_t total() const { return total_; }
  const std::string& digest() const { return digest_; }
  // The indexes not seen yet, for a refusal.
  std::vector<std::size_t> missing() const;
  // The payload, once complete, checked against the digest
  // (Reason::malformed when it does not match: a corrupt frame).
  Result<std::string> payload() const;

 private:
  std::size_t total_ = 0;  // 0: nothing yet
  bool plain_ = false;
  std::string digest_;
  std::size_t bytes_ = 0;  // of the chunks held: at most kMaxPayloadLen
  std::map<std::size_t, std::string> chunks_;
};

}  // namespace dmp::qr
