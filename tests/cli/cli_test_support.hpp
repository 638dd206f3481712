// Shared by the dmp-verify end-to-end tests: run the real binary, make signed
// wires with test keys, split output lines.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/records.hpp"
#include "support/process.hpp"
#include "support/test_keys.hpp"

namespace dmp::test {

// A clock inside the window the reference vectors need (vectors README).
inline constexpr std::uint64_t kNow = 1'900'000'000;
inline constexpr std::uint64_t kDay = 86'400;

inline ProcessResult run_verify(const std::vector<std::string>& args,
                                const std::string& input = "") {
  std::vector<std::string> argv;
  argv.reserve(args.size() + 1);
  argv.emplace_back(DMP_VERIFY_BIN);
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, input);
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

inline std::string sign_record(const TestKey& key, const Record& record) {
  auto body = encode_body(record);
  if (!body) {
    ADD_FAILURE() << body.error().message();
    return {};
  }
  auto wire = assemble_wire(type_of(record), *body, sign_bytes(key, *body));
  if (!wire) {
    ADD_FAILURE() << wire.error().message();
    return {};
  }
  return *wire;
}

inline std::string cluster_wire(const TestKey& key, const std::string& name, std::uint64_t seq = 1,
                                std::uint64_t exp = kNow + 365 * kDay) {
  ClusterManifest manifest;
  manifest.cluster_name = name;
  manifest.operator_spk = key.public_key;
  manifest.nodes = {{"n01", "https://n1." + name + ":8053", std::nullopt},
                    {"n02", "https://n2." + name + ":8053", "203.0.113.2:53"}};
  manifest.seq = seq;
  manifest.exp = exp;
  return sign_record(key, manifest);
}

inline std::string bootstrap_wire(const TestKey& key, const std::string& domain,
                                  const PublicKey& operator_spk, std::uint64_t seq = 1,
                                  std::uint64_t exp = kNow + 365 * kDay) {
  BootstrapRecord record;
  record.user_domain = domain;
  record.signer_spk = key.public_key;
  record.entries = {{20, "mesh2.example.com", operator_spk},
                    {10, "mesh.example.com", operator_spk}};
  record.seq = seq;
  record.exp = exp;
  return sign_record(key, record);
}

}  // namespace dmp::test
