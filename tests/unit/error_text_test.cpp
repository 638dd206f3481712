// Errors carry {reason, field, rule}; the line the operator reads is built
// from them once, at the edge. These pin that text, and check on real
// refusals of the library that no rule repeats its field ("f: f: rule").
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/names.hpp"
#include "dmp/result.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"

namespace dmp {
namespace {

TEST(ErrorText, FieldAndRuleAreJoinedOnce) {
  const Error e = make_error(Reason::invalid_field, "nodes[2].node_id", "must not be empty");
  EXPECT_EQ(e.message(), "nodes[2].node_id: must not be empty");
  EXPECT_EQ(e.field, "nodes[2].node_id");
  EXPECT_EQ(e.rule, "must not be empty");
}

TEST(ErrorText, ARuleWithoutAFieldIsTheWholeLine) {
  EXPECT_EQ(make_error(Reason::usage, "", "nothing to sign").message(), "nothing to sign");
}

TEST(ErrorText, WithinPutsTheErrorInsideItsFile) {
  Error e = make_error(Reason::invalid_field, "seq", "must be a decimal u64");
  e.within("cluster.json");
  EXPECT_EQ(e.field, "cluster.json: seq");
  EXPECT_EQ(e.message(), "cluster.json: seq: must be a decimal u64");
  Error bare = make_error(Reason::io_error, "", "cannot open");
  EXPECT_EQ(bare.within("x.wire").message(), "x.wire: cannot open");
}

// Real refusals from several modules: each names a field, and its rule does
// not start with that field again.
TEST(ErrorText, NoLibraryRuleRepeatsItsField) {
  std::vector<Error> errors;
  auto collect = [&errors](const auto& result) {
    ASSERT_FALSE(result);
    errors.push_back(result.error());
  };
  collect(encoding::hex_decode("abc", "--pubkey"));
  collect(encoding::hex_decode("zz", "--pubkey"));
  collect(check_dns_name("", "cluster_name"));
  collect(check_dns_name("a..b", "cluster_name"));
  collect(parse_txt_record("x IN TXT \"unterminated"));
  collect(verify_cluster("v=dmp1;t=cluster;!!!", PublicKey{}, VerifyOptions{}));
  for (const Error& e : errors) {
    ASSERT_FALSE(e.field.empty()) << e.message();
    EXPECT_NE(e.rule.rfind(e.field + ":", 0), 0u) << "field repeated: " << e.message();
    EXPECT_EQ(e.message(), e.field + ": " + e.rule);
  }
}

}  // namespace
}  // namespace dmp
