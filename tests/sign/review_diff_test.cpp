// The review shows what changed, field by field, through the real dmp-sign:
// the "What was seen" of issue 14 part 3. A changed DNS address (.12 -> .21)
// or host (.com -> .corn) is named with carets under the changed characters,
// a changed operator key shows both fingerprints, a priority change is one
// line, and a host one or two edits from a known one is warned about.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sign/sign_test_support.hpp"

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

}  // namespace
}  // namespace dmp::test
