// The bad-input table: every directory under cases/<category>/ is one refusal
// of the real dmp-sign or dmp-verify, described by its `case` file (format in
// tests/bad_input/README.md). Each case becomes its own test: the case is
// copied to a fresh directory, its command line runs there, and the exit
// code, the one-line refusal naming field and rule, and "nothing written"
// are checked.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sign/sign_test_support.hpp"
#include "support/process.hpp"

namespace dmp::test {
namespace {

const fs::path kCasesDir = DMP_BAD_INPUT_CASES_DIR;
const fs::path kTestSeed = DMP_BAD_INPUT_TEST_SEED;
// The public key of kTestSeed: the committed wires, ledgers and key files
// were made with it, so a different seed would make every case meaningless.
const std::string kTestPublicKey =
    "4aeb5c7e69906b65540b857152ac3ab7d7375fa087045a68531e787ebc0e6e08";

struct Case {
  std::string id;  // "<category>/<name>"
  fs::path dir;
  std::vector<std::string> run;  // program name, then arguments (placeholders unexpanded)
  std::string stdin_file;
  int exit_code = -1;
  std::string reason;  // empty: dmp-verify usage error, which has no reason code
  bool review = false;
  std::vector<std::string> stderr_has, stdout_has, absent;
  std::vector<std::pair<std::string, mode_t>> chmods;
  bool uses_shared_key = false;       // {key} or {passfile} appear in run:
  bool needs_pkcs11_helper = false;   // `needs: pkcs11-helper`: the refusal comes from it
  std::vector<std::string> problems;  // format errors in the case file itself
};

// Splits a `run:` line on blanks; "double quotes" group (an empty "" is an
// empty argument). No escapes: cases needing odd bytes put them in files.
std::vector<std::string> split_command(const std::string& line,
                                       std::vector<std::string>& problems) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if ((c == ' ' || c == '\t') && !quoted) {
      if (in_word) out.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) problems.push_back("unbalanced quote in run:");
  if (in_word) out.push_back(word);
  return out;
}

Case load_case(const fs::path& dir) {
  Case c;
  c.dir = dir;
  c.id = dir.parent_path().filename().string() + "/" + dir.filename().string();
  std::ifstream in(dir / "case");
  if (!in) c.problems.push_back("no `case` file");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos) {
      c.problems.push_back("not 'key: value': " + line);
      continue;
    }
    const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
    if (key == "run") {
      c.run = split_command(value, c.problems);
    } else if (key == "stdin") {
      c.stdin_file = value;
    } else if (key == "exit") {
      c.exit_code = std::atoi(value.c_str());
    } else if (key == "reason") {
      c.reason = value;
    } else if (key == "review") {
      c.review = value == "yes";
    } else if (key == "stderr") {
      c.stderr_has.push_back(value);
    } else if (key == "stdout") {
      c.stdout_has.push_back(value);
    } else if (key == "absent") {
      c.absent.push_back(value);
    } else if (key == "chmod") {
      const auto space = value.find(' ');
      c.chmods.emplace_back(value.substr(0, space), static_cast<mode_t>(std::strtoul(
                                                        value.c_str() + space + 1, nullptr, 8)));
    } else if (key == "needs") {
      if (value == "pkcs11-helper") {
        c.needs_pkcs11_helper = true;
      } else {
        c.problems.push_back("needs: unknown prerequisite '" + value + "'");
      }
    } else if (key != "about") {
      c.problems.push_back("unknown key '" + key + "'");
    }
  }
  for (const auto& arg : c.run) {
    c.uses_shared_key = c.uses_shared_key || arg.find("{key}") != std::string::npos ||
                        arg.find("{passfile}") != std::string::npos;
  }
  if (c.run.empty() || (c.run[0] != "dmp-sign" && c.run[0] != "dmp-verify")) {
    c.problems.push_back("run: must start with dmp-sign or dmp-verify");
  }
  if (c.exit_code <= 0) c.problems.push_back("exit: must be a refusal (> 0)");
  if (c.run.size() > 0 && c.run[0] == "dmp-sign" && c.reason.empty()) {
    c.problems.push_back("reason: is required for dmp-sign");
  }
  return c;
}

// gtest prints parameters in test names and failures: the id says it all.
void PrintTo(const Case& c, std::ostream* out) {
  *out << c.id;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  std::error_code ec;
  for (const auto& category : fs::directory_iterator(kCasesDir, ec)) {
    if (!category.is_directory()) continue;
    for (const auto& dir : fs::directory_iterator(category.path())) {
      if (dir.is_directory()) cases.push_back(load_case(dir.path()));
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return cases;
}

// Copies the case; git keeps no modes, so every file becomes 0600 and every
// directory 0700 (what key, passphrase and seed files and state directories
// must have); `chmod:` lines then loosen what a case needs loose.
void copy_case(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  ::chmod(to.c_str(), 0700);
  for (const auto& e : fs::directory_iterator(from)) {
    const fs::path target = to / e.path().filename();
    if (e.is_directory()) {
      copy_case(e.path(), target);
    } else if (e.path().filename() != "case") {
      fs::copy_file(e.path(), target);
      ::chmod(target.c_str(), 0600);
    }
  }
}

// Every path under `root` (relative), with the content of regular files.
std::map<std::string, std::string> tree_of(const fs::path& root) {
  std::map<std::string, std::string> tree;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    tree[fs::relative(e.path(), root).string()] = e.is_regular_file() ? read_file(e.path()) : "";
  }
  return tree;
}

std::string expand(std::string arg, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    for (auto pos = arg.find(name); pos != std::string::npos; pos = arg.find(name, pos)) {
      arg.replace(pos, name.size(), value);
      pos += value.size();
    }
  }
  return arg;
}

// The key behind {key}: the committed test-only seed, imported with the
// cheap KDF, so its public key is the same on every run. Made once per
// process (ctest runs each case in its own), and only for cases that use it.
class SharedKey {
 public:
  static const SharedKey& get() {
    static const SharedKey key;
    return key;
  }
  fs::path key() const { return dir_.path() / "test.key"; }
  fs::path passfile() const { return dir_.path() / "pass"; }

 private:
  SharedKey() {
    write_private_file(passfile(), kPassphrase + "\n");
    write_private_file(dir_.path() / "seed.hex", read_file(kTestSeed));
    const auto r = run_process({DMP_SIGN_BIN, "import", "--kdf", "interactive", "--passphrase-file",
                                passfile(), "--ed25519-seed-hex-file", dir_.path() / "seed.hex",
                                "--out", key()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SignWorkspace::public_key_in_summary(r.out), kTestPublicKey);
  }
  TempDir dir_;
};

class BadInput : public ::testing::TestWithParam<Case> {};

// dmp-verify reports a refused file on stdout: "<file>: invalid <reason>: ..."
// or, with --json, {"verdict":"invalid"|"error","reason":...}.
::testing::AssertionResult verify_reason(const ProcessResult& r, const std::string& reason) {
  const auto lines = lines_of(r.out);
  if (lines.size() != 1) {
    return ::testing::AssertionFailure() << "expected one stdout line, got:\n" << r.out;
  }
  if (!lines[0].empty() && lines[0][0] == '{') {
    const auto object = nlohmann::json::parse(lines[0], nullptr, false);
    if (object.is_object() && object["verdict"] != "valid" && object["reason"] == reason) {
      return ::testing::AssertionSuccess();
    }
  } else if (lines[0].find(": invalid " + reason + ": ") != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "no refusal with reason " << reason << " in: " << r.out;
}

TEST_P(BadInput, IsRefused) {
  const Case& c = GetParam();
  for (const auto& problem : c.problems)
    ADD_FAILURE() << c.dir << "/case: " << problem;
  if (!c.problems.empty()) return;
  // A build without the PKCS#11 helper (DMP_PKCS11_HELPER=OFF) refuses these
  // earlier and differently; CI always builds it, so there this never skips.
  if (c.needs_pkcs11_helper && !DMP_HAVE_PKCS11_HELPER) {
    GTEST_SKIP() << "built without the PKCS#11 helper (DMP_PKCS11_HELPER=OFF)";
  }

  TempDir scratch;
  const fs::path work = scratch.path() / "work";
  copy_case(c.dir, work);
  for (const auto& [file, mode] : c.chmods)
    ASSERT_EQ(::chmod((work / file).c_str(), mode), 0) << file;
  std::map<std::string, std::string> values{{"{work}", work.string()},
                                            {"{state}", (work / "state").string()},
                                            {"{pubkey}", kTestPublicKey}};
  if (c.uses_shared_key) {
    values["{key}"] = SharedKey::get().key().string();
    values["{passfile}"] = SharedKey::get().passfile().string();
  }
  std::vector<std::string> argv{c.run[0] == "dmp-sign" ? DMP_SIGN_BIN : DMP_VERIFY_BIN};
  for (std::size_t i = 1; i < c.run.size(); ++i)
    argv.push_back(expand(c.run[i], values));
  const std::string input = c.stdin_file.empty() ? "" : read_file(c.dir / c.stdin_file);
  const auto before = tree_of(work);

  // Relative paths in `run:` are relative to the case's copy.
  const fs::path cwd = fs::current_path();
  fs::current_path(work);
  const ProcessResult r = run_process(argv, input);
  fs::current_path(cwd);
  if (std::getenv("DMP_BAD_INPUT_VERBOSE") != nullptr) {
    std::cout << c.id << ": exit " << r.exit_code << "\n--- stdout\n"
              << r.out << "--- stderr\n"
              << r.err << "---\n";
  }

  EXPECT_EQ(r.exit_code, c.exit_code) << "stdout:\n" << r.out << "stderr:\n" << r.err;
  std::string message = r.err;  // dmp-sign: the refusal line, naming field and rule
  if (c.run[0] == "dmp-sign") {
    if (c.review) {
      // A refusal after the review: the review, then the one refusal line.
      EXPECT_EQ(r.err.rfind("dmp-sign: review\n", 0), 0u) << r.err;
      EXPECT_TRUE(ends_with_reason(r, c.reason));
      message = lines_of(r.err).empty() ? "" : lines_of(r.err).back();
    } else {
      EXPECT_TRUE(one_line_refusal(r, c.reason));
    }
    EXPECT_EQ(message.rfind("dmp-sign: ", 0), 0u) << message;
  } else if (!c.reason.empty()) {
    EXPECT_TRUE(verify_reason(r, c.reason));
  } else {
    // A usage error: one line on stderr, nothing on stdout.
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("dmp-verify: ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
  for (const auto& text : c.stderr_has) {
    // dmp-sign: in the refusal line itself, not somewhere in the review.
    EXPECT_TRUE(message.find(text) != std::string::npos) << "stderr lacks '" << text << "':\n"
                                                         << r.err;
  }
  for (const auto& text : c.stdout_has) {
    EXPECT_TRUE(r.out.find(text) != std::string::npos) << "stdout lacks '" << text << "':\n"
                                                       << r.out;
  }

  // Nothing written: the named files are absent, no file appeared outside
  // the state directory (whose lock file a refusal may create), the case's
  // own files (key files, ledgers...) are unchanged, and no temporary file
  // was left anywhere.
  for (const auto& file : c.absent)
    EXPECT_FALSE(fs::exists(work / file)) << file << " was written";
  const auto after = tree_of(work);
  for (const auto& [path, content] : after) {
    const auto was = before.find(path);
    if (was == before.end() && path != "state" && path.rfind("state/", 0) != 0) {
      ADD_FAILURE() << "new file " << path;
    }
    if (was != before.end() && was->second != content) ADD_FAILURE() << "changed: " << path;
    if (path.find(".tmp") != std::string::npos) ADD_FAILURE() << "temporary file " << path;
  }
  for (const auto& [path, content] : before) {
    if (!after.contains(path)) ADD_FAILURE() << "removed: " << path;
  }
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.id;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(bad_input, BadInput, ::testing::ValuesIn(all_cases()), case_name);

// The table is the point of this test: it must not quietly shrink.
TEST(bad_input_table, HasAtLeast150Cases) {
  EXPECT_GE(all_cases().size(), 150u) << "cases under " << kCasesDir;
}

}  // namespace
}  // namespace dmp::test
