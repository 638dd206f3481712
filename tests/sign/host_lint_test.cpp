// The near-miss host rule (signer/sign/host_lint): a typo in a zone warns,
// siblings that differ in their first label never do, addresses never do.
#include "sign/host_lint.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/edit_distance.hpp"

namespace dmp::cli {
namespace {

ClusterManifest cluster_of(const std::vector<std::string>& hosts) {
  ClusterManifest m;
  m.cluster_name = "mesh.example.com";
  int i = 0;
  for (const auto& host : hosts) {
    ++i;
    m.nodes.push_back(
        ClusterNode{"n0" + std::to_string(i), "https://" + host + ":8053", std::nullopt});
  }
  return m;
}

TEST(HostLint, EditDistanceCountsASwapAsOneEdit) {
  EXPECT_EQ(edit_distance("example", "example"), 0u);
  EXPECT_EQ(edit_distance("example", "exmaple"), 1u);
  EXPECT_EQ(edit_distance("com", "corn"), 2u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(HostLint, HostNameOfAnEndpoint) {
  EXPECT_EQ(host_name_of("https://user@N1.Mesh.Example.com.:8053/p"), "n1.mesh.example.com");
  EXPECT_EQ(host_name_of("n1.mesh.example.com:53"), "n1.mesh.example.com");
  EXPECT_EQ(host_name_of("203.0.113.12:53"), std::nullopt);
  EXPECT_EQ(host_name_of("https://localhost:8053"), std::nullopt);
}

TEST(HostLint, ATypoInTheZoneAgainstThePreviousRecordWarns) {
  const Record before = cluster_of({"n1.mesh.example.com", "n3.mesh.example.com"});
  const Record after = cluster_of({"n1.mesh.example.com", "n3.mesh.example.corn"});
  const auto warnings = near_miss_hosts(after, before);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("n3.mesh.example.corn"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("2 edits"), std::string::npos) << warnings[0];
}

TEST(HostLint, ATypoAgainstAnotherHostOfTheSameRecordWarns) {
  const Record after = cluster_of({"n1.mesh.example.com", "n2.mesh.exmaple.com"});
  const auto warnings = near_miss_hosts(after, std::nullopt);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("1 edit"), std::string::npos) << warnings[0];
}

TEST(HostLint, SiblingsAndUnchangedNamesDoNotWarn) {
  const Record before = cluster_of({"n1.mesh.example.com", "n2.mesh.example.com"});
  const Record after =
      cluster_of({"n1.mesh.example.com", "n2.mesh.example.com", "n3.mesh.example.com"});
  EXPECT_TRUE(near_miss_hosts(after, before).empty());
  EXPECT_TRUE(near_miss_hosts(before, before).empty());
}

}  // namespace
}  // namespace dmp::cli
