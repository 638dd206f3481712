// The edits of `dmp-sign draft` (signer/input/draft_edits), as pure
// functions: how a node or entry is spelled on the command line, and that an
// edit which does not apply exactly as stated is an error.
#include "input/draft_edits.hpp"

#include <gtest/gtest.h>

#include "output/unsigned_json.hpp"

namespace dmp::input {
namespace {

const std::string kKey = "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";

ClusterManifest three_nodes() {
  ClusterManifest m;
  m.cluster_name = "mesh.example.com";
  for (const char* id : {"a", "b", "c"}) {
    m.nodes.push_back(ClusterNode{id, std::string("https://") + id + ".example", std::nullopt});
  }
  return m;
}

TEST(DraftEdits, NodeSpecSplitsAtTheFirstEqualsAndTheLastDns) {
  auto node = parse_node_spec("n1=https://x.example/a=b,c,dns=[2001:db8::1]:53", "--add-node");
  ASSERT_TRUE(node) << node.error().message();
  EXPECT_EQ(node->node_id, "n1");
  EXPECT_EQ(node->http_endpoint, "https://x.example/a=b,c");
  EXPECT_EQ(node->dns_endpoint, "[2001:db8::1]:53");
  node = parse_node_spec("n1=https://x.example", "--add-node");
  ASSERT_TRUE(node);
  EXPECT_FALSE(node->dns_endpoint);
  for (const char* bad : {"", "=https://x", "n1", "n1=", "n1=,dns=1:2", "n1=https://x,dns="}) {
    auto r = parse_node_spec(bad, "--add-node");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().reason, Reason::invalid_field);
    EXPECT_EQ(r.error().field.rfind("--add-node", 0), 0u) << r.error().message();
  }
}

TEST(DraftEdits, EntrySpecIsPriorityDomainKey) {
  auto entry = parse_entry_spec("7:mesh.example.com:" + kKey, "--add-entry");
  ASSERT_TRUE(entry) << entry.error().message();
  EXPECT_EQ(entry->priority, 7);
  EXPECT_EQ(entry->cluster_base_domain, "mesh.example.com");
  for (const std::string& bad : std::vector<std::string>{
           "7:mesh.example.com", "65536:m.example:" + kKey, "x:m.example:" + kKey, "7::" + kKey,
           "7:m.example:abcd", ":m.example:" + kKey}) {
    EXPECT_FALSE(parse_entry_spec(bad, "--add-entry")) << bad;
  }
}

TEST(DraftEdits, RemovalsThenChangesThenAdditions) {
  DraftEdits edits;
  edits.add_nodes = {"a=https://new-a.example"};  // after a is removed: allowed
  edits.remove_nodes = {"a"};
  edits.set_nodes = {"c=https://c2.example,dns=1.2.3.4:53"};
  auto r = apply_edits(three_nodes(), edits);
  ASSERT_TRUE(r) << r.error().message();
  const auto& nodes = std::get<ClusterManifest>(*r).nodes;
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].node_id, "b");
  EXPECT_EQ(nodes[1], (ClusterNode{"c", "https://c2.example", "1.2.3.4:53"}));
  EXPECT_EQ(nodes[2], (ClusterNode{"a", "https://new-a.example", std::nullopt}));
}

TEST(DraftEdits, AnEditThatDoesNotApplyIsAnError) {
  DraftEdits twice;
  twice.remove_nodes = {"a", "a"};
  EXPECT_FALSE(apply_edits(three_nodes(), twice));
  DraftEdits wrong_type;
  wrong_type.remove_entries = {"x.example"};
  auto r = apply_edits(three_nodes(), wrong_type);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().reason, Reason::usage);
}

TEST(DraftEdits, EntriesAreFoundAsDnsNamesAndAmbiguityIsRefused) {
  BootstrapRecord b;
  b.user_domain = "example.com";
  b.entries = {BootstrapEntry{10, "Mesh.Example.com", {}},
               BootstrapEntry{20, "mesh.example.com.", {}},
               BootstrapEntry{30, "other.example", {}}};
  DraftEdits edits;
  edits.remove_entries = {"mesh.example.com"};
  auto r = apply_edits(b, edits);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().rule.find("priorities 10, 20"), std::string::npos) << r.error().rule;
  edits.remove_entries = {"20:MESH.example.com."};
  edits.set_priorities = {"10:mesh.example.com=5", "other.example=1"};
  r = apply_edits(b, edits);
  ASSERT_TRUE(r) << r.error().message();
  const auto& entries = std::get<BootstrapRecord>(*r).entries;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].priority, 5);
  EXPECT_EQ(entries[1].priority, 1);
  DraftEdits dup;
  dup.add_entries = {"30:OTHER.example.:" + kKey};
  EXPECT_FALSE(apply_edits(b, dup));
}

TEST(UnsignedJson, DurationsUseTheLargestExactUnit) {
  EXPECT_EQ(output::duration_text(365 * 86400), "365d");
  EXPECT_EQ(output::duration_text(7200), "2h");
  EXPECT_EQ(output::duration_text(90 * 60), "90m");
  EXPECT_EQ(output::duration_text(61), "61s");
}

TEST(UnsignedJson, WhatIsWrittenParsesBackAsTheSameInput) {
  output::UnsignedJson draft{three_nodes(), SeqSpec{false, 9}, ExpirySpec{true, 3600}, std::nullopt,
                             "v=dmp1;t=cluster;AAAA"};
  std::get<ClusterManifest>(draft.record).nodes[1].dns_endpoint = "192.0.2.1:53";
  auto parsed = parse_unsigned_record(output::unsigned_record_json(draft));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(std::get<ClusterManifest>(parsed->record).nodes,
            std::get<ClusterManifest>(draft.record).nodes);
  EXPECT_FALSE(parsed->seq.automatic);
  EXPECT_EQ(parsed->seq.value, 9u);
  EXPECT_TRUE(parsed->expiry.relative);
  EXPECT_EQ(parsed->expiry.value, 3600u);
  EXPECT_FALSE(parsed->signing_key_given);
  EXPECT_EQ(parsed->previous, "v=dmp1;t=cluster;AAAA");
}

}  // namespace
}  // namespace dmp::input
