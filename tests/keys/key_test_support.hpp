// Shared by the key-file tests: secrets from hex, private files in a temporary
// directory, the spec's check values, and the checks every refusal of
// dmp-sign must pass (one stderr line ending in "[reason]", documented exit
// code, no secret in the output).
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/encoding.hpp"
#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/records.hpp"
#include "support/process.hpp"
#include "support/vectors.hpp"

namespace dmp::test {

using encoding::hex_encode;

// §6.1 check value (vector label vectors/cluster/operator).
inline constexpr std::string_view kCheckX =
    "d373740143cc05dbf6a52d29cd418d44a21b5cada8db6a1eba2cdcaa2d10a9ac";
// The Ed25519 public key of kCheckX read as an X25519-style seed (§6.1) ...
inline constexpr std::string_view kCheckSpkX25519 =
    "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b";
// ... and read as a raw Ed25519 seed (§6.2).
inline constexpr std::string_view kCheckSpkEd25519 =
    "0245d16b4755a38f7026c4662578605065a1c1094c61bb43dc2f2ff698b9aeb4";

// Long enough not to trigger the short-passphrase warning.
inline constexpr std::string_view kPassphrase = "correct horse battery staple 4711";
inline constexpr std::string_view kOtherPassphrase = "a different, equally long passphrase";

// dmp-sign's one documented warning for --kdf interactive/moderate. Refusal
// checks allow it (and only it) in front of the error line.
inline constexpr std::string_view kCheapKdfWarning = "dmp-sign: warning: --kdf ";

inline std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline hsm::SecretBuffer secret(std::string_view text) {
  hsm::SecretBuffer buffer(text.size());
  std::copy(text.begin(), text.end(), buffer.data());
  return buffer;
}

inline hsm::SecretBuffer secret_from_hex(std::string_view text) {
  hsm::SecretBuffer buffer(text.size() / 2);
  if (!encoding::hex_decode_into(text, buffer.span())) ADD_FAILURE() << "bad hex in test data";
  return buffer;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return static_cast<unsigned>(st.st_mode & 07777);
}

// Writes `content` to dir/name with the given mode (0600 by default).
inline std::string write_private(const TempDir& dir, const std::string& name,
                                 const std::string& content, unsigned mode = 0600) {
  const auto path = dir.write(name, content);
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode),
                               std::filesystem::perm_options::replace);
  return path.string();
}

inline std::vector<std::string> sorted_entries(const TempDir& dir) {
  auto names = dir.entries();
  std::sort(names.begin(), names.end());
  return names;
}

inline ProcessResult run_sign(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), DMP_SIGN_BIN);
  return run_process(args, input);
}

// The stderr lines that are not the documented cheap-KDF warning.
inline std::vector<std::string> error_lines(const std::string& err) {
  std::vector<std::string> lines;
  for (auto& line : lines_of(err)) {
    if (line.rfind(kCheapKdfWarning, 0) != 0) lines.push_back(line);
  }
  return lines;
}

// A refusal: the exit code, exactly one error line "dmp-sign: ... [reason]"
// (stderr ends with it), nothing on stdout, and none of `secrets` anywhere.
inline void expect_refusal(const ProcessResult& result, int exit_code, std::string_view reason,
                           const std::vector<std::string>& secrets = {}) {
  EXPECT_EQ(result.exit_code, exit_code) << "stderr: " << result.err;
  const auto lines = error_lines(result.err);
  ASSERT_EQ(lines.size(), 1u) << "stderr must be one error line, got:\n" << result.err;
  EXPECT_EQ(lines[0].rfind("dmp-sign: ", 0), 0u) << lines[0];
  const std::string tag = " [" + std::string(reason) + "]";
  EXPECT_TRUE(lines[0].size() > tag.size() &&
              lines[0].compare(lines[0].size() - tag.size(), tag.size(), tag) == 0)
      << "expected the line to end with" << tag << ": " << lines[0];
  EXPECT_TRUE(!result.err.empty() && result.err.back() == '\n') << "stderr: " << result.err;
  EXPECT_EQ(result.out, "") << "a refusal prints nothing on stdout";
  for (const auto& s : secrets) {
    EXPECT_EQ(result.err.find(s), std::string::npos) << "stderr leaks a secret: " << result.err;
    EXPECT_EQ(result.out.find(s), std::string::npos) << "stdout leaks a secret: " << result.out;
  }
}

// The "public key:" line of keygen/import's summary.
inline std::string printed_public_key(const std::string& out) {
  for (const auto& line : lines_of(out)) {
    constexpr std::string_view kLabel = "public key:";
    if (line.rfind(kLabel, 0) == 0) {
      auto value = line.substr(kLabel.size());
      value.erase(0, value.find_first_not_of(' '));
      return value;
    }
  }
  return {};
}

// The reference generator's operator-ed25519.hex (§6.3): six '#' lines, then
// the X25519-style seed and the derived public key, LF line endings.
inline std::string reference_key_file(std::string_view seed_hex, std::string_view public_hex) {
  std::string text;
  text += "# DMP cluster operator key -- DEV ONLY, do not use in production.\n";
  text += "# Generated by generate-cluster-manifest.py.\n";
  text += "# operator_seed_hex is an X25519 private key (32 bytes).\n";
  text += "# Load it through DMPCrypto.from_private_bytes to get the Ed25519 signer.\n";
  text += "# operator_public_hex is the Ed25519 public key to pin as\n";
  text += "# DMP_SYNC_OPERATOR_SPK.\n";
  text += "operator_seed_hex=" + std::string(seed_hex) + "\n";
  text += "operator_public_hex=" + std::string(public_hex) + "\n";
  return text;
}

}  // namespace dmp::test
