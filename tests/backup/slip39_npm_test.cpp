// SLIP-39 across implementations: the shares signer/backup/slip39.hpp makes are combined by the npm
// package slip39 (github.com/ilap/slip39-js, written apart from ours and from the reference; the
// version tests/backup/npm/package-lock.json pins), and the package's shares are combined by ours,
// through its command line tests/backup/npm/slip39_tool.js. Each side passing the published
// vectors does not show that the two agree on shares neither was given: new identifiers, both
// extendable flags (and the salt each implies), other iteration exponents, two-level groups,
// passphrases. One word changed in a share must be refused by both.
//
// ctest installs the package first (backup.slip39_npm_install in tests/backup/npm.cmake); without
// node or the package these tests skip, and fail under CI.
#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backup/slip39.hpp"
#include "backup/slip39_npm_support.hpp"
#include "dmp/encoding.hpp"
#include "support/prerequisite.hpp"
#include "support/process.hpp"
#include "support/vectors.hpp"

// A directory holding node_modules/slip39 and slip39_tool.js: tests/backup/npm.cmake names the copy
// that backup.slip39_npm_install installs.

namespace dmp::backup::slip39 {
namespace {

// The version package.json and its lock pin: what these tests rely on the package to do (read and
// write extendable shares, any iteration exponent, two levels of groups) is what this version does.
constexpr std::string_view kPinnedVersion = "0.1.9";
constexpr std::string_view kVectorPassphrase = "TREZOR";
// Member choices tried for each choice of groups: every node run costs a process start, and a few
// choices spread over all of them find what trying each would.
constexpr std::size_t kMemberChoicesPerGroupPick = 4;

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string_view text_of(const hsm::SecretBuffer& buffer) {
  return {reinterpret_cast<const char*>(buffer.data()), buffer.size()};
}

std::string hex_of(const hsm::SecretBuffer& buffer) {
  return encoding::hex_encode(buffer.span());
}

// A reproducible random source: block i is randombytes_buf_deterministic seeded with
// SHA-256(label || i), so a failing case makes the same secret and shares when run again.
RandomSource seeded_random(std::string label) {
  auto calls = std::make_shared<std::uint64_t>(0);
  return [label = std::move(label), calls](std::span<std::uint8_t> out) {
    const std::string input = label + "/" + std::to_string((*calls)++);
    std::array<std::uint8_t, randombytes_SEEDBYTES> seed{};
    crypto_hash_sha256(seed.data(), bytes_of(input).data(), input.size());
    randombytes_buf_deterministic(out.data(), out.size(), seed.data());
  };
}

hsm::SecretBuffer random_secret(std::size_t length, const RandomSource& random = {}) {
  hsm::SecretBuffer secret(length);
  if (random) {
    random(secret.span());
  } else {
    randombytes_buf(secret.data(), secret.size());
  }
  return secret;
}

std::vector<std::string> words_of(std::string_view mnemonic) {
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos <= mnemonic.size()) {
    const std::size_t end = std::min(mnemonic.find(' ', pos), mnemonic.size());
    words.emplace_back(mnemonic.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string text;
  for (const auto& part : parts)
    text += (text.empty() ? "" : std::string(separator)) + part;
  return text;
}

Result<hsm::SecretBuffer> combine_texts(const std::vector<std::string>& mnemonics,
                                        std::string_view passphrase) {
  const std::vector<std::string_view> views(mnemonics.begin(), mnemonics.end());
  return combine_mnemonics(views, bytes_of(passphrase));
}

// ---- which shares to combine --------------------------------------------------------------------

struct Case {
  const char* name;
  std::size_t secret_len;
  int group_threshold;
  std::vector<GroupSpec> groups;
  std::string_view passphrase;
  bool extendable;
  int iteration_exponent;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

// Every k-element subset of {0, ..., n − 1}, in lexicographic order.
std::vector<std::vector<std::size_t>> subsets(std::size_t n, std::size_t k) {
  std::vector<std::vector<std::size_t>> out;
  std::vector<bool> chosen(n, false);
  std::fill(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(k), true);
  do {
    std::vector<std::size_t> subset;
    for (std::size_t i = 0; i < n; ++i) {
      if (chosen[i]) subset.push_back(i);
    }
    out.push_back(std::move(subset));
  } while (std::prev_permutation(chosen.begin(), chosen.end()));
  return out;
}

struct Member {
  std::size_t group;
  std::size_t member;
};

// Sets of exactly the threshold, as the spec requires: every choice of groups and, for each, up to
// kMemberChoicesPerGroupPick choices of members in every picked group, spread from the first to the
// last (the first few in order all hold member 1). Every other set lists its shares backwards:
// the order of the shares must not matter to either side.
std::vector<std::vector<Member>> threshold_sets(const Case& c) {
  std::vector<std::vector<Member>> sets;
  for (const auto& group_pick :
       subsets(c.groups.size(), static_cast<std::size_t>(c.group_threshold))) {
    std::vector<std::vector<std::vector<std::size_t>>> choices;
    std::size_t rounds = 1;
    for (std::size_t g : group_pick) {
      const GroupSpec& spec = c.groups[g];
      choices.push_back(subsets(static_cast<std::size_t>(spec.member_count),
                                static_cast<std::size_t>(spec.member_threshold)));
      rounds = std::max(rounds, std::min(choices.back().size(), kMemberChoicesPerGroupPick));
    }
    for (std::size_t round = 0; round < rounds; ++round) {
      auto& set = sets.emplace_back();
      for (std::size_t i = 0; i < group_pick.size(); ++i) {
        const std::size_t last = choices[i].size() - 1;
        const std::size_t choice = rounds == 1 ? 0 : round * last / (rounds - 1);
        for (std::size_t m : choices[i][choice])
          set.push_back({group_pick[i], m});
      }
      if (sets.size() % 2 == 0) std::reverse(set.begin(), set.end());
    }
  }
  return sets;
}

std::vector<std::string> pick(const std::vector<std::vector<std::string>>& mnemonics,
                              const std::vector<Member>& set) {
  std::vector<std::string> picked;
  for (const Member& m : set)
    picked.push_back(mnemonics.at(m.group).at(m.member));
  return picked;
}

// "group 1 member 2, group 1 member 3": numbered from 1, as the shares' holders count.
std::string describe(const std::vector<Member>& set) {
  std::vector<std::string> parts;
  for (const Member& m : set)
    parts.push_back("group " + std::to_string(m.group + 1) + " member " +
                    std::to_string(m.member + 1));
  return join(parts, ", ");
}

// ---- the package, through slip39_tool.js --------------------------------------------------------

void expect_npm_secret(const test::ProcessResult& result, const std::string& secret_hex) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, secret_hex + "\n");
}

// Status 1 is the package's own refusal (2 would be the tool's usage error).
void expect_npm_refusal(const test::ProcessResult& result, std::string_view message) {
  EXPECT_EQ(result.exit_code, 1) << "printed " << result.out;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
}

// Node and the installed package, looked for before each test: the test skips without them
// (fails under CI).
template <typename Base>
class WithNpm : public Base {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    node_ = ::dmp::test::npm::find_node();
    DMP_REQUIRE_PREREQUISITE(!node_.empty(), "node (Debian's nodejs) on PATH or in /usr/bin");
    DMP_REQUIRE_PREREQUISITE(::dmp::test::npm::package_installed(),
                             "the npm package slip39 and slip39_tool.js in " DMP_SLIP39_NPM_DIR
                             " (ctest's backup.slip39_npm_install runs npm ci there)");
  }

  test::ProcessResult run_tool(const std::vector<std::string>& args,
                               const std::string& input = "") const {
    std::vector<std::string> argv = {node_,
                                     (::dmp::test::npm::tool_dir() / "slip39_tool.js").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv, input);
  }

  test::ProcessResult npm_combine(const std::vector<std::string>& mnemonics,
                                  std::string_view passphrase) const {
    return run_tool({"combine", "--passphrase", std::string(passphrase)},
                    mnemonics.empty() ? "" : join(mnemonics, "\n") + "\n");
  }

  // The package's shares of `secret_hex` for the case, group by group; empty after a failure.
  std::vector<std::vector<std::string>> npm_split(const std::string& secret_hex,
                                                  const Case& c) const {
    std::vector<std::string> args = {"split", "--secret", secret_hex, "--group-threshold",
                                     std::to_string(c.group_threshold)};
    for (const GroupSpec& spec : c.groups) {
      args.insert(args.end(), {"--group", std::to_string(spec.member_threshold) + "/" +
                                              std::to_string(spec.member_count)});
    }
    args.insert(args.end(),
                {"--passphrase", std::string(c.passphrase), "--iteration-exponent",
                 std::to_string(c.iteration_exponent), "--extendable", c.extendable ? "1" : "0"});
    const auto result = run_tool(args);
    if (result.exit_code != 0) {
      ADD_FAILURE() << "slip39_tool.js split: " << result.err;
      return {};
    }
    std::vector<std::string> lines;
    for (std::string_view rest = result.out; !rest.empty();) {
      const std::size_t end = std::min(rest.find('\n'), rest.size());
      lines.emplace_back(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    std::size_t count = 0;
    for (const GroupSpec& spec : c.groups)
      count += static_cast<std::size_t>(spec.member_count);
    if (lines.size() != count) {
      ADD_FAILURE() << "slip39_tool.js split printed " << lines.size() << " lines, not " << count
                    << ":\n"
                    << result.out;
      return {};
    }
    std::vector<std::vector<std::string>> groups;
    auto next = lines.begin();
    for (const GroupSpec& spec : c.groups) {
      groups.emplace_back(next, next + spec.member_count);
      next += spec.member_count;
    }
    return groups;
  }

  // Both combine `share` and `other` (two shares of a 2-of-3 split with kVectorPassphrase) to
  // `secret`, and both refuse the pair, for its checksum, with any one word of `share` replaced by
  // the next word of the list.
  void expect_every_word_change_refused(const std::string& share, const std::string& other,
                                        const hsm::SecretBuffer& secret) const {
    // Unchanged, both take the pair: the refusals below are the changed word's.
    auto ours = combine_texts({share, other}, kVectorPassphrase);
    ASSERT_TRUE(ours) << ours.error().message();
    ASSERT_TRUE(ours->equals(secret));
    expect_npm_secret(npm_combine({share, other}, kVectorPassphrase), hex_of(secret));

    const auto words = words_of(share);
    ASSERT_EQ(words.size(), kMinMnemonicWords);
    for (std::size_t i = 0; i < words.size(); ++i) {
      SCOPED_TRACE("word " + std::to_string(i + 1));
      auto changed = words;
      const auto index = word_index(words[i]);
      ASSERT_TRUE(index);
      changed[i] = wordlist()[static_cast<std::size_t>(*index + 1) % kWordCount];
      const std::vector<std::string> pair = {join(changed, " "), other};
      auto refused = combine_texts(pair, kVectorPassphrase);
      ASSERT_FALSE(refused) << "we combined it to " << hex_of(*refused);
      EXPECT_EQ(refused.error().reason, Reason::key_format);
      EXPECT_EQ(refused.error().message().rfind("share 1: checksum does not match", 0), 0u)
          << refused.error().message();
      expect_npm_refusal(npm_combine(pair, kVectorPassphrase), "Invalid mnemonic checksum");
    }
  }

 private:
  std::string node_;
};

using Slip39Npm = WithNpm<::testing::Test>;

// ---- the package itself -------------------------------------------------------------------------

TEST_F(Slip39Npm, ToolRunsThePinnedVersion) {
  const auto result = run_tool({"version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, std::string(kPinnedVersion) + "\n");
}

// The package is worth comparing with: it gets the reference's secret from every valid vector
// (extendable ones included) and refuses every invalid one.
TEST_F(Slip39Npm, PackageAgreesWithTheReferenceVectors) {
  DMP_LOAD_VECTORS_OR_SKIP(vectors, "slip39_vectors.json");
  ASSERT_EQ(vectors.size(), 45u);
  std::size_t valid = 0;
  for (const auto& vector : vectors) {
    SCOPED_TRACE(vector.at(0).get<std::string>());
    const auto result =
        npm_combine(vector.at(1).get<std::vector<std::string>>(), kVectorPassphrase);
    const std::string expected = vector.at(2).get<std::string>();
    if (expected.empty()) {
      EXPECT_EQ(result.exit_code, 1) << "printed " << result.out << result.err;
    } else {
      ++valid;
      expect_npm_secret(result, expected);
    }
  }
  EXPECT_EQ(valid, 15u);
}

// ---- our shares, their combine; their shares, our combine ---------------------------------------

const std::vector<Case> kCases = {
    {"OneOfOne128", 16, 1, {{1, 1}}, "", true, 1},
    {"OneOfOne256Passphrase", 32, 1, {{1, 1}}, "TREZOR", true, 1},
    {"TwoOfThree128Passphrase", 16, 1, {{2, 3}}, "TREZOR", true, 1},
    {"TwoOfThree256", 32, 1, {{2, 3}}, "", true, 1},
    {"ThreeOfFive128", 16, 1, {{3, 5}}, "", true, 1},
    {"ThreeOfFive256Passphrase", 32, 1, {{3, 5}}, "correct horse battery staple", true, 1},
    {"TwoOfThreeGroups128Passphrase", 16, 2, {{2, 3}, {1, 1}, {3, 5}}, "TREZOR", true, 1},
    {"TwoOfThreeGroups256", 32, 2, {{2, 3}, {1, 1}, {3, 5}}, "", true, 1},
    // Not extendable: the identifier is part of the cipher's salt, so both must put it there.
    {"TwoOfThree128NotExtendable", 16, 1, {{2, 3}}, "TREZOR", false, 1},
    {"TwoOfThreeGroups256NotExtendable", 32, 2, {{2, 3}, {1, 1}, {3, 5}}, "TREZOR", false, 1},
    // Other exponents than our default: (10000 << e) / 4 PBKDF2 iterations a round on both sides.
    {"TwoOfThree128Exponent0", 16, 1, {{2, 3}}, "TREZOR", true, 0},
    {"OneOfOne256Exponent3NotExtendable", 32, 1, {{1, 1}}, "TREZOR", false, 3},
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

class Slip39NpmOurShares : public WithNpm<::testing::TestWithParam<Case>> {};
class Slip39NpmTheirShares : public WithNpm<::testing::TestWithParam<Case>> {};

TEST_P(Slip39NpmOurShares, PackageCombinesThresholdSetsToOurSecret) {
  const Case& c = GetParam();
  const RandomSource random = seeded_random(c.name);
  const auto secret = random_secret(c.secret_len, random);
  const std::string secret_hex = hex_of(secret);
  auto shares = split(
      secret.span(), bytes_of(c.passphrase), c.group_threshold, c.groups,
      {.extendable = c.extendable, .iteration_exponent = c.iteration_exponent, .random = random});
  ASSERT_TRUE(shares) << shares.error().message();
  std::vector<std::vector<std::string>> mnemonics;
  for (const auto& group : *shares) {
    auto& texts = mnemonics.emplace_back();
    for (const Share& share : group) {
      auto text = encode_mnemonic(share);
      ASSERT_TRUE(text) << text.error().message();
      texts.emplace_back(text_of(*text));
    }
  }

  const auto sets = threshold_sets(c);
  for (const auto& set : sets) {
    SCOPED_TRACE(describe(set));
    expect_npm_secret(npm_combine(pick(mnemonics, set), c.passphrase), secret_hex);
  }
  // One share fewer is refused: the package counts shares as the spec does, and a secret it
  // printed above came from the threshold, not from fewer.
  const auto first = pick(mnemonics, sets.at(0));
  if (first.size() > 1) {
    expect_npm_refusal(npm_combine({first.begin() + 1, first.end()}, c.passphrase),
                       "Wrong number of mnemonics");
  }
  // The passphrase reaches its cipher: without it, another secret of the same length.
  if (!c.passphrase.empty()) {
    const auto other = npm_combine(first, "");
    EXPECT_EQ(other.exit_code, 0) << other.err;
    EXPECT_EQ(other.out.size(), secret_hex.size() + 1);
    EXPECT_NE(other.out, secret_hex + "\n");
  }
}

TEST_P(Slip39NpmTheirShares, WeCombineThresholdSetsToTheirSecret) {
  const Case& c = GetParam();
  const auto secret = random_secret(c.secret_len);
  const std::string secret_hex = hex_of(secret);
  SCOPED_TRACE("secret " + secret_hex);  // test data, to repeat a failure
  const auto mnemonics = npm_split(secret_hex, c);
  ASSERT_EQ(mnemonics.size(), c.groups.size());

  // Each share reads as the tool was asked to make it, and our encoding of it is their text.
  std::optional<std::uint16_t> identifier;
  for (std::size_t g = 0; g < mnemonics.size(); ++g) {
    for (std::size_t m = 0; m < mnemonics[g].size(); ++m) {
      SCOPED_TRACE("group " + std::to_string(g + 1) + " member " + std::to_string(m + 1));
      auto share = decode_mnemonic(mnemonics[g][m]);
      ASSERT_TRUE(share) << share.error().message();
      if (!identifier) identifier = share->identifier;
      EXPECT_EQ(share->identifier, *identifier);
      EXPECT_EQ(share->extendable, c.extendable);
      EXPECT_EQ(share->iteration_exponent, c.iteration_exponent);
      EXPECT_EQ(share->group_index, static_cast<int>(g));
      EXPECT_EQ(share->group_threshold, c.group_threshold);
      EXPECT_EQ(share->group_count, static_cast<int>(c.groups.size()));
      EXPECT_EQ(share->member_index, static_cast<int>(m));
      EXPECT_EQ(share->member_threshold, c.groups[g].member_threshold);
      EXPECT_EQ(share->value.size(), c.secret_len);
      auto again = encode_mnemonic(*share);
      ASSERT_TRUE(again) << again.error().message();
      EXPECT_EQ(text_of(*again), mnemonics[g][m]);
    }
  }

  const auto sets = threshold_sets(c);
  for (const auto& set : sets) {
    SCOPED_TRACE(describe(set));
    auto recovered = combine_texts(pick(mnemonics, set), c.passphrase);
    ASSERT_TRUE(recovered) << recovered.error().message();
    EXPECT_EQ(hex_of(*recovered), secret_hex);
  }
  const auto first = pick(mnemonics, sets.at(0));
  if (first.size() > 1) {
    auto fewer = combine_texts({first.begin() + 1, first.end()}, c.passphrase);
    ASSERT_FALSE(fewer) << "combined to " << hex_of(*fewer);
    EXPECT_EQ(fewer.error().reason, Reason::key_format);
  }
  if (!c.passphrase.empty()) {
    auto other = combine_texts(first, "");
    ASSERT_TRUE(other) << other.error().message();
    EXPECT_EQ(other->size(), secret.size());
    EXPECT_FALSE(other->equals(secret));
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, Slip39NpmOurShares, ::testing::ValuesIn(kCases), case_name);
INSTANTIATE_TEST_SUITE_P(Layouts, Slip39NpmTheirShares, ::testing::ValuesIn(kCases), case_name);

// ---- one word changed: refused by both ----------------------------------------------------------

// RS1024 catches every change of one word (of up to three); both must check it, with the
// customization string the share's extendable flag names.
TEST_F(Slip39Npm, OneWordChangedInOurShareIsRefusedByBoth) {
  for (const bool extendable : {true, false}) {
    SCOPED_TRACE(extendable ? "extendable" : "not extendable");
    const RandomSource random = seeded_random(extendable ? "one word, ext" : "one word, plain");
    const auto secret = random_secret(16, random);
    const std::vector<GroupSpec> two_of_three = {{2, 3}};
    auto shares = split(secret.span(), bytes_of(kVectorPassphrase), 1, two_of_three,
                        {.extendable = extendable, .random = random});
    ASSERT_TRUE(shares) << shares.error().message();
    auto first = encode_mnemonic((*shares)[0][0]);
    auto third = encode_mnemonic((*shares)[0][2]);
    ASSERT_TRUE(first && third);
    expect_every_word_change_refused(std::string(text_of(*first)), std::string(text_of(*third)),
                                     secret);
  }
}

TEST_F(Slip39Npm, OneWordChangedInTheirShareIsRefusedByBoth) {
  for (const bool extendable : {true, false}) {
    SCOPED_TRACE(extendable ? "extendable" : "not extendable");
    const auto secret = random_secret(16);
    SCOPED_TRACE("secret " + hex_of(secret));
    const Case c = {"", 16, 1, {{2, 3}}, kVectorPassphrase, extendable, 1};
    const auto mnemonics = npm_split(hex_of(secret), c);
    ASSERT_EQ(mnemonics.size(), 1u);
    expect_every_word_change_refused(mnemonics[0][1], mnemonics[0][0], secret);
  }
}

}  // namespace
}  // namespace dmp::backup::slip39
