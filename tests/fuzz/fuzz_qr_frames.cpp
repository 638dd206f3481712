// libFuzzer target: the QR frame parser and reassembly (signer/qr/qr_frames),
// what `dmp-sign qr scan` makes of the codes a camera or an image gives it.
// The input is read as frames separated by '\n' (each a decoded code), and
// also as a payload to split and reassemble. Aborts when an invariant breaks:
//   - a refused frame is Reason::malformed with a message, and leaves the
//     collector as it was;
//   - a complete set reassembles to a payload whose digest is the frames'
//     (or is refused as corrupt), never longer than the frames' bytes;
//   - any payload split into 1..8 frames parses back and reassembles to
//     itself, in reverse order too.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "qr/qr_frames.hpp"

namespace {

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_qr_frames: invariant violated: %s\n", invariant);
  std::abort();
}

void check_frames(std::string_view text) {
  dmp::qr::FrameCollector collector;
  std::size_t bytes = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    auto frame = dmp::qr::parse_frame(line);
    if (!frame) {
      require(frame.error().reason == dmp::Reason::malformed && !frame.error().message().empty(),
              "a refused frame is malformed with a message");
      continue;
    }
    require(
        frame->index >= 1 && frame->index <= frame->total && frame->total <= dmp::qr::kMaxFrames,
        "index and total are in range");
    const std::size_t before = collector.have();
    if (auto added = collector.add(*frame); !added) {
      require(added.error().reason == dmp::Reason::malformed, "a refused add is malformed");
      require(collector.have() == before, "a refused frame adds nothing");
      continue;
    }
    bytes += frame->chunk.size();
    if (collector.complete()) break;
  }
  if (!collector.complete()) return;
  auto payload = collector.payload();
  if (!payload) {
    require(payload.error().reason == dmp::Reason::malformed, "a corrupt set is malformed");
    return;
  }
  require(payload->size() <= bytes, "the payload is made of the frames' bytes");
  require(collector.total() == 1 || dmp::qr::payload_digest(*payload) == collector.digest(),
          "the payload has the frames' digest");
}

void check_round_trip(std::string_view payload) {
  if (payload.empty()) return;
  const std::size_t total = 1 + payload.size() % 8;
  const auto frames = dmp::qr::split_into_frames(payload, total);
  require(!frames.empty() && frames.size() <= total, "split gives at most the frames asked");
  dmp::qr::FrameCollector collector;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    auto frame = dmp::qr::parse_frame(*it);
    require(frame.has_value(), "every split frame parses");
    require(collector.add(*frame).has_value(), "every split frame is taken");
  }
  require(collector.complete(), "the split set is complete");
  auto back = collector.payload();
  require(back && *back == payload, "the split set reassembles to the payload");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_frames(text);
  if (size <= dmp::qr::kMaxPayloadLen) check_round_trip(text);
  return 0;
}
