#include "common/passphrase.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/private_file.hpp"

namespace dmp::cli {
namespace {

Failure refused(const std::string& rule) {
  return fail(Reason::weak_passphrase, "passphrase", "passphrase: " + rule);
}

// Reads bytes from `fd` until newline or EOF into guarded memory; the newline
// (and a preceding '\r') is not part of the passphrase.
Result<hsm::SecretBuffer> read_line(int fd, const std::string& what) {
  hsm::SecretBuffer buffer(kMaxPassphraseLen + 1);
  std::size_t length = 0;
  while (true) {
    std::uint8_t byte = 0;
    const ssize_t n = ::read(fd, &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return fail(Reason::io_error, what, what + ": read failed: " + std::strerror(errno));
    }
    if (n == 0 || byte == '\n') break;
    if (length == kMaxPassphraseLen) return refused("longer than 1024 bytes");
    buffer.data()[length++] = byte;
  }
  if (length > 0 && buffer.data()[length - 1] == '\r') --length;
  buffer.truncate(length);
  return buffer;
}

// The first line of a passphrase file, which must be private like a key file.
Result<hsm::SecretBuffer> read_from_file(const std::string& path) {
  // Only the first line counts; notes may follow it, so allow a larger file.
  auto content = read_private_file(path, 64 * 1024, "passphrase file");
  if (!content) return content.error();
  std::size_t length = 0;
  while (length < content->size() && content->data()[length] != '\n')
    ++length;
  if (length > 0 && content->data()[length - 1] == '\r') --length;
  if (length > kMaxPassphraseLen) return refused("longer than 1024 bytes");
  content->truncate(length);
  return std::move(*content);
}

// Prompts on the controlling terminal with echo off; restores the terminal.
class TerminalPrompt {
 public:
  static Result<TerminalPrompt> open() {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      return fail(Reason::usage, "passphrase",
                  "passphrase: no terminal to ask on; use --passphrase-file FILE (mode 0600) or "
                  "--passphrase-fd N");
    }
    return TerminalPrompt(fd);
  }
  TerminalPrompt(TerminalPrompt&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ~TerminalPrompt() {
    if (fd_ >= 0) ::close(fd_);
  }

  Result<hsm::SecretBuffer> ask(const std::string& prompt) {
    (void)!::write(fd_, prompt.data(), prompt.size());
    termios saved{};
    const bool have_termios = ::tcgetattr(fd_, &saved) == 0;
    if (have_termios) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      quiet.c_lflag |= ECHONL;
      ::tcsetattr(fd_, TCSAFLUSH, &quiet);
    }
    auto line = read_line(fd_, "terminal");
    if (have_termios) ::tcsetattr(fd_, TCSAFLUSH, &saved);
    return line;
  }

 private:
  explicit TerminalPrompt(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

Result<hsm::SecretBuffer> read_passphrase(const PassphraseSource& source, const std::string& prompt,
                                          PassphrasePurpose purpose) {
  Result<hsm::SecretBuffer> passphrase = hsm::SecretBuffer();
  if (source.file) {
    passphrase = read_from_file(*source.file);
  } else if (source.fd) {
    passphrase = read_line(*source.fd, "passphrase fd " + std::to_string(*source.fd));
  } else {
    auto terminal = TerminalPrompt::open();
    if (!terminal) return terminal.error();
    passphrase = terminal->ask(prompt);
    if (passphrase && purpose == PassphrasePurpose::create) {
      auto again = terminal->ask("Repeat the passphrase: ");
      if (!again) return again.error();
      if (!passphrase->equals(*again)) return refused("the two entries differ");
    }
  }
  if (!passphrase) return passphrase;
  if (passphrase->empty()) return refused("must not be empty");
  if (purpose == PassphrasePurpose::create && passphrase->size() < kShortPassphraseLen) {
    std::fprintf(stderr,
                 "dmp-sign: warning: passphrase is shorter than %zu characters; a long "
                 "passphrase is what keeps a stolen key file useless\n",
                 kShortPassphraseLen);
  }
  return passphrase;
}

}  // namespace dmp::cli
