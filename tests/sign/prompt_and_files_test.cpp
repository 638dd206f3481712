// The ceremony's prompts and files, end to end through the real binaries
// (issue "one signing ceremony", part 6): the passphrase prompt on a real
// pseudo-terminal (echo comes back after Ctrl-C or SIGTERM, a wrong
// passphrase is asked again up to three times, the KDF is announced), FIFOs
// and devices where a key, passphrase or dmp-verify input belongs are
// refused at once instead of blocking, --ttl stays within 2^31-1, and the
// temporary files an interrupted publish left behind are removed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <algorithm>
#include <chrono>

#include "sign/sign_test_support.hpp"
#include "support/terminal.hpp"

namespace dmp::test {
namespace {

constexpr int kExitIo = 7;
constexpr int kExitPassphrase = 5;
constexpr int kTimedOut = 124;  // coreutils timeout(1): the command hung

// Runs `argv` under timeout(1), so a regression that blocks (open(2) on a
// FIFO) fails the test instead of hanging the suite.
ProcessResult run_bounded(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"/usr/bin/timeout", "20"});
  return run_process(argv);
}

// dmp-sign with /dev/tty on a pseudo-terminal this test drives: the child
// is a session leader whose controlling terminal is the pty's slave; stdout
// and stderr are pipes. The test keeps the slave open to read its termios.
class PtyChild {
 public:
  explicit PtyChild(const std::vector<std::string>& argv) {
    const Pty pty = open_pty();
    master_ = pty.master;
    slave_ = ::open(pty.slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    int err_pipe[2];
    if (slave_ < 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pty setup");
    pid_ = spawn_on_terminal(pty.slave_name, argv, err_pipe[1]);
    ::close(err_pipe[1]);
    err_ = err_pipe[0];
  }
  ~PtyChild() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    ::close(master_);
    ::close(slave_);
    ::close(err_);
  }
  PtyChild(const PtyChild&) = delete;
  PtyChild& operator=(const PtyChild&) = delete;

  // Reads the terminal until `text` has appeared `count` times in all.
  bool wait_for_terminal(const std::string& text, int count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (occurrences(terminal_, text) < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, 200) <= 0) continue;
      char buf[512];
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;
      terminal_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  // Whether the terminal echoes typed characters, as the operator's shell
  // will find it.
  bool echo_on() const {
    termios t{};
    if (::tcgetattr(slave_, &t) != 0) throw std::runtime_error("tcgetattr failed");
    return (t.c_lflag & ECHO) != 0;
  }

  // Polls until echo is off (the prompt is written just before tcsetattr).
  bool wait_echo_off() const {
    for (int i = 0; i < 200; ++i) {
      if (!echo_on()) return true;
      ::usleep(25'000);
    }
    return false;
  }

  void type(const std::string& keys) const {
    ASSERT_EQ(::write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }
  void signal(int sig) const { ::kill(pid_, sig); }

  // Waits for the child; returns its wait status. Drains stderr.
  int wait() {
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(err_, buf, sizeof buf)) > 0)
      stderr_.append(buf, static_cast<std::size_t>(n));
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

  const std::string& terminal() const { return terminal_; }
  const std::string& err() const { return stderr_; }

 private:
  static int occurrences(const std::string& haystack, const std::string& needle) {
    int n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size()))
      ++n;
    return n;
  }

  int master_ = -1;
  int slave_ = -1;
  int err_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string terminal_;
  std::string stderr_;
};

class PromptsAndFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    input_ = ws_.write_input("cluster.json", cluster_input("mesh.example.com", "auto"));
  }

  // `dmp-sign sign` asking for the passphrase on the terminal (no
  // --passphrase-file), --yes for the confirmation.
  std::vector<std::string> prompting_sign(const std::string& out) const {
    return {DMP_SIGN_BIN,  "sign",      "--first", "--key", ws_.key_file(),
            "--state-dir", ws_.state(), "--yes",   "--now", kNowText,
            "--out",       out,         input_};
  }

  SignWorkspace ws_;
  std::string pub_;
  fs::path input_;
};

// --- the passphrase prompt --------------------------------------------------

TEST_F(PromptsAndFiles, CtrlCAtThePassphrasePromptGivesTheTerminalItsEchoBack) {
  PtyChild child(prompting_sign(ws_.path("c.wire")));
  ASSERT_TRUE(child.wait_for_terminal("Passphrase for ")) << child.terminal();
  ASSERT_TRUE(child.echo_on() == false || child.wait_echo_off()) << "the prompt turns echo off";
  child.type("\x03");  // the terminal turns Ctrl-C into SIGINT for the foreground group
  const int status = child.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status << child.err();
  EXPECT_TRUE(child.echo_on()) << "echo left off after Ctrl-C";
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(PromptsAndFiles, SigtermAtThePassphrasePromptGivesTheTerminalItsEchoBack) {
  PtyChild child(prompting_sign(ws_.path("c.wire")));
  ASSERT_TRUE(child.wait_for_terminal("Passphrase for ")) << child.terminal();
  ASSERT_TRUE(child.wait_echo_off());
  child.signal(SIGTERM);
  const int status = child.wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status << child.err();
  EXPECT_TRUE(child.echo_on()) << "echo left off after SIGTERM";
}

TEST_F(PromptsAndFiles, AWrongPassphraseIsAskedAgainAndTheCeremonyGoesOn) {
  PtyChild child(prompting_sign(ws_.path("c.wire")));
  ASSERT_TRUE(child.wait_for_terminal("Passphrase for "));
  ASSERT_TRUE(child.wait_echo_off());  // typed before that, the prompt's flush drops it
  child.type("not the passphrase\n");
  ASSERT_TRUE(child.wait_for_terminal("Passphrase for ", 2)) << child.terminal();
  ASSERT_TRUE(child.wait_echo_off());
  child.type(kPassphrase + "\n");
  const int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << child.err();
  EXPECT_NE(child.err().find("dmp-sign: wrong passphrase; try again (2 attempts left)"),
            std::string::npos)
      << child.err();
  EXPECT_EQ(ws_.verify(pub_, ws_.path("c.wire")).exit_code, 0);
  EXPECT_EQ(ws_.ledger_entries().size(), 1u);
  EXPECT_TRUE(child.echo_on());
}

TEST_F(PromptsAndFiles, ThreeWrongPassphrasesEndTheRunWithNothingSigned) {
  PtyChild child(prompting_sign(ws_.path("c.wire")));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    ASSERT_TRUE(child.wait_for_terminal("Passphrase for ", attempt)) << child.terminal();
    ASSERT_TRUE(child.wait_echo_off());
    child.type("wrong " + std::to_string(attempt) + "\n");
  }
  const int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), kExitPassphrase) << child.err();
  EXPECT_NE(child.err().find("(2 attempts left)"), std::string::npos) << child.err();
  EXPECT_NE(child.err().find("(1 attempt left)"), std::string::npos) << child.err();
  EXPECT_NE(child.err().find("wrong passphrase, or the file was modified (authentication "
                             "failed) [wrong_passphrase]\n"),
            std::string::npos)
      << child.err();
  EXPECT_FALSE(fs::exists(ws_.path("c.wire")));
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(PromptsAndFiles, AWrongPassphraseFromAFileIsNotRetried) {
  write_private_file(ws_.path("wrong.pass"), "not it\n");
  auto r = ws_.run({"sign", "--first", "--key", ws_.key_file(), "--passphrase-file",
                    ws_.path("wrong.pass"), "--state-dir", ws_.state(), "--yes", "--now", kNowText,
                    "--out", ws_.path("c.wire"), input_});
  EXPECT_EQ(r.exit_code, kExitPassphrase) << r.err;
  EXPECT_EQ(r.err.find("try again"), std::string::npos) << r.err;
  EXPECT_TRUE(ends_with_reason(r, "wrong_passphrase")) << r.err;
}

TEST_F(PromptsAndFiles, TheKdfIsAnnouncedBeforeItRunsToWhoTypedThePassphrase) {
  PtyChild child(prompting_sign(ws_.path("c.wire")));
  ASSERT_TRUE(child.wait_for_terminal("Passphrase for "));
  ASSERT_TRUE(child.wait_echo_off());  // typed before that, the prompt's flush drops it
  child.type(kPassphrase + "\n");
  const int status = child.wait();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << child.err();
  // keygen --kdf interactive: Argon2id with 64 MiB.
  const auto announced = child.err().find("dmp-sign: unlocking key (Argon2id, 64 MiB)\u2026\n");
  ASSERT_NE(announced, std::string::npos) << child.err();
  EXPECT_LT(announced, child.err().find("signed")) << "announced before the signature";
}

TEST_F(PromptsAndFiles, ARunWithAPassphraseFileIsNotAnnounced) {
  write_private_file(ws_.path("wrong.pass"), "not it\n");
  auto r = ws_.run({"sign", "--first", "--key", ws_.key_file(), "--passphrase-file",
                    ws_.path("wrong.pass"), "--state-dir", ws_.state(), "--yes", "--now", kNowText,
                    "--out", ws_.path("c.wire"), input_});
  EXPECT_EQ(r.exit_code, kExitPassphrase) << r.err;
  EXPECT_EQ(r.err.find("unlocking key"), std::string::npos) << r.err;
}

// --- FIFOs and devices where a regular file belongs ---------------------------

TEST_F(PromptsAndFiles, AFifoAsTheKeyFileIsRefusedAtOnce) {
  const fs::path fifo = ws_.path("fifo.key");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = run_bounded({DMP_SIGN_BIN, "sign", "--first", "--key", fifo, "--passphrase-file",
                        ws_.pass_file(), "--state-dir", ws_.state(), "--yes", "--now", kNowText,
                        "--out", ws_.path("c.wire"), input_});
  ASSERT_NE(r.exit_code, kTimedOut) << "blocked on the FIFO";
  EXPECT_EQ(r.exit_code, kExitIo) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "io_error")) << r.err;
  EXPECT_NE(r.err.find("key file is a FIFO, not a regular file"), std::string::npos) << r.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(PromptsAndFiles, AFifoOrDeviceAsThePassphraseFileIsRefusedAtOnce) {
  const fs::path fifo = ws_.path("pass.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = run_bounded({DMP_SIGN_BIN, "sign", "--first", "--key", ws_.key_file(),
                        "--passphrase-file", fifo, "--state-dir", ws_.state(), "--yes", "--now",
                        kNowText, "--out", ws_.path("c.wire"), input_});
  ASSERT_NE(r.exit_code, kTimedOut) << "blocked on the FIFO";
  EXPECT_EQ(r.exit_code, kExitIo) << r.err;
  EXPECT_NE(r.err.find("passphrase file is a FIFO, not a regular file"), std::string::npos)
      << r.err;
  // A character device is refused the same way (its owner is root, so the
  // run may stop at the owner check first when not root: either refuses).
  auto dev = run_bounded({DMP_SIGN_BIN, "sign", "--first", "--key", ws_.key_file(),
                          "--passphrase-file", "/dev/zero", "--state-dir", ws_.state(), "--yes",
                          "--now", kNowText, "--out", ws_.path("c.wire"), input_});
  ASSERT_NE(dev.exit_code, kTimedOut);
  EXPECT_NE(dev.exit_code, 0) << dev.err;
  EXPECT_TRUE(ws_.ledger_entries().empty());
}

TEST_F(PromptsAndFiles, DmpVerifyRefusesAFifoOrDeviceInputAndStillReadsStandardInput) {
  ASSERT_EQ(ws_.sign({"--out", ws_.path("c.wire"), input_}).exit_code, 0);
  const fs::path fifo = ws_.path("wire.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& input : {fifo.string(), std::string("/dev/zero")}) {
    auto r = run_bounded({DMP_VERIFY_BIN, "--pubkey", pub_, "--now", kNowText, input});
    ASSERT_NE(r.exit_code, kTimedOut) << "blocked on " << input;
    EXPECT_NE(r.exit_code, 0) << input;
    EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << input << ": " << r.err;
  }
  // The pinned key file too.
  auto key =
      run_bounded({DMP_VERIFY_BIN, "--pubkey-file", fifo, "--now", kNowText, ws_.path("c.wire")});
  ASSERT_NE(key.exit_code, kTimedOut) << "blocked on the key FIFO";
  EXPECT_NE(key.exit_code, 0);
  EXPECT_NE(key.err.find("a FIFO, not a regular file"), std::string::npos) << key.err;
  // "-" is standard input, a pipe, and stays accepted.
  auto piped = run_process({DMP_VERIFY_BIN, "--pubkey", pub_, "--now", kNowText, "-"},
                           read_file(ws_.path("c.wire")));
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
}

// --- --ttl ------------------------------------------------------------------------

TEST_F(PromptsAndFiles, TtlIsBoundedToTwoToTheThirtyOneMinusOne) {
  for (const std::string ttl : {"2147483648", "4294967295", "0"}) {
    auto r = ws_.sign({"--format", "zone", "--ttl", ttl, "--out", ws_.path("c.zone"), input_});
    EXPECT_EQ(r.exit_code, kExitUsage) << ttl << ": " << r.err;
    EXPECT_NE(r.err.find("--ttl"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws_.path("c.zone")));
    EXPECT_TRUE(ws_.ledger_entries().empty()) << "a usage error burns no seq";
  }
  // The largest TTL is signed and dmp-verify reads the zone line back.
  auto r =
      ws_.sign({"--format", "zone", "--ttl", "2147483647", "--out", ws_.path("c.zone"), input_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(ws_.path("c.zone")).find(" 2147483647 "), std::string::npos);
  EXPECT_EQ(ws_.verify(pub_, ws_.path("c.zone")).exit_code, 0);
  // reemit has the same bound.
  auto again = ws_.ledger("reemit", {"--entry", "1", "--format", "zone", "--ttl", "2147483648",
                                     "--out", ws_.path("again.zone")});
  EXPECT_EQ(again.exit_code, kExitUsage) << again.err;
}

// --- temporaries left by an interrupted publish ---------------------------------

TEST_F(PromptsAndFiles, StaleTemporariesOfTheOutputAreRemoved) {
  const fs::path stale = ws_.path(".c.wire.tmp-Ab12Cd");
  write_file(stale, "half a wire");
  const fs::path other = ws_.path(".other.wire.tmp-Ab12Cd");  // another output's
  write_file(other, "not ours to touch");
  // A temporary a live writer holds (its flock) is not stale.
  const fs::path held = ws_.path(".c.wire.tmp-Zz99Yy");
  write_file(held, "being written");
  const int held_fd = ::open(held.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held_fd, 0);
  ASSERT_EQ(::flock(held_fd, LOCK_EX), 0);

  auto r = ws_.sign({"--out", ws_.path("c.wire"), input_});
  ::close(held_fd);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_NE(
      r.err.find("removed " + stale.string() + ", a temporary file an interrupted run left behind"),
      std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::exists(other));
  EXPECT_TRUE(fs::exists(held));
  EXPECT_EQ(ws_.verify(pub_, ws_.path("c.wire")).exit_code, 0);
}

}  // namespace
}  // namespace dmp::test
