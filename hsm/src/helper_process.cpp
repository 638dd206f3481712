#include "dmp/hsm/helper_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

extern char** environ;

namespace dmp::hsm::helper {

namespace {

Failure helper_failure(const std::string& helper, std::string what) {
  return fail(Reason::helper_protocol, helper, std::move(what));
}

// Closes a descriptor once; -1 means already closed.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// A helper that dies before reading its request would turn our write into a
// SIGPIPE that kills dmp-sign mid-command; ignore it while we talk (the
// write then fails with EPIPE, reported as an error) and restore it after.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &saved_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &saved_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction saved_ {};
};

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "ended abnormally";
}

}  // namespace

Result<Message> call_helper(const std::vector<std::string>& argv, const Message& request) {
  if (argv.empty()) return fail(Reason::usage, "", "no helper program given");
  const std::string& name = argv[0];
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0)
    return helper_failure(name, "pipe: " + std::string(std::strerror(errno)));
  Fd child_in{to_child[0]}, request_end{to_child[1]};
  if (::pipe2(from_child, O_CLOEXEC) != 0)
    return helper_failure(name, "pipe: " + std::string(std::strerror(errno)));
  Fd reply_end{from_child[0]}, child_out{from_child[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, child_in.fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, child_out.fd, STDOUT_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, name.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return helper_failure(name, "cannot start the helper: " + std::string(std::strerror(spawned)));
  child_in.reset();
  child_out.reset();

  IgnoreSigpipe ignore_sigpipe;
  Status sent = write_message(request_end.fd, request);
  request_end.reset();  // EOF tells the helper the request is complete
  // A helper that exits without reading its request breaks the protocol
  // just as one that answers garbage does.
  Result<Message> reply =
      sent ? read_message(reply_end.fd)
           : Result<Message>(helper_failure(
                 name, "the helper did not read its request (" + sent.error().message() + ")"));
  // Exactly one message: anything after it is a protocol violation.
  if (reply) {
    std::uint8_t extra = 0;
    ssize_t n;
    do {
      n = ::read(reply_end.fd, &extra, 1);
    } while (n < 0 && errno == EINTR);
    if (n > 0) reply = helper_failure(name, "the helper sent bytes after its reply");
  }
  reply_end.reset();

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return helper_failure(name, "waitpid: " + std::string(std::strerror(errno)));
  }
  const bool clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!reply) {
    // A helper that died without a word: say how it died, not just "EOF".
    if (reply.error().reason == Reason::helper_protocol && !clean_exit)
      return helper_failure(name,
                            "the helper " + describe_status(status) + " without a valid reply");
    return std::move(reply).error();
  }
  auto opened = open_reply(std::move(reply).value());
  if (opened && !clean_exit)
    return helper_failure(name, "the helper " + describe_status(status) + " after an ok reply");
  return opened;
}

}  // namespace dmp::hsm::helper
