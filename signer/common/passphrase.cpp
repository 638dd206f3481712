#include "common/passphrase.hpp"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "common/private_file.hpp"

namespace dmp::cli {
namespace {

Failure refused(const std::string& rule) {
  return fail(Reason::weak_passphrase, "passphrase", rule);
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
      return fail(Reason::io_error, what, std::string("read failed: ") + std::strerror(errno));
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

// While echo is off, a signal that ends the process (Ctrl-C, kill, a closed
// terminal) must not leave the operator's shell without echo: the handler
// puts the saved settings back and re-raises the signal with its default
// action, so the exit status still says which signal ended the run.
// tcsetattr(3) is async-signal-safe.
constexpr int kRestoringSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
volatile sig_atomic_t g_echo_off_fd = -1;
termios g_saved_termios{};

extern "C" void restore_terminal_and_reraise(int signal_number) {
  const int fd = g_echo_off_fd;
  if (fd >= 0) ::tcsetattr(fd, TCSAFLUSH, &g_saved_termios);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);  // delivered when this handler returns
}

// Installs the handlers for one prompt and puts the previous ones back.
class EchoOffGuard {
 public:
  EchoOffGuard(int fd, const termios& saved) {
    g_saved_termios = saved;
    g_echo_off_fd = fd;
    struct sigaction action {};
    action.sa_handler = restore_terminal_and_reraise;
    sigemptyset(&action.sa_mask);
    for (int sig : kRestoringSignals)
      sigaddset(&action.sa_mask, sig);
    for (std::size_t i = 0; i < std::size(kRestoringSignals); ++i)
      ::sigaction(kRestoringSignals[i], &action, &previous_[i]);
  }
  ~EchoOffGuard() {
    for (std::size_t i = 0; i < std::size(kRestoringSignals); ++i)
      ::sigaction(kRestoringSignals[i], &previous_[i], nullptr);
    g_echo_off_fd = -1;
  }
  EchoOffGuard(const EchoOffGuard&) = delete;
  EchoOffGuard& operator=(const EchoOffGuard&) = delete;

 private:
  struct sigaction previous_[std::size(kRestoringSignals)]{};
};

// Prompts on the controlling terminal with echo off; restores the terminal,
// also when a signal ends the run at the prompt.
class TerminalPrompt {
 public:
  static Result<TerminalPrompt> open() {
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      return fail(Reason::usage, "passphrase",
                  "no terminal to ask on; use --passphrase-file FILE (mode 0600) or "
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
    if (::tcgetattr(fd_, &saved) != 0) return read_line(fd_, "terminal");
    // The guard is armed before echo goes off and disarmed after it is back.
    EchoOffGuard guard(fd_, saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(fd_, TCSAFLUSH, &quiet);
    auto line = read_line(fd_, "terminal");
    ::tcsetattr(fd_, TCSAFLUSH, &saved);
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
