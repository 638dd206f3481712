#include "token_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "dmp/encoding.hpp"

namespace dmp::soft_fido2 {
namespace {

// The file is "key value" lines; byte strings are hex of a fixed size.
std::optional<Bytes> unhex(const std::string& text, size_t size) {
  Bytes out(size);
  if (!encoding::hex_decode_into(text, out)) return std::nullopt;
  return out;
}

template <typename T>
std::optional<T> number(const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

TokenState new_token_state() {
  TokenState state;
  state.aaguid = random_bytes(16);
  state.master_secret = random_bytes(32);
  return state;
}

std::optional<TokenState> load_state(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  TokenState state;
  std::string line;
  bool versioned = false;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    std::string value;
    fields >> key >> value;
    std::optional<Bytes> bytes;
    std::optional<int> small;
    if (key == "soft-fido2-state") {
      versioned = value == "1";
    } else if (key == "aaguid" && (bytes = unhex(value, 16))) {
      state.aaguid = *bytes;
    } else if (key == "master" && (bytes = unhex(value, 32))) {
      state.master_secret = *bytes;
    } else if (key == "pin-hash" && (bytes = unhex(value, 16))) {
      state.pin_hash = *bytes;
    } else if (key == "pin-retries" && (small = number<int>(value))) {
      state.pin_retries = *small;
    } else if (key == "sign-count" && number<uint32_t>(value)) {
      state.sign_count = *number<uint32_t>(value);
    } else if (key == "presence" && (small = number<int>(value)) && *small >= 0 && *small <= 2) {
      state.presence = static_cast<Presence>(*small);
    } else if (key == "plugged-in") {
      state.plugged_in = value == "1";
    }
  }
  if (!versioned || state.aaguid.empty() || state.master_secret.empty()) return std::nullopt;
  return state;
}

bool save_state(const std::filesystem::path& file, const TokenState& state) {
  std::ostringstream out;
  out << "soft-fido2-state 1\n"
      << "aaguid " << encoding::hex_encode(state.aaguid) << "\n"
      << "master " << encoding::hex_encode(state.master_secret) << "\n";
  if (state.pin_hash) out << "pin-hash " << encoding::hex_encode(*state.pin_hash) << "\n";
  out << "pin-retries " << state.pin_retries << "\n"
      << "sign-count " << state.sign_count << "\n"
      << "presence " << static_cast<int>(state.presence) << "\n"
      << "plugged-in " << (state.plugged_in ? 1 : 0) << "\n";
  const std::string text = out.str();

  const std::string tmp = file.string() + ".tmp." + std::to_string(getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed || std::rename(tmp.c_str(), file.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace dmp::soft_fido2
