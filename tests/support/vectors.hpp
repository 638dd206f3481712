// Locates and loads the reference test vectors from ../shared/vectors (never
// copied into this repo). DMP_VECTORS_DIR overrides the location. When the
// directory is missing, tests skip locally but FAIL under CI (CI=true).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dmp/encoding.hpp"
#include "dmp/records.hpp"
#include "support/prerequisite.hpp"

namespace dmp::test {

inline std::filesystem::path vectors_dir() {
  if (const char* env = std::getenv("DMP_VECTORS_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return DMP_DEFAULT_VECTORS_DIR;  // set by tests/CMakeLists.txt
}

// Loads one vector file (e.g. "cluster_manifest.json") or nullopt after
// reporting: a skip locally, a failure under CI.
inline std::optional<nlohmann::json> load_vectors(const std::string& file) {
  const auto path = vectors_dir() / file;
  std::ifstream in(path);
  if (!in) {
    if (running_under_ci()) {
      ADD_FAILURE() << "reference vectors missing under CI: " << path;
    } else {
      GTEST_LOG_(WARNING) << "reference vectors not found at " << path;
    }
    return std::nullopt;
  }
  return nlohmann::json::parse(in);
}

// Evaluates to a test skip (or failure under CI) when the vectors are absent.
#define DMP_LOAD_VECTORS_OR_SKIP(var, file)                              \
  auto var##_loaded = ::dmp::test::load_vectors(file);                   \
  if (!var##_loaded) {                                                   \
    if (::dmp::test::running_under_ci()) return;                         \
    GTEST_SKIP() << "reference vectors not found (set DMP_VECTORS_DIR)"; \
  }                                                                      \
  const nlohmann::json& var = *var##_loaded

// Test data (the vectors' fields, keys written into tests) is hex; a bad
// digit is a broken test, reported where it is used.
inline std::vector<std::uint8_t> from_hex(const std::string& hex) {
  auto bytes = encoding::hex_decode(hex, "test data");
  if (!bytes) {
    ADD_FAILURE() << bytes.error().message();
    return {};
  }
  return std::move(*bytes);
}

inline PublicKey key_from_hex(const std::string& hex) {
  auto key = encoding::public_key_from_hex(hex, "test key");
  if (!key) {
    ADD_FAILURE() << key.error().message();
    return {};
  }
  return *key;
}

inline std::string hex_to_text(const std::string& hex) {
  const auto bytes = from_hex(hex);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace dmp::test
