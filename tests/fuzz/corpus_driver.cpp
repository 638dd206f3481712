// Stand-in for libFuzzer's main() in ordinary (GCC) builds: feeds every file
// named on the command line, or found directly inside a named directory, to
// LLVMFuzzerTestOneInput once, in a stable order. A target's invariant
// violation aborts; sanitizers report as usual. Exits non-zero when an
// argument cannot be read or no input was found, so an emptied corpus fails.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// Exactly the file's bytes, in a buffer of exactly that size (so ASan
// catches a target reading past its input).
bool read_file(const fs::path& path, std::vector<std::uint8_t>& out) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error) return false;
  out.assign(static_cast<std::size_t>(size), 0);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return in.gcount() == static_cast<std::streamsize>(out.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code error;
    if (fs::is_directory(arg, error)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(arg, error)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(arg, error)) {
      inputs.push_back(arg);
    }
    if (error) {
      std::fprintf(stderr, "corpus_driver: cannot read %s: %s\n", argv[i], error.message().c_str());
      return 2;
    }
    if (!fs::exists(arg)) {
      std::fprintf(stderr, "corpus_driver: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE... (found no input)\n", argv[0]);
    return 2;
  }
  for (const fs::path& path : inputs) {
    std::vector<std::uint8_t> data;
    if (!read_file(path, data)) {
      std::fprintf(stderr, "corpus_driver: cannot read %s\n", path.c_str());
      return 2;
    }
    std::fprintf(stderr, "corpus_driver: %s (%zu bytes)\n", path.c_str(), data.size());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  std::printf("corpus_driver: ran %zu inputs\n", inputs.size());
  return 0;
}
