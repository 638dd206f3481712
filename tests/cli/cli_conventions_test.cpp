// The command-line conventions of both tools: unknown subcommands and
// options are named with a suggestion (unit: the distance and the match;
// end to end: the real binaries), enum options list names, usage lines name
// the program.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_test_support.hpp"
#include "common/cli_conventions.hpp"

namespace dmp::test {
namespace {

using cli::closest_match;
using cli::edit_distance;

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("sign", "sign"), 0u);
  EXPECT_EQ(edit_distance("sing", "sign"), 1u);  // a swap of neighbours is one edit
  EXPECT_EQ(edit_distance("shwo", "show"), 1u);
  EXPECT_EQ(edit_distance("--ky", "--key"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);  // optimal string alignment, not full Damerau
}

TEST(ClosestMatch, SuggestsOnlyWhatIsClose) {
  const std::vector<std::string> commands{"keygen", "sign", "renew", "inspect", "ledger", "draft"};
  EXPECT_EQ(closest_match("sing", commands), "sign");
  EXPECT_EQ(closest_match("keygn", commands), "keygen");
  EXPECT_EQ(closest_match("ledgre", commands), "ledger");
  EXPECT_EQ(closest_match("verify", commands), std::nullopt);
  EXPECT_EQ(closest_match("x", commands), std::nullopt);
  EXPECT_EQ(closest_match("zzzzzz", commands), std::nullopt);
  const std::vector<std::string> options{"--key", "--out", "--out-dir", "--format", "--yes"};
  EXPECT_EQ(closest_match("--ky", options), "--key");
  EXPECT_EQ(closest_match("--outdir", options), "--out-dir");
  EXPECT_EQ(closest_match("--a", options), std::nullopt);  // the dashes are not letters
}

struct Case {
  std::vector<std::string> args;
  std::string expected;  // the whole first stderr line
};

TEST(UnknownWords, DmpSignNamesTheWordAndSuggests) {
  const std::vector<Case> cases{
      {{"sing"},
       "dmp-sign: unknown command 'sing' (did you mean 'sign'?) (see dmp-sign --help) "
       "[usage]"},
      {{"ledger", "shwo"},
       "dmp-sign: ledger: unknown command 'shwo' (did you mean 'show'?) "
       "(see dmp-sign --help) [usage]"},
      {{"verify", "x.wire"},
       "dmp-sign: unknown command 'verify'; wires are checked by dmp-verify --pubkey HEX FILE "
       "(see dmp-sign --help) [usage]"},
      {{"sign", "--ky", "k", "in.json"},
       "dmp-sign: sign: unknown option '--ky' (did you mean '--key'?) (see dmp-sign --help) "
       "[usage]"},
      {{"sign", "--key=k", "--frobnicate", "in.json"},
       "dmp-sign: sign: unknown option '--frobnicate' (see dmp-sign --help) [usage]"},
      {{"qr", "shwo", "x"},
       "dmp-sign: qr: unknown command 'shwo' (did you mean 'show'?) "
       "(see dmp-sign --help) [usage]"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv{DMP_SIGN_BIN};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const auto result = run_process(argv);
    EXPECT_EQ(result.exit_code, 2) << c.expected;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, c.expected + "\n");
  }
}

TEST(UnknownWords, ValuesThatLookLikeWordsAreNotJudged) {
  // "--comment sign" and "--out ledger" carry values that are also command
  // names; the options' values are skipped, so CLI11 judges them (here: a
  // missing file or required option, not an unknown word).
  TempDir dir;
  const auto result = run_process({DMP_SIGN_BIN, "pubkey", "--key", "sign"});
  EXPECT_NE(result.err.find("sign"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("unknown"), std::string::npos) << result.err;
  const auto verify = run_verify({"--pubkey", "--strict", "x"});
  EXPECT_EQ(verify.exit_code, 2);
  EXPECT_EQ(verify.err.find("unknown option"), std::string::npos) << verify.err;
}

TEST(UnknownWords, DmpVerifyNamesTheOptionAndTagsUsage) {
  const auto result = run_verify({"--pubky", std::string(64, 'a'), "x.wire"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err,
            "dmp-verify: unknown option '--pubky' (did you mean '--pubkey'?) (see dmp-verify "
            "--help) [usage]\n");
  const auto missing = run_verify({"x.wire"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err,
            "dmp-verify: a pinned key is required: give --pubkey, --pubkey-file or "
            "--trust [usage]\n");
}

TEST(Help, EnumsAreListedByNameAndUsageNamesTheProgram) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sign", "--help"}, {"keygen", "--help"}, {"renew", "--help"}}) {
    std::vector<std::string> argv{DMP_SIGN_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto help = run_process(argv);
    EXPECT_EQ(help.exit_code, 0) << help.err;
    EXPECT_EQ(help.out.find("->"), std::string::npos) << help.out;  // no {json->3,...}
    EXPECT_EQ(help.out.find(DMP_SIGN_BIN), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("Usage: dmp-sign " + args[0]), std::string::npos) << help.out;
  }
  const auto sign_help = run_process({DMP_SIGN_BIN, "sign", "--help"});
  EXPECT_NE(sign_help.out.find("{json,nsupdate,wire,zone}"), std::string::npos) << sign_help.out;
  const auto kdf_help = run_process({DMP_SIGN_BIN, "keygen", "--help"});
  EXPECT_NE(kdf_help.out.find("{interactive,moderate,sensitive}"), std::string::npos)
      << kdf_help.out;
  // A value that is not one of them is named, and the names listed.
  const auto bad =
      run_process({DMP_SIGN_BIN, "keygen", "--out", "/nonexistent/k", "--kdf", "fast"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("'fast' is not one of interactive,moderate,sensitive"), std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.err.find("->"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace dmp::test
