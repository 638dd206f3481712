// Starting a real binary on a pseudo-terminal, as an operator's shell would:
// the child is a session leader whose controlling terminal is the pty's
// slave, so /dev/tty, isatty() and termios behave as on a console.
#pragma once

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace dmp::test {

// A new pseudo-terminal: the master side (O_CLOEXEC) and the slave's name.
struct Pty {
  int master = -1;
  std::string slave_name;
};

inline Pty open_pty() {
  Pty pty;
  pty.master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (pty.master < 0 || ::grantpt(pty.master) != 0 || ::unlockpt(pty.master) != 0) {
    throw std::runtime_error("posix_openpt failed");
  }
  pty.slave_name = ::ptsname(pty.master);
  return pty;
}

// Forks and executes argv[0] with the terminal `slave_name` as controlling
// terminal, standard input and output on /dev/null (or, with
// `stdio_on_terminal`, on the terminal too) and standard error on `err_fd`
// (-1: the terminal itself). `env` empty: inherit the environment.
// Returns the child's pid.
inline pid_t spawn_on_terminal(const std::string& slave_name, const std::vector<std::string>& argv,
                               int err_fd, const std::vector<std::string>& env = {},
                               bool stdio_on_terminal = false) {
  std::vector<char*> args, envp;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::setsid();
    const int tty = ::open(slave_name.c_str(), O_RDWR);
    if (tty < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0) ::_exit(126);
    ::dup2(stdio_on_terminal ? tty : null_fd, 0);
    ::dup2(stdio_on_terminal ? tty : null_fd, 1);
    ::dup2(err_fd < 0 ? tty : err_fd, 2);
    if (tty > 2) ::close(tty);
    if (env.empty()) {
      ::execv(args[0], args.data());
    } else {
      ::execve(args[0], args.data(), envp.data());
    }
    ::_exit(127);
  }
  ::close(null_fd);
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

}  // namespace dmp::test
