// The review shows what changed, field by field, through the real dmp-sign:
// the "What was seen" of issue 14 part 3. A changed DNS address (.12 -> .21)
// or host (.com -> .corn) is named with carets under the changed characters,
// a changed operator key shows both fingerprints, a priority change is one
// line, and a host one or two edits from a known one is warned about. On a
// real terminal (a pseudo-terminal this test drives) the changed characters
// are coloured instead, NO_COLOR and TERM=dumb give the carets back, and the
// only escape sequences that reach the terminal are the review's own SGR.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>

#include "sign/sign_test_support.hpp"
#include "support/terminal.hpp"

namespace dmp::test {
namespace {

class ReviewDiff : public ::testing::Test {
 protected:
  void SetUp() override { ws_.keygen(); }

  // Publishes `before` from another state dir, then signs `after` against
  // it with --previous: the review diffs the two. Returns that run.
  ProcessResult review_change(const nlohmann::json& before, const nlohmann::json& after) {
    auto published =
        ws_.sign({"--out", ws_.path("published.wire"), ws_.write_input("before.json", before)}, {},
                 ws_.path("other-state"));
    EXPECT_EQ(published.exit_code, 0) << published.err;
    auto r = ws_.sign({"--previous", ws_.path("published.wire").string(), "--out",
                       ws_.path("next.wire"), ws_.write_input("after.json", after)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Without a terminal (and NO_COLOR or not) the marks are carets: no
    // escape sequence at all reaches the output.
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
    return r;
  }

  // The line after the one that contains `text`.
  static std::string line_after(const std::string& err, const std::string& text) {
    const auto at = err.find(text);
    if (at == std::string::npos) return "";
    const auto start = err.find('\n', at);
    if (start == std::string::npos) return "";
    return err.substr(start + 1, err.find('\n', start + 1) - start - 1);
  }

  // Column of `needle` in the line of `err` that contains it.
  static std::size_t column_of(const std::string& err, const std::string& needle) {
    const auto at = err.find(needle);
    const auto line_start = err.rfind('\n', at);
    return at - (line_start == std::string::npos ? 0 : line_start + 1);
  }

  SignWorkspace ws_;
};

TEST_F(ReviewDiff, AChangedDnsAddressNamesTheFieldAndMarksTheDigits) {
  auto before = cluster_input("mesh.example.com", 1);
  before["nodes"][1]["dns_endpoint"] = "203.0.113.12:53";
  auto after = before;
  after["seq"] = 2;
  after["nodes"][1]["dns_endpoint"] = "203.0.113.21:53";
  auto r = review_change(before, after);
  const std::string line = "dns_endpoint: 203.0.113.12:53 -> 203.0.113.21:53";
  ASSERT_NE(r.err.find("~ node n02\n"), std::string::npos) << r.err;
  ASSERT_NE(r.err.find(line), std::string::npos) << r.err;
  const std::string carets = line_after(r.err, line);
  const std::size_t start = column_of(r.err, line);
  // Under "12" and under "21", nothing else.
  std::string expected(start + line.size(), ' ');
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i == line.find("12:") || i == line.find("12:") + 1 || i == line.find("21:") ||
        i == line.find("21:") + 1)
      expected[start + i] = '^';
  }
  expected.erase(expected.find_last_not_of(' ') + 1);
  EXPECT_EQ(carets, expected) << r.err;
  EXPECT_EQ(r.err.find("- node"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("+ node"), std::string::npos) << r.err;
}

TEST_F(ReviewDiff, AHostOneLetterFromTheOldOneIsMarkedAndWarnedAbout) {
  auto before = cluster_input("mesh.example.com", 1);
  auto after = before;
  after["seq"] = 2;
  after["nodes"][2]["http_endpoint"] = "https://n3.mesh.example.corn:8053";
  auto r = review_change(before, after);
  const std::string line =
      "http_endpoint: https://n3.mesh.example.com:8053 -> https://n3.mesh.example.corn:8053";
  ASSERT_NE(r.err.find(line), std::string::npos) << r.err;
  const std::string carets = line_after(r.err, line);
  EXPECT_NE(carets.find('^'), std::string::npos) << r.err;
  EXPECT_EQ(std::count(carets.begin(), carets.end(), '^'), 3) << "m, then rn: " << r.err;
  EXPECT_NE(r.err.find("warning: host n3.mesh.example.corn"), std::string::npos) << r.err;
}

TEST_F(ReviewDiff, DifferentNodesOfOneZoneAreNotWarnedAbout) {
  auto before = cluster_input("mesh.example.com", 1, 2);
  auto after = cluster_input("mesh.example.com", 2, 3);  // adds n3.mesh.example.com
  auto r = review_change(before, after);
  EXPECT_NE(r.err.find("+ node n03"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("warning: host"), std::string::npos) << r.err;
}

TEST_F(ReviewDiff, AChangedOperatorKeyShowsBothFingerprints) {
  auto before = bootstrap_input("example.com", 1);
  auto after = before;
  after["seq"] = 2;
  after["entries"][0]["operator_spk_hex"] =
      "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168c";
  auto r = review_change(before, after);
  const auto at = r.err.find("operator_spk");
  ASSERT_NE(at, std::string::npos) << r.err;
  const std::string rest = r.err.substr(at);
  const std::string line = rest.substr(0, rest.find('\n'));
  EXPECT_NE(line.find("2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b"),
            std::string::npos)
      << r.err;
  // Both keys, each with its fingerprint beside it.
  std::size_t fingerprints = 0;
  for (auto f = r.err.find("dmp1:", at); f != std::string::npos; f = r.err.find("dmp1:", f + 1)) {
    if (f < at + line.size() + 2 * 200) ++fingerprints;
  }
  EXPECT_GE(fingerprints, 2u) << r.err;
}

TEST_F(ReviewDiff, APriorityChangeIsOneLineNotARemovalAndAnAddition) {
  auto before = bootstrap_input("example.com", 1);
  auto after = before;
  after["seq"] = 2;
  after["entries"][1]["priority"] = 5;
  auto r = review_change(before, after);
  EXPECT_NE(r.err.find("priority: 20 -> 5"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("- entry"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("+ entry"), std::string::npos) << r.err;
}

// --- on a terminal --------------------------------------------------------

// Runs `argv` with `env` and its standard error on a new pseudo-terminal
// (stdin and stdout on /dev/null), as an operator's terminal would be.
// Returns the exit status and everything the terminal received, with the
// tty's "\r\n" output translation undone.
struct TerminalRun {
  int exit_code = -1;
  std::string screen;
};

TerminalRun run_on_terminal(const std::vector<std::string>& argv,
                            const std::vector<std::string>& env) {
  const Pty pty = open_pty();
  const int master = pty.master;
  const pid_t pid = spawn_on_terminal(pty.slave_name, argv, -1, env);
  TerminalRun run;
  // Read until the child's side closes (EIO on Linux), bounded in time so a
  // hang fails the test instead of the suite.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd{master, POLLIN, 0};
    if (::poll(&fd, 1, 200) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;
    run.screen.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == 0) ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(master);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.screen.erase(std::remove(run.screen.begin(), run.screen.end(), '\r'), run.screen.end());
  return run;
}

// The screen with every SGR sequence removed; what is left must hold no
// control byte but newline.
std::string without_sgr(const std::string& screen) {
  return std::regex_replace(screen, std::regex("\x1b\\[[0-9;]*m"), "");
}

::testing::AssertionResult only_sgr_and_newlines(const std::string& screen) {
  const std::string rest = without_sgr(screen);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const auto c = static_cast<unsigned char>(rest[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f)
      return ::testing::AssertionFailure()
             << "raw control byte " << int(c) << " at " << i << " of:\n"
             << rest;
  }
  return ::testing::AssertionSuccess();
}

class ReviewOnTerminal : public ReviewDiff {
 protected:
  // Publishes `before`, then signs `after` with its review on a terminal
  // whose environment is `env` (added to this process's, NO_COLOR removed).
  TerminalRun review_on_terminal(const nlohmann::json& before, const nlohmann::json& after,
                                 const std::vector<std::string>& env) {
    auto published =
        ws_.sign({"--out", ws_.path("published.wire"), ws_.write_input("before.json", before)}, {},
                 ws_.path("other-state"));
    EXPECT_EQ(published.exit_code, 0) << published.err;
    std::vector<std::string> base;
    for (const auto& e : environment_with({})) {
      if (e.rfind("NO_COLOR=", 0) == 0 || e.rfind("TERM=", 0) == 0) continue;
      base.push_back(e);
    }
    base.insert(base.end(), env.begin(), env.end());
    auto argv = ws_.sign_args({"--previous", ws_.path("published.wire").string(), "--out",
                               ws_.path("next.wire"), ws_.write_input("after.json", after)});
    argv.insert(argv.begin(), DMP_SIGN_BIN);
    return run_on_terminal(argv, base);
  }

  static nlohmann::json changed_dns(nlohmann::json& before) {
    before = cluster_input("mesh.example.com", 1);
    before["nodes"][1]["dns_endpoint"] = "203.0.113.12:53";
    auto after = before;
    after["seq"] = 2;
    after["nodes"][1]["dns_endpoint"] = "203.0.113.21:53";
    return after;
  }
};

TEST_F(ReviewOnTerminal, ColoursTheChangedCharactersAndDrawsNoCarets) {
  nlohmann::json before;
  const auto after = changed_dns(before);
  const auto r = review_on_terminal(before, after, {"TERM=xterm-256color"});
  ASSERT_EQ(r.exit_code, 0) << r.screen;
  // The old digits in the "before" colour, the new ones in the "after" one.
  EXPECT_NE(r.screen.find("203.0.113.\x1b[7;31m12\x1b[0m:53"), std::string::npos) << r.screen;
  EXPECT_NE(r.screen.find("203.0.113.\x1b[7;32m21\x1b[0m:53"), std::string::npos) << r.screen;
  const std::string plain = without_sgr(r.screen);
  const std::string line = "dns_endpoint: 203.0.113.12:53 -> 203.0.113.21:53\n";
  ASSERT_NE(plain.find(line), std::string::npos) << plain;
  EXPECT_EQ(plain.find('^'), std::string::npos) << "carets as well as colour:\n" << plain;
  EXPECT_TRUE(only_sgr_and_newlines(r.screen));
}

TEST_F(ReviewOnTerminal, NoColorAndADumbTerminalGetCaretsAndNoEscapeAtAll) {
  for (const std::vector<std::string>& env :
       {std::vector<std::string>{"TERM=xterm", "NO_COLOR=1"}, {"TERM=dumb"}}) {
    nlohmann::json before;
    const auto after = changed_dns(before);
    fs::remove_all(ws_.path("other-state"));
    fs::remove_all(ws_.state());
    const auto r = review_on_terminal(before, after, env);
    ASSERT_EQ(r.exit_code, 0) << env.back() << ": " << r.screen;
    EXPECT_EQ(r.screen.find('\x1b'), std::string::npos) << env.back() << ": " << r.screen;
    const std::string line = "dns_endpoint: 203.0.113.12:53 -> 203.0.113.21:53\n";
    const auto at = r.screen.find(line);
    ASSERT_NE(at, std::string::npos) << r.screen;
    const std::string carets =
        r.screen.substr(at + line.size(), r.screen.find('\n', at + line.size()) - at - line.size());
    EXPECT_EQ(std::count(carets.begin(), carets.end(), '^'), 4) << env.back() << ": " << r.screen;
  }
}

// A hostile input, refused, still reaches the terminal only as visible
// escapes: the refusal names the field, and no byte of the input's ESC, CR
// or bidi override arrives raw.
TEST_F(ReviewOnTerminal, AHostileInputIsRefusedWithNoRawControlOnTheTerminal) {
  nlohmann::json before;
  auto after = changed_dns(before);
  after["nodes"][1]["node_id"] = "n02\x1b[2J\r\u202e";
  const auto r = review_on_terminal(before, after, {"TERM=xterm-256color"});
  EXPECT_NE(r.exit_code, 0) << r.screen;
  EXPECT_NE(r.screen.find("nodes[1].node_id"), std::string::npos) << r.screen;
  EXPECT_EQ(r.screen.find("\xe2\x80\xae"), std::string::npos) << r.screen;
  EXPECT_TRUE(only_sgr_and_newlines(r.screen));
}

}  // namespace
}  // namespace dmp::test
