#include "qr/qr_frames.hpp"

#include <sodium.h>

#include <algorithm>

namespace dmp::qr {
namespace {

Failure malformed(const std::string& field, const std::string& rule) {
  return fail(Reason::malformed, field, rule);
}

// A decimal 1..999 without leading zeros, up to the next ':'.
std::optional<std::size_t> take_number(std::string_view& text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 3) return std::nullopt;
  if (text[0] == '0') return std::nullopt;
  std::size_t value = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(text[i] - '0');
  }
  text.remove_prefix(colon + 1);
  return value;
}

bool is_upper_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
}

}  // namespace

std::string payload_digest(std::string_view payload) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    out += kHex[hash[i] >> 4];
    out += kHex[hash[i] & 15];
  }
  return out;
}

std::string frame_header(std::size_t index, std::size_t total, std::string_view digest) {
  return std::string(kFramePrefix) + std::to_string(index) + ":" + std::to_string(total) + ":" +
         std::string(digest) + ":";
}

std::vector<std::string> split_into_frames(std::string_view payload, std::size_t total) {
  total = std::clamp<std::size_t>(total, 1, std::max<std::size_t>(1, payload.size()));
  if (total == 1 && payload.substr(0, 6) != "DMPQR:") return {std::string(payload)};
  const std::string digest = payload_digest(payload);
  std::vector<std::string> frames;
  const std::size_t base = payload.size() / total, extra = payload.size() % total;
  std::size_t at = 0;
  for (std::size_t i = 0; i < total; ++i) {
    const std::size_t len = base + (i < extra ? 1 : 0);
    frames.push_back(frame_header(i + 1, total, digest) + std::string(payload.substr(at, len)));
    at += len;
  }
  return frames;
}

Result<Frame> parse_frame(std::string_view content) {
  if (content.substr(0, 6) != "DMPQR:") {
    if (content.empty()) return malformed("frame", "is empty");
    if (content.size() > kMaxPayloadLen) return malformed("frame", "larger than 64 KiB");
    return Frame{true, 1, 1, "", std::string(content)};
  }
  if (content.substr(0, kFramePrefix.size()) != kFramePrefix) {
    return malformed("frame", "DMPQR frame of an unknown version (this dmp-sign reads DMPQR:1:)");
  }
  std::string_view rest = content.substr(kFramePrefix.size());
  const auto index = take_number(rest);
  if (!index) return malformed("frame index", "must be a number 1..999");
  const auto total = take_number(rest);
  if (!total) return malformed("frame total", "must be a number 1..999");
  if (*index > *total) {
    return malformed("frame index",
                     std::to_string(*index) + " is above the total " + std::to_string(*total));
  }
  if (rest.size() < 33 || rest[32] != ':' || !is_upper_hex(rest.substr(0, 32))) {
    return malformed("frame digest", "must be 32 upper-case hex digits and ':'");
  }
  Frame frame{false, *index, *total, std::string(rest.substr(0, 32)), std::string(rest.substr(33))};
  if (frame.chunk.empty()) return malformed("frame", "carries no payload bytes");
  return frame;
}

Status FrameCollector::add(const Frame& frame) {
  if (total_ == 0) {
    total_ = frame.total;
    plain_ = frame.plain;
    digest_ = frame.plain ? payload_digest(frame.chunk) : frame.digest;
    bytes_ = frame.chunk.size();
    chunks_[frame.index] = frame.chunk;
    return ok();
  }
  if (frame.plain || plain_) {
    const std::string digest = frame.plain ? payload_digest(frame.chunk) : frame.digest;
    if (frame.plain && plain_ && digest == digest_) return ok();  // the same code again
    return malformed(
        "frame", "belongs to another payload (" +
                     std::string(frame.plain ? "a whole payload in one code"
                                             : "frame " + std::to_string(frame.index) + " of " +
                                                   std::to_string(frame.total)) +
                     ", digest " + digest + ") than the one being read (digest " + digest_ + ")");
  }
  if (frame.digest != digest_ || frame.total != total_) {
    return malformed("frame", "frame " + std::to_string(frame.index) + " of " +
                                  std::to_string(frame.total) + " (digest " + frame.digest +
                                  ") belongs to another payload than the one being read (" +
                                  std::to_string(total_) + " frames, digest " + digest_ + ")");
  }
  const auto seen = chunks_.find(frame.index);
  if (seen != chunks_.end()) {
    if (seen->second == frame.chunk) return ok();
    return malformed("frame", "frame " + std::to_string(frame.index) +
                                  " was read before with other bytes: one of the two is corrupt");
  }
  if (bytes_ + frame.chunk.size() > kMaxPayloadLen) {
    return malformed("frames", "together larger than 64 KiB; not a payload dmp-sign carries");
  }
  bytes_ += frame.chunk.size();
  chunks_[frame.index] = frame.chunk;
  return ok();
}

bool FrameCollector::complete() const {
  return total_ != 0 && chunks_.size() == total_;
}

std::vector<std::size_t> FrameCollector::missing() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 1; i <= total_; ++i) {
    if (!chunks_.contains(i)) out.push_back(i);
  }
  return out;
}

Result<std::string> FrameCollector::payload() const {
  if (!complete()) return malformed("frames", "incomplete");
  std::string out;
  for (const auto& [index, chunk] : chunks_)
    out += chunk;
  if (!plain_ && payload_digest(out) != digest_) {
    return malformed("frames", "the reassembled payload's digest " + payload_digest(out) +
                                   " is not the frames' " + digest_ +
                                   ": a frame is corrupt; scan again");
  }
  return out;
}

}  // namespace dmp::qr
