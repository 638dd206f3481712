// QR codes for the frames of qr_frames.hpp, through nayuki's QR Code
// generator (no encoder of our own): the densest segment mode for each part
// of a frame, the largest frame that fits a version limit, and the two ways
// a code is shown, UTF-8 half blocks on a terminal and a grey-scale bitmap
// for a PNG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/result.hpp"

namespace dmp::qr {

// Error correction is level L throughout: a screen shows a clean code, and L
// leaves the most room for the payload (a 1200-byte wire fits version 25).
struct Code {
  int size = 0;  // modules per side
  int version = 0;
  std::vector<bool> dark;  // size*size, row by row
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Encodes one frame at a version up to `max_version`; Reason::too_long when
// it does not fit. The header of a framed chunk is an alphanumeric segment;
// a plain payload or a chunk is alphanumeric when all its characters are,
// else bytes.
Result<Code> encode_frame(std::string_view frame, int max_version);

// How many frames `payload` needs so that each fits `max_version` and holds
// at most `max_chunk` payload bytes (0: no limit); the frames themselves.
Result<std::vector<std::string>> frames_for(std::string_view payload, int max_version,
                                            std::size_t max_chunk);

// The largest version whose code, with `margin` light modules around it,
// fits `columns` x `rows` character cells in half blocks (two modules per
// cell, one above the other) with `reserved_rows` left for text; 0 when
// even version 1 does not fit.
int largest_version_for(int columns, int rows, int reserved_rows, int margin);

// The code in UTF-8 half blocks, dark modules black on a light background
// drawn with the block characters themselves (no colour codes), `margin`
// light modules around. One line per two module rows.
std::string half_block_text(const Code& code, int margin);

// 8-bit grey pixels (0 dark, 255 light), `scale` pixels per module,
// `margin` modules of light border; width = height = (size + 2 margin) scale.
std::vector<std::uint8_t> grey_pixels(const Code& code, int margin, int scale, int& width);

}  // namespace dmp::qr
