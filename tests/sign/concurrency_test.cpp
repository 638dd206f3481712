// Several dmp-sign processes on one state directory at once: the ledger lock
// serialises them, so one seq is never signed twice for a name, "auto" hands
// out distinct seqs, and signers of different names do not get in each
// other's way.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

constexpr int kSigners = 8;

class SignConcurrency : public ::testing::Test {
 protected:
  void SetUp() override { pub_ = ws_.keygen(); }

  // Starts one signer per input at the same time; returns their results.
  std::vector<ProcessResult> sign_all_at_once(const std::vector<nlohmann::json>& inputs) {
    std::vector<std::vector<std::string>> args;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string n = std::to_string(i);
      args.push_back(ws_.sign_args({"--lock-wait", "30", "--out", ws_.path("out-" + n + ".wire"),
                                    ws_.write_input("in-" + n + ".json", inputs[i])}));
      args.back().insert(args.back().begin(), DMP_SIGN_BIN);
    }
    std::vector<ProcessResult> results(inputs.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      threads.emplace_back([&, i] { results[i] = run_process(args[i]); });
    }
    for (auto& t : threads)
      t.join();
    return results;
  }

  std::uint64_t seq_of_wire(const fs::path& wire) {
    auto r = ws_.run({"inspect", "--json", wire});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["seq"].get<std::uint64_t>();
  }

  SignWorkspace ws_;
  std::string pub_;
};

TEST_F(SignConcurrency, SameExplicitSeqIsSignedExactlyOnce) {
  std::vector<nlohmann::json> inputs;
  for (int i = 0; i < kSigners; ++i) {
    auto input = cluster_input("mesh.example.com", 7, 3);
    input["nodes"][0]["http_endpoint"] = "https://variant-" + std::to_string(i) + ".example.com";
    inputs.push_back(input);
  }
  const auto results = sign_all_at_once(inputs);
  int winners = 0;
  for (int i = 0; i < kSigners; ++i) {
    const auto& r = results[static_cast<std::size_t>(i)];
    const fs::path out = ws_.path("out-" + std::to_string(i) + ".wire");
    if (r.exit_code == 0) {
      ++winners;
      EXPECT_EQ(ws_.verify(pub_, out).exit_code, 0);
    } else {
      EXPECT_EQ(r.exit_code, kExitSeq) << r.err;
      EXPECT_TRUE(one_line_refusal(r, "seq_not_increasing"));
      EXPECT_FALSE(fs::exists(out));
    }
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entry_field(entries[0], 2), "sign");
  EXPECT_EQ(entry_field(entries[0], 6), "7");
}

TEST_F(SignConcurrency, AutoSeqHandsOutDistinctSeqs) {
  std::vector<nlohmann::json> inputs(kSigners, cluster_input("mesh.example.com", "auto"));
  const auto results = sign_all_at_once(inputs);
  std::set<std::uint64_t> seqs;
  for (int i = 0; i < kSigners; ++i) {
    ASSERT_EQ(results[static_cast<std::size_t>(i)].exit_code, 0)
        << results[static_cast<std::size_t>(i)].err;
    seqs.insert(seq_of_wire(ws_.path("out-" + std::to_string(i) + ".wire")));
  }
  std::set<std::uint64_t> expected;
  for (std::uint64_t s = 1; s <= kSigners; ++s)
    expected.insert(s);
  EXPECT_EQ(seqs, expected);
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  EXPECT_EQ(ws_.ledger_entries().size(), static_cast<std::size_t>(kSigners));
}

TEST_F(SignConcurrency, DifferentNamesAllSucceed) {
  std::vector<nlohmann::json> inputs;
  for (int i = 0; i < kSigners; ++i) {
    inputs.push_back(cluster_input("c" + std::to_string(i) + ".example.com", 1));
  }
  const auto results = sign_all_at_once(inputs);
  for (int i = 0; i < kSigners; ++i) {
    EXPECT_EQ(results[static_cast<std::size_t>(i)].exit_code, 0)
        << results[static_cast<std::size_t>(i)].err;
  }
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  EXPECT_EQ(ws_.ledger_entries().size(), static_cast<std::size_t>(kSigners));
}

}  // namespace
}  // namespace dmp::test
