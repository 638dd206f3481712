#include "sign/confirm.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <optional>

namespace dmp::cli {
namespace {

// One line typed on the terminal, or nullopt without a terminal.
std::optional<std::string> ask(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return std::nullopt;
  (void)!::write(fd, prompt.data(), prompt.size());
  std::string answer;
  char c = 0;
  while (answer.size() < 256 && ::read(fd, &c, 1) == 1 && c != '\n')
    answer += c;
  ::close(fd);
  if (!answer.empty() && answer.back() == '\r') answer.pop_back();
  return answer;
}

Failure no_terminal(const std::string& batch_hint) {
  return fail(Reason::not_confirmed, "",
              "no terminal to confirm on; review the input and pass " + batch_hint +
                  " to proceed non-interactively");
}

}  // namespace

Status confirm_yes_no(const std::string& question, const std::string& batch_hint) {
  const auto answer = ask(question + " [y/N] ");
  if (!answer) return no_terminal(batch_hint);
  if (*answer == "y" || *answer == "Y" || *answer == "yes") return ok();
  return fail(Reason::not_confirmed, "", "not confirmed; nothing signed");
}

Status confirm_by_typing(const std::string& prompt, const std::string& expected,
                         const std::string& batch_hint) {
  const auto answer = ask(prompt);
  if (!answer) return no_terminal(batch_hint);
  if (*answer == expected) return ok();
  return fail(Reason::not_confirmed, "",
              "the text typed is not " + expected + "; not confirmed, nothing signed");
}

}  // namespace dmp::cli
