#include "qr/qr_code.hpp"

#include <qrcodegen/qrcodegen.hpp>

#include <algorithm>

#include "qr/qr_frames.hpp"

namespace dmp::qr {
namespace {

using qrcodegen::QrCode;
using qrcodegen::QrSegment;

bool all_alphanumeric(std::string_view text) {
  static constexpr std::string_view kCharset = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return kCharset.find(c) != std::string_view::npos; });
}

QrSegment segment_for(std::string_view text) {
  if (!text.empty() && all_alphanumeric(text)) {
    return QrSegment::makeAlphanumeric(std::string(text).c_str());
  }
  return QrSegment::makeBytes(std::vector<std::uint8_t>(text.begin(), text.end()));
}

std::vector<QrSegment> segments_for(std::string_view frame) {
  if (frame.substr(0, kFramePrefix.size()) == kFramePrefix) {
    // The header ends at the fifth ':' (DMPQR:1:i:n:digest:).
    int colons = 0;
    for (std::size_t at = 0; at < frame.size(); ++at) {
      if (frame[at] == ':' && ++colons == 5) {
        if (at + 1 == frame.size()) break;
        return {segment_for(frame.substr(0, at + 1)), segment_for(frame.substr(at + 1))};
      }
    }
  }
  return {segment_for(frame)};
}

bool fits(std::string_view frame, int max_version) {
  try {
    (void)QrCode::encodeSegments(segments_for(frame), QrCode::Ecc::LOW, 1, max_version, 0, false);
    return true;
  } catch (const qrcodegen::data_too_long&) {
    return false;
  }
}

}  // namespace

Result<Code> encode_frame(std::string_view frame, int max_version) {
  max_version = std::clamp(max_version, 1, 40);
  try {
    const QrCode code =
        QrCode::encodeSegments(segments_for(frame), QrCode::Ecc::LOW, 1, max_version, -1, false);
    Code out;
    out.size = code.getSize();
    out.version = code.getVersion();
    out.dark.resize(static_cast<std::size_t>(out.size * out.size));
    for (int y = 0; y < out.size; ++y) {
      for (int x = 0; x < out.size; ++x)
        out.dark[static_cast<std::size_t>(y * out.size + x)] = code.getModule(x, y);
    }
    return out;
  } catch (const qrcodegen::data_too_long&) {
    return fail(Reason::too_long, "frame",
                std::to_string(frame.size()) + " bytes do not fit a QR code of version " +
                    std::to_string(max_version));
  }
}

Result<std::vector<std::string>> frames_for(std::string_view payload, int max_version,
                                            std::size_t max_chunk) {
  if (payload.empty()) return fail(Reason::invalid_field, "payload", "is empty");
  if (payload.size() > kMaxPayloadLen) {
    return fail(Reason::too_long, "payload", "larger than 64 KiB");
  }
  std::size_t total = max_chunk == 0 ? 1 : (payload.size() + max_chunk - 1) / max_chunk;
  // A payload over max_chunk is framed even if one code could hold it.
  if (max_chunk != 0 && payload.size() > max_chunk) total = std::max<std::size_t>(total, 2);
  for (; total <= std::min(kMaxFrames, payload.size()); ++total) {
    auto frames = split_into_frames(payload, total);
    // Chunks shrink by at most one byte along the frames while the index
    // grows a digit at 10 and 100: the largest frame is the first one of
    // each index length, or the last.
    bool all_fit = true;
    for (std::size_t i : {std::size_t{0}, std::size_t{9}, std::size_t{99}, frames.size() - 1}) {
      if (i < frames.size() && !fits(frames[i], max_version)) {
        all_fit = false;
        break;
      }
    }
    if (all_fit) return frames;
  }
  return fail(Reason::too_long, "payload",
              std::to_string(payload.size()) + " bytes need more than " +
                  std::to_string(kMaxFrames) + " frames at QR version " +
                  std::to_string(max_version));
}

int largest_version_for(int columns, int rows, int reserved_rows, int margin) {
  const int wide = columns - 2 * margin;
  const int tall = 2 * (rows - reserved_rows) - 2 * margin;
  const int modules = std::min(wide, tall);
  if (modules < 21) return 0;
  return std::min(40, (modules - 17) / 4);
}

std::string half_block_text(const Code& code, int margin) {
  const int n = code.size + 2 * margin;
  const auto dark = [&](int x, int y) {
    x -= margin;
    y -= margin;
    return x >= 0 && y >= 0 && x < code.size && y < code.size && code.at(x, y);
  };
  // Light is drawn as a full block, so the code reads dark-on-light on a
  // dark terminal too: upper-half/lower-half/full/space by which is light.
  std::string out;
  for (int y = 0; y < n; y += 2) {
    for (int x = 0; x < n; ++x) {
      const bool top_light = !dark(x, y);
      // An odd module count leaves half a cell below the code: light, part
      // of the quiet zone.
      const bool bottom_light = y + 1 < n ? !dark(x, y + 1) : true;
      if (top_light && bottom_light) {
        out += "\u2588";
      } else if (top_light) {
        out += "\u2580";
      } else if (bottom_light) {
        out += "\u2584";
      } else {
        out += ' ';
      }
    }
    out += '\n';
  }
  return out;
}

std::vector<std::uint8_t> grey_pixels(const Code& code, int margin, int scale, int& width) {
  const int n = code.size + 2 * margin;
  width = n * scale;
  std::vector<std::uint8_t> pixels(
      static_cast<std::size_t>(width) * static_cast<std::size_t>(width), 255);
  for (int y = 0; y < code.size; ++y) {
    for (int x = 0; x < code.size; ++x) {
      if (!code.at(x, y)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        const std::size_t row =
            static_cast<std::size_t>((y + margin) * scale + dy) * static_cast<std::size_t>(width);
        for (int dx = 0; dx < scale; ++dx)
          pixels[row + static_cast<std::size_t>((x + margin) * scale + dx)] = 0;
      }
    }
  }
  return pixels;
}

}  // namespace dmp::qr
