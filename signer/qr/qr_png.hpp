// A QR code as a PNG (libpng's simplified API: no encoder of our own) or an
// SVG. Pure: a code in, the file's bytes out; the caller writes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dmp/result.hpp"
#include "qr/qr_code.hpp"

namespace dmp::qr {

// 8-bit grey PNG, 4 light modules around the code (the quiet zone the
// standard asks for), `scale` pixels per module.
Result<std::vector<std::uint8_t>> png_bytes(const Code& code, int scale);

// The same code as SVG: one path of unit squares, 4 modules of margin.
std::string svg_text(const Code& code);

// Pixels per module so that the image is about 1000 pixels wide (at least 4
// per module): large enough to scan from a screen or a print.
int scale_for(const Code& code);

}  // namespace dmp::qr
