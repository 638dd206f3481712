// dmp-sign backup on a real pseudo-terminal, as a share holder meets it: the shares of a split are
// typed back word by word (four letters of a word are enough, a non-word is refused at once, a
// whole pasted share is taken in one line), a mistyped share is caught by its checksum and asked
// again, the restore drill (backup check) takes typed shares, and `backup split --print` shows
// each sheet alone on a cleared screen and writes nothing to disk. The words typed here come from
// the sheets the real binary wrote (or, for --print, from what it showed), never from our own
// SLIP-39 code, so the test sees what a person would.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "backup/slip39.hpp"
#include "sign/sign_test_support.hpp"
#include "support/terminal.hpp"

namespace dmp::test {
namespace {

namespace slip39 = backup::slip39;

// A share of a 32-byte Ed25519 seed: the only secret dmp-sign splits.
constexpr std::size_t kShareWords = 33;
// What --print writes before each sheet and after the last: home, clear, clear the scrollback.
constexpr std::string_view kClearScreen = "\033[H\033[2J\033[3J";
// Long enough for a loaded machine, short enough that a hang fails instead of stalling the suite.
constexpr auto kTimeout = std::chrono::seconds(30);

int count_of(const std::string& haystack, std::string_view needle) {
  int n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size()))
    ++n;
  return n;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words)
    text += (text.empty() ? "" : " ") + word;
  return text;
}

bool is_slip39_word(const std::string& word) {
  const auto list = slip39::wordlist();
  return std::find(list.begin(), list.end(), word) != list.end();
}

// The lines of `text` that are a whole share: 33 SLIP-39 words and nothing else. On a sheet that
// is the one line without '#'; the numbered columns below it hold the words too, but never 33 on
// a line.
std::vector<std::vector<std::string>> mnemonic_lines(const std::string& text) {
  std::vector<std::vector<std::string>> found;
  for (const auto& line : lines_of(text)) {
    if (line.empty() || line[0] == '#') continue;
    const auto words = split_fields(line);
    if (words.size() == kShareWords && std::all_of(words.begin(), words.end(), is_slip39_word)) {
      found.push_back(words);
    }
  }
  return found;
}

// The mnemonic of a sheet as its holder finds it: the one line that does not start with '#'.
std::vector<std::string> sheet_words(const fs::path& sheet) {
  std::vector<std::string> uncommented;
  for (const auto& line : lines_of(read_file(sheet))) {
    if (!line.empty() && line[0] != '#') uncommented.push_back(line);
  }
  EXPECT_EQ(uncommented.size(), 1u) << sheet;
  if (uncommented.size() != 1) return {};
  const auto words = split_fields(uncommented[0]);
  EXPECT_EQ(words.size(), kShareWords) << uncommented[0];
  return words;
}

std::string word_prompt(int share, std::size_t word) {
  return "share " + std::to_string(share) + ", word " + std::to_string(word) + " of 33: ";
}

// Every path under `dir`, relative to it: a before/after pair shows whether a run created a file.
std::set<std::string> tree_of(const fs::path& dir) {
  std::set<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    paths.insert(fs::relative(entry.path(), dir).string());
  return paths;
}

// The working directory of this process for a scope: the children inherit it, and --print must
// write nothing there, nor anywhere else a relative path would land.
class InDirectory {
 public:
  explicit InDirectory(const fs::path& dir) : before_(fs::current_path()) { fs::current_path(dir); }
  ~InDirectory() {
    std::error_code ignored;
    fs::current_path(before_, ignored);
  }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  fs::path before_;
};

// dmp-sign on a new pseudo-terminal that is its controlling terminal (/dev/tty) and, with
// `stdio_on_terminal`, its stdin and stdout too (--print insists on a terminal stdin); stderr goes
// to a pipe, so warnings do not mix into what the holder's screen shows. This side keeps the slave
// open: until the child has opened it, a read of the master would fail (EIO) as if the child had
// ended. The end is the stderr pipe's end instead. Every wait is bounded by kTimeout.
class TerminalSession {
 public:
  TerminalSession(const std::vector<std::string>& argv, const fs::path& cwd,
                  bool stdio_on_terminal = false) {
    const Pty pty = open_pty();
    master_ = pty.master;
    slave_ = ::open(pty.slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    int err_pipe[2];
    if (slave_ < 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pty setup");
    {
      const InDirectory here(cwd);
      pid_ = spawn_on_terminal(pty.slave_name, argv, err_pipe[1], {}, stdio_on_terminal);
    }
    ::close(err_pipe[1]);
    err_ = err_pipe[0];
  }
  ~TerminalSession() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    ::close(master_);
    ::close(slave_);
    if (err_ >= 0) ::close(err_);
  }
  TerminalSession(const TerminalSession&) = delete;
  TerminalSession& operator=(const TerminalSession&) = delete;

  // Reads the terminal until `text` has appeared `count` times in all; false on timeout, or once
  // the child has ended without showing it.
  bool wait_for(std::string_view text, int count = 1) {
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (count_of(transcript(), text) < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (!pump(200) && err_ < 0) return false;
    }
    return true;
  }

  void type(const std::string& keys) const {
    ASSERT_EQ(::write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }

  // Reads until the child has ended (its stderr closed) and then what it left on the terminal,
  // and reaps it: its exit status, or -1 when it was killed (by a signal, or here when it
  // outlived kTimeout).
  int finish() {
    const auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (err_ >= 0 && std::chrono::steady_clock::now() < deadline)
      pump(200);
    while (pump(50)) {
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == 0) ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // What the terminal showed, typed echo included, with the tty's "\r\n" turned back into "\n".
  std::string transcript() const {
    std::string text = screen_;
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
  }
  const std::string& err() const { return err_text_; }

 private:
  // One poll of the terminal and stderr for up to `ms`; false when neither had anything.
  bool pump(int ms) {
    pollfd fds[2] = {{master_, POLLIN, 0}, {err_, POLLIN, 0}};
    if (::poll(fds, 2, ms) <= 0) return false;
    bool got = false;
    char buf[4096];
    if (fds[0].revents & POLLIN) {
      const ssize_t n = ::read(master_, buf, sizeof buf);
      if (n > 0) {
        screen_.append(buf, static_cast<std::size_t>(n));
        got = true;
      }
    }
    if (err_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      const ssize_t n = ::read(err_, buf, sizeof buf);
      if (n > 0) {
        err_text_.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(err_);
        err_ = -1;
      }
      got = true;
    }
    return got;
  }

  int master_ = -1;
  int slave_ = -1;
  int err_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string screen_;
  std::string err_text_;
};

// `dmp-sign pubkey --format hex`: the public key a key file records, without its passphrase.
std::string public_key_of(const SignWorkspace& ws, const fs::path& key) {
  auto r = ws.run({"pubkey", "--key", key, "--format", "hex"});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  if (r.out.empty() || r.out.back() != '\n') return r.out;
  return r.out.substr(0, r.out.size() - 1);
}

// The fingerprint in split's summary, "split key <fingerprint> (<hex>) into ...".
std::string fingerprint_in_split_summary(const std::string& out) {
  for (const auto& line : lines_of(out)) {
    const auto fields = split_fields(line);
    if (fields.size() > 3 && fields[0] == "split" && fields[1] == "key") return fields[2];
  }
  ADD_FAILURE() << "no split summary in:\n" << out;
  return {};
}

// A key split 2 of 3 into sheets on disk (share-1-1.txt ... share-1-3.txt), their words read back
// as a holder would.
class BackupTerminalTyped : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    ASSERT_EQ(pub_.size(), 64u);
    auto r =
        ws_.run({"backup", "split", "--key", ws_.key_file(), "--passphrase-file", ws_.pass_file(),
                 "--threshold", "2", "--shares", "3", "--no-png", "--out-dir", ws_.path("shares")});
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    fingerprint_ = fingerprint_in_split_summary(r.out);
    ASSERT_EQ(fingerprint_.rfind("dmp1:", 0), 0u) << r.out;
    for (int member = 1; member <= 3; ++member) {
      shares_.push_back(
          sheet_words(ws_.path("shares") / ("share-1-" + std::to_string(member) + ".txt")));
      ASSERT_EQ(shares_.back().size(), kShareWords);
    }
  }

  std::vector<std::string> restore_args(const fs::path& out,
                                        const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> argv = {DMP_SIGN_BIN,
                                     "backup",
                                     "restore",
                                     "--out",
                                     out.string(),
                                     "--kdf",
                                     "interactive",
                                     "--passphrase-file",
                                     ws_.pass_file().string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  // Types a whole share at the prompt for its first word, as pasted from a sheet.
  void paste_share(TerminalSession& t, int number, const std::vector<std::string>& words,
                   int prompt_count = 1) {
    ASSERT_TRUE(t.wait_for(word_prompt(number, 1), prompt_count)) << t.transcript();
    t.type(join_words(words) + "\n");
  }

  SignWorkspace ws_;
  std::string pub_;
  std::string fingerprint_;
  std::vector<std::vector<std::string>> shares_;  // members 1, 2, 3
};

// The first share typed as four-letter prefixes, one a line, with one line that starts with a
// non-word; the second pasted whole. The exact transcript of the first share pins each prompt,
// each completion echoed for a prefix, and the refusal that drops the rest of its line (the
// valid word after "xqzt" on it is not taken).
TEST_F(BackupTerminalTyped, RestoreTakesPrefixesRefusesANonWordAndTakesAPastedShare) {
  ASSERT_FALSE(slip39::autocomplete("xqzt")) << "the refused token must be no word's prefix";
  const fs::path out = ws_.path("restored.key");
  TerminalSession t(restore_args(out), ws_.root(), true);
  const std::string intro = "Type each share's words (the first 4 letters of a word are enough).\n";
  ASSERT_TRUE(t.wait_for(intro)) << t.transcript();

  const std::vector<std::string>& first = shares_[0];
  constexpr std::size_t kRefusedWord = 5;  // counted from 1, as the prompt counts
  std::string expected = intro;
  for (std::size_t i = 0; i < kShareWords; ++i) {
    const std::string prompt = word_prompt(1, i + 1);
    ASSERT_TRUE(t.wait_for(prompt)) << t.transcript();
    expected += prompt;
    if (i + 1 == kRefusedWord) {
      const std::string bad_line = "xqzt " + first[i];
      t.type(bad_line + "\n");
      // Refused at once: the same word is asked again before anything else is typed.
      ASSERT_TRUE(t.wait_for(prompt, 2)) << t.transcript();
      EXPECT_EQ(count_of(t.transcript(), word_prompt(1, i + 2)), 0) << t.transcript();
      expected += bad_line +
                  "\n  not a SLIP-39 word (type the word, or at least its first 4 letters); "
                  "word " +
                  std::to_string(kRefusedWord) + " again\n" + prompt;
    }
    const std::string prefix = first[i].substr(0, 4);
    t.type(prefix + "\n");
    expected += prefix + "\n";
    if (first[i].size() > prefix.size()) expected += "  " + first[i] + "\n";
  }
  // The child waits for the second share after this prompt, so the transcript is complete here.
  expected += "  checksum ok; group 1: 1 of 2 shares\n" + word_prompt(2, 1);
  ASSERT_TRUE(t.wait_for(word_prompt(2, 1))) << t.transcript();
  EXPECT_EQ(t.transcript(), expected);

  paste_share(t, 2, shares_[2]);
  ASSERT_EQ(t.finish(), kExitOk) << t.transcript() << t.err();
  const std::string screen = t.transcript();
  // One prompt for the whole pasted share, then the set is complete.
  EXPECT_NE(screen.find(word_prompt(2, 1) + join_words(shares_[2]) +
                        "\n  checksum ok; group 1: 2 of 2 shares\n"),
            std::string::npos)
      << screen;
  EXPECT_EQ(count_of(screen, "share 2, word 2 of 33"), 0) << screen;
  EXPECT_NE(screen.find("public key:  " + pub_ + "\nfingerprint: " + fingerprint_ + "\n"),
            std::string::npos)
      << screen;
  EXPECT_NE(t.err().find("warning: no --expect-public"), std::string::npos) << t.err();

  EXPECT_EQ(public_key_of(ws_, out), pub_);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// One valid word swapped for another valid word: every word passes on its own, and only the
// checksum of the whole share can tell. The share is asked again from its first word, and the
// correct one is then taken.
TEST_F(BackupTerminalTyped, MistypedShareIsRefusedByItsChecksumAndAskedAgain) {
  const std::vector<std::string>& right = shares_[1];
  std::vector<std::string> wrong = right;
  constexpr std::size_t kChanged = 19;  // word 20: inside the share value, not the header
  const auto index = slip39::word_index(wrong[kChanged]);
  ASSERT_TRUE(index);
  wrong[kChanged] =
      std::string(slip39::wordlist()[static_cast<std::size_t>(*index + 1) % slip39::kWordCount]);
  ASSERT_NE(wrong, right);

  const fs::path out = ws_.path("restored.key");
  TerminalSession t(restore_args(out, {"--expect-public", pub_}), ws_.root(), true);
  paste_share(t, 1, wrong);
  const std::string refused =
      "\n  share 1: checksum does not match: a word is wrong, missing, extra or out of place; a "
      "word is wrong or two are swapped: type this share again\n" +
      word_prompt(1, 1);
  ASSERT_TRUE(t.wait_for(refused)) << t.transcript();
  EXPECT_EQ(count_of(t.transcript(), "checksum ok"), 0) << t.transcript();
  // Exactly after the mistyped line: the refusal is the checksum's, not a word's.
  EXPECT_NE(t.transcript().find(join_words(wrong) + refused), std::string::npos) << t.transcript();

  paste_share(t, 1, right, 2);
  ASSERT_TRUE(t.wait_for("  checksum ok; group 1: 1 of 2 shares\n")) << t.transcript();
  paste_share(t, 2, shares_[0]);
  ASSERT_EQ(t.finish(), kExitOk) << t.transcript() << t.err();
  const std::string screen = t.transcript();
  EXPECT_EQ(count_of(screen, "checksum ok"), 2) << screen;
  EXPECT_EQ(count_of(screen, "type this share again"), 1) << screen;
  EXPECT_NE(screen.find("  checksum ok; group 1: 2 of 2 shares\n"), std::string::npos) << screen;
  EXPECT_EQ(t.err().find("warning: no --expect-public"), std::string::npos) << t.err();
  EXPECT_EQ(public_key_of(ws_, out), pub_);
}

// The drill with typed shares: a share typed twice is refused and another asked for, then the
// pinned key is confirmed, and no file appears.
TEST_F(BackupTerminalTyped, TypedCheckPassesForTheRightSharesAndRefusesADuplicate) {
  const auto before = tree_of(ws_.root());
  TerminalSession t({DMP_SIGN_BIN, "backup", "check", "--expect-public", pub_}, ws_.root(), true);
  paste_share(t, 1, shares_[2]);
  ASSERT_TRUE(t.wait_for("  checksum ok; group 1: 1 of 2 shares\n")) << t.transcript();
  paste_share(t, 2, shares_[2]);
  const std::string duplicate =
      "  typed share: duplicate share: group 1 member 3 was given already; type another share\n" +
      word_prompt(2, 1);
  ASSERT_TRUE(t.wait_for(duplicate)) << t.transcript();
  paste_share(t, 2, shares_[0], 2);
  ASSERT_EQ(t.finish(), kExitOk) << t.transcript() << t.err();
  const std::string screen = t.transcript();
  EXPECT_EQ(count_of(screen, "checksum ok"), 2) << screen;
  EXPECT_NE(screen.find("  checksum ok; group 1: 2 of 2 shares\nbackup check passed: the shares "
                        "restore the pinned key " +
                        fingerprint_ + " (" + pub_ + ")\n"),
            std::string::npos)
      << screen;
  EXPECT_EQ(tree_of(ws_.root()), before);
}

// The drill must be able to fail: the same typed shares against another pinned key.
TEST_F(BackupTerminalTyped, TypedCheckAgainstAnotherKeyFails) {
  const std::string other = ws_.keygen(ws_.path("other.key"));
  ASSERT_EQ(other.size(), 64u);
  ASSERT_NE(other, pub_);
  TerminalSession t({DMP_SIGN_BIN, "backup", "check", "--expect-public", other}, ws_.root(), true);
  paste_share(t, 1, shares_[0]);
  paste_share(t, 2, shares_[1]);
  ASSERT_EQ(t.finish(), kExitKeyFile) << t.transcript() << t.err();
  EXPECT_EQ(count_of(t.transcript(), "backup check passed"), 0) << t.transcript();
  EXPECT_NE(t.err().find("FAILED: the shares restore " + fingerprint_ + " (" + pub_ +
                         "), not the pinned key "),
            std::string::npos)
      << t.err();
  EXPECT_NE(t.err().find("[key_mismatch]\n"), std::string::npos) << t.err();
}

// A key and no sheets: --print is the way these shares leave the machine.
class BackupTerminalPrint : public ::testing::Test {
 protected:
  void SetUp() override {
    pub_ = ws_.keygen();
    ASSERT_EQ(pub_.size(), 64u);
  }

  std::vector<std::string> print_args() const {
    return {"backup",
            "split",
            "--key",
            ws_.key_file().string(),
            "--passphrase-file",
            ws_.pass_file().string(),
            "--threshold",
            "2",
            "--shares",
            "3",
            "--print"};
  }

  SignWorkspace ws_;
  std::string pub_;
};

// Each sheet alone on a cleared screen until Enter, the screen cleared after the last; the disk
// untouched; and what was shown restores the key.
TEST_F(BackupTerminalPrint, ShowsEachShareAloneAndWritesNothing) {
  const auto before = tree_of(ws_.root());
  std::vector<std::string> argv = print_args();
  argv.insert(argv.begin(), DMP_SIGN_BIN);
  TerminalSession t(argv, ws_.root(), true);
  const std::string enter = "Write it down, then press Enter for the ";
  for (int shown = 1; shown <= 3; ++shown) {
    ASSERT_TRUE(t.wait_for(enter, shown)) << t.transcript();
    // The next sheet waits for Enter.
    EXPECT_EQ(count_of(t.transcript(), "dmp-sign: share " + std::to_string(shown + 1) + " of 3"), 0)
        << t.transcript();
    t.type("\n");
  }
  ASSERT_EQ(t.finish(), kExitOk) << t.transcript() << t.err();
  EXPECT_EQ(tree_of(ws_.root()), before);

  const std::string screen = t.transcript();
  EXPECT_EQ(count_of(screen, kClearScreen), 4) << screen;
  std::vector<std::string> segments;  // the text between clears
  for (std::size_t from = 0;;) {
    const std::size_t at = screen.find(kClearScreen, from);
    segments.push_back(screen.substr(from, at == std::string::npos ? at : at - from));
    if (at == std::string::npos) break;
    from = at + kClearScreen.size();
  }
  ASSERT_EQ(segments.size(), 5u) << screen;
  EXPECT_EQ(segments[0], "") << "before the first sheet: " << segments[0];

  std::vector<std::vector<std::string>> shown;
  for (int s = 1; s <= 3; ++s) {
    const std::string& sheet = segments[static_cast<std::size_t>(s)];
    SCOPED_TRACE("sheet " + std::to_string(s) + ":\n" + sheet);
    const std::string title =
        "dmp-sign: share " + std::to_string(s) + " of 3 (share-1-" + std::to_string(s) + ")\n\n";
    EXPECT_EQ(sheet.rfind(title, 0), 0u);
    EXPECT_NE(sheet.find("# share:       group 1 of 1, member " + std::to_string(s) + "\n"),
              std::string::npos);
    EXPECT_NE(sheet.find("# restores:    public key " + pub_ + "\n"), std::string::npos);
    // Nothing on disk, so no QR code file for the sheet to name.
    EXPECT_EQ(sheet.find("# QR code:"), std::string::npos);
    const std::string ending = s < 3 ? "next share. \n" : "end. \n";
    ASSERT_GE(sheet.size(), ending.size());
    EXPECT_EQ(sheet.substr(sheet.size() - ending.size()), ending);
    const auto mnemonics = mnemonic_lines(sheet);
    ASSERT_EQ(mnemonics.size(), 1u);
    shown.push_back(mnemonics[0]);
  }
  EXPECT_NE(shown[0], shown[1]);
  EXPECT_NE(shown[1], shown[2]);
  EXPECT_NE(shown[0], shown[2]);
  // After the last clear: the summary only, no word of any share left on the screen.
  const std::string& last = segments[4];
  EXPECT_TRUE(mnemonic_lines(last).empty()) << last;
  for (const auto& words : shown)
    EXPECT_EQ(last.find(words[0] + " " + words[1] + " " + words[2]), std::string::npos) << last;
  EXPECT_EQ(last.rfind("split key ", 0), 0u) << last;
  EXPECT_NE(last.find(" (" + pub_ + ") into 3 SLIP-39 shares: 2 of 3 shares\n"), std::string::npos)
      << last;
  EXPECT_EQ(last.find(".txt"), std::string::npos) << "no sheet files to list: " << last;

  // The words shown are real shares of the key: any two restore it. Members 1 and 3 restore,
  // 2 and 3 pass the drill, so every share shown is used.
  std::vector<fs::path> files;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    files.push_back(ws_.path("copied-" + std::to_string(i + 1) + ".txt"));
    write_private_file(files.back(), join_words(shown[i]) + "\n");
  }
  const fs::path out = ws_.path("restored.key");
  auto r = ws_.run({"backup", "restore", "--out", out, "--kdf", "interactive", "--passphrase-file",
                    ws_.pass_file(), "--expect-public", pub_, "--share-file", files[0],
                    "--share-file", files[2]});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(public_key_of(ws_, out), pub_);
  r = ws_.run({"backup", "check", "--expect-public", pub_, "--share-file", files[1], "--share-file",
               files[2]});
  EXPECT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("backup check passed: the shares restore the pinned key ", 0), 0u) << r.out;
}

// Without a terminal the shares would go wherever stdin and stdout lead (a pipe, a log): refused
// as a usage error, before anything is shown or written.
TEST_F(BackupTerminalPrint, PrintWithoutATerminalIsRefused) {
  const auto before = tree_of(ws_.root());
  ProcessResult r;
  {
    const InDirectory here(ws_.root());
    r = ws_.run(print_args());
  }
  EXPECT_EQ(r.exit_code, kExitUsage) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "dmp-sign: --print: needs a terminal; use --out-dir to write sheets [usage]\n");
  EXPECT_EQ(tree_of(ws_.root()), before);
}

}  // namespace
}  // namespace dmp::test
