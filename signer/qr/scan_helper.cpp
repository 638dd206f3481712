// dmp-sign-qrscan: decodes the QR codes of PNG images, or of a V4L2 camera,
// with ZBar, for `dmp-sign qr scan`. ZBar and the camera stack are shared
// libraries, which the static dmp-sign does not link, so this small
// dynamically linked helper does the decoding and nothing else: it prints
// every code it reads, and dmp-sign parses, checks and reassembles the frames.
//
// Output, one line each, on standard output:
//   S <hex of the code's bytes>      a decoded QR code
//   E <message>                      an image it could not read (it goes on)
// Usage: dmp-sign-qrscan [--camera DEVICE] [--] [IMAGE...]
#include <png.h>
#include <zbar.h>  // in C++ its C API is in namespace zbar

#include <csignal>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

using namespace zbar;  // the C API, which zbar.h declares in namespace zbar for C++

namespace {

void print_symbol(const char* data, unsigned int length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string line = "S ";
  for (unsigned int i = 0; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(data[i]);
    line += kHex[byte >> 4];
    line += kHex[byte & 15];
  }
  line += '\n';
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

void print_error(const std::string& message) {
  std::string clean;
  for (char c : message)
    clean += (c >= 0x20 && c < 0x7f) ? c : '?';
  std::printf("E %s\n", clean.c_str());
  std::fflush(stdout);
}

zbar_image_scanner_t* make_scanner() {
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  // The bytes as they are: no guessing of a text encoding.
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  return scanner;
}

int scan_file(zbar_image_scanner_t* scanner, const char* path) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path)) {
    print_error(std::string(path) + ": not a PNG image we can read (" + image.message + ")");
    return 1;
  }
  image.format = PNG_FORMAT_GRAY;
  if (image.width > 20000 || image.height > 20000) {
    png_image_free(&image);
    print_error(std::string(path) + ": larger than 20000 pixels a side");
    return 1;
  }
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  png_color background{255, 255, 255};  // a transparent PNG reads as on white paper
  if (!png_image_finish_read(&image, &background, pixels.data(), 0, nullptr)) {
    print_error(std::string(path) + ": " + image.message);
    return 1;
  }
  zbar_image_t* frame = zbar_image_create();
  zbar_image_set_format(frame, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(frame, image.width, image.height);
  zbar_image_set_data(frame, pixels.data(), pixels.size(), nullptr);
  const int found = zbar_scan_image(scanner, frame);
  if (found <= 0) print_error(std::string(path) + ": no QR code found");
  for (const zbar_symbol_t* s = zbar_image_first_symbol(frame); s; s = zbar_symbol_next(s)) {
    if (zbar_symbol_get_type(s) != ZBAR_QRCODE) continue;
    print_symbol(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
  }
  zbar_image_destroy(frame);
  return found > 0 ? 0 : 1;
}

// Prints each code once as the camera sees it, until dmp-sign has all the
// frames and closes the pipe (SIGPIPE ends this process) or stops it.
int scan_camera(const char* device) {
  zbar_processor_t* processor = zbar_processor_create(0);
  zbar_processor_set_config(processor, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_processor_set_config(processor, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_processor_set_config(processor, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  if (zbar_processor_init(processor, device, 0) != 0) {
    print_error(std::string("camera ") + device + ": cannot be opened");
    zbar_processor_destroy(processor);
    return 2;
  }
  zbar_processor_set_active(processor, 1);
  std::set<std::string> seen;
  for (;;) {
    if (zbar_process_one(processor, -1) < 0) {
      print_error(std::string("camera ") + device + ": stopped");
      break;
    }
    const zbar_symbol_set_t* results = zbar_processor_get_results(processor);
    if (!results) continue;
    for (const zbar_symbol_t* s = zbar_symbol_set_first_symbol(results); s;
         s = zbar_symbol_next(s)) {
      if (zbar_symbol_get_type(s) != ZBAR_QRCODE) continue;
      std::string data(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
      if (seen.insert(data).second)
        print_symbol(data.data(), static_cast<unsigned int>(data.size()));
    }
    zbar_symbol_set_ref(const_cast<zbar_symbol_set_t*>(results), -1);
  }
  zbar_processor_destroy(processor);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_DFL);
  std::vector<const char*> images;
  const char* camera = nullptr;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    if (!options_done && std::strcmp(argv[i], "--") == 0) {
      options_done = true;
    } else if (!options_done && std::strcmp(argv[i], "--camera") == 0 && i + 1 < argc) {
      camera = argv[++i];
    } else {
      images.push_back(argv[i]);
    }
  }
  if (camera && !images.empty()) {
    std::fprintf(stderr, "dmp-sign-qrscan: images or --camera, not both\n");
    return 2;
  }
  if (camera) return scan_camera(camera);
  zbar_image_scanner_t* scanner = make_scanner();
  int failures = 0;
  for (const char* path : images)
    failures += scan_file(scanner, path);
  zbar_image_scanner_destroy(scanner);
  return failures == 0 ? 0 : 1;
}
