#include "qr/qr_png.hpp"

#include <png.h>

#include <algorithm>

namespace dmp::qr {
namespace {

constexpr int kMargin = 4;

}  // namespace

int scale_for(const Code& code) {
  return std::max(4, 1000 / (code.size + 2 * kMargin));
}

Result<std::vector<std::uint8_t>> png_bytes(const Code& code, int scale) {
  int width = 0;
  const std::vector<std::uint8_t> pixels = grey_pixels(code, kMargin, scale, width);
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(width);
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  // First call sizes the buffer, second fills it.
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), 0, nullptr)) {
    return fail(Reason::io_error, "png", image.message);
  }
  std::vector<std::uint8_t> out(size);
  if (!png_image_write_to_memory(&image, out.data(), &size, 0, pixels.data(), 0, nullptr)) {
    return fail(Reason::io_error, "png", image.message);
  }
  out.resize(size);
  return out;
}

std::string svg_text(const Code& code) {
  const int n = code.size + 2 * kMargin;
  std::string path;
  for (int y = 0; y < code.size; ++y) {
    for (int x = 0; x < code.size; ++x) {
      if (code.at(x, y)) {
        path.append("M").append(std::to_string(x + kMargin)).append(",");
        path.append(std::to_string(y + kMargin)).append("h1v1h-1z");
      }
    }
  }
  const std::string side = std::to_string(n);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " +
         side + " " + side + "\" width=\"" + std::to_string(n * 8) + "\" height=\"" +
         std::to_string(n * 8) +
         "\" shape-rendering=\"crispEdges\">\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>\n"
         "<path d=\"" +
         path + "\" fill=\"#000000\"/>\n</svg>\n";
}

}  // namespace dmp::qr
