// Several dmp-sign processes on one state directory at once: the ledger lock
// serialises them, so one seq is never signed twice for a name, "auto" hands
// out distinct seqs, and signers of different names do not get in each
// other's way. The 8-process tests hope for a race; the held-lock test makes
// one: dmp-sign-faulty pauses while it holds the lock (DMP_TEST_PAUSE_AT).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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
    return std::stoull(nlohmann::json::parse(r.out)["seq"].get<std::string>());
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
    inputs.push_back(cluster_input(std::string("c").append(std::to_string(i)) + ".example.com", 1));
  }
  const auto results = sign_all_at_once(inputs);
  for (int i = 0; i < kSigners; ++i) {
    EXPECT_EQ(results[static_cast<std::size_t>(i)].exit_code, 0)
        << results[static_cast<std::size_t>(i)].err;
  }
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  EXPECT_EQ(ws_.ledger_entries().size(), static_cast<std::size_t>(kSigners));
}

// Deterministic: the first signer holds the lock (paused just after taking
// it) while the second starts. The second must wait for the lock, not fail
// or sign, and once the first has signed seq 7 it must lose with
// seq_not_increasing.
TEST_F(SignConcurrency, SecondSignerWaitsForTheHeldLockThenLoses) {
  using Clock = std::chrono::steady_clock;
  const fs::path pause = ws_.path("pause");
  fs::create_directory(pause);
  auto variant = [](int i) {
    auto input = cluster_input("mesh.example.com", 7, 3);
    input["nodes"][0]["http_endpoint"] = "https://variant-" + std::to_string(i) + ".example.com";
    return input;
  };
  const fs::path first_out = ws_.path("first.wire"), second_out = ws_.path("second.wire");
  const auto first_args = ws_.sign_args(
      {"--lock-wait", "30", "--out", first_out, ws_.write_input("first.json", variant(1))});
  const auto second_args = ws_.sign_args(
      {"--lock-wait", "30", "--out", second_out, ws_.write_input("second.json", variant(2))});

  ProcessResult first, second;
  std::thread holder([&] {
    first = ws_.run(
        first_args, "", DMP_SIGN_FAULTY_BIN,
        environment_with({"DMP_TEST_PAUSE_AT=locked", "DMP_TEST_PAUSE_DIR=" + pause.string()}));
  });
  const auto give_up = Clock::now() + std::chrono::seconds(30);
  while (!fs::exists(pause / "paused") && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!fs::exists(pause / "paused")) {
    write_file(pause / "release", "");
    holder.join();
    FAIL() << "the first signer never reached the lock: " << first.err;
  }

  std::atomic<bool> second_done{false};
  Clock::time_point second_end;
  std::thread waiter([&] {
    second = ws_.run(second_args);
    second_end = Clock::now();
    second_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const bool finished_while_held = second_done.load();
  const auto released = Clock::now();
  write_file(pause / "release", "");
  holder.join();
  waiter.join();

  EXPECT_FALSE(finished_while_held) << "the second signer did not wait: " << second.err;
  EXPECT_GE(second_end, released);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ws_.verify(pub_, first_out).exit_code, 0);
  EXPECT_EQ(second.exit_code, kExitSeq) << second.err;
  EXPECT_TRUE(one_line_refusal(second, "seq_not_increasing"));
  EXPECT_FALSE(fs::exists(second_out));
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entry_field(entries[0], 6), "7");
}

}  // namespace
}  // namespace dmp::test
