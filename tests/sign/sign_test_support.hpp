// Shared by the dmp-sign end-to-end tests: a temporary workspace with a key
// file, a passphrase file and a state directory, helpers that run the real
// dmp-sign (or its fault-injecting twin) there, and readers for the ledger,
// the head file and wire files.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "dmp/encoding.hpp"
#include "support/process.hpp"

namespace dmp::test {

namespace fs = std::filesystem;

// A clock inside the window the reference vectors need (vectors README).
inline constexpr std::uint64_t kNow = 1'900'000'000;
inline constexpr std::uint64_t kDay = 86'400;
inline const std::string kNowText = std::to_string(kNow);
inline const std::string kPassphrase = "correct horse battery staple";

// Exit codes of signer/sign/exit_codes.hpp, restated: the tests pin the
// documented numbers, not whatever the header says today.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInvalid = 3;
inline constexpr int kExitKeyFile = 4;
inline constexpr int kExitSeq = 10;
inline constexpr int kExitLedger = 11;
inline constexpr int kExitLockBusy = 12;
inline constexpr int kExitNotConfirmed = 13;
inline constexpr int kKilled = -1;  // run_process: killed by a signal

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

inline void write_private_file(const fs::path& path, const std::string& content) {
  write_file(path, content);
  ::chmod(path.c_str(), 0600);
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

inline std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; in >> field;)
    fields.push_back(field);
  return fields;
}

// The stderr of a refusal: exactly one line, ending with "[reason]".
inline ::testing::AssertionResult one_line_refusal(const ProcessResult& r,
                                                   const std::string& reason) {
  const auto lines = lines_of(r.err);
  if (lines.size() != 1) {
    return ::testing::AssertionFailure()
           << "expected one stderr line, got " << lines.size() << ":\n"
           << r.err;
  }
  const std::string tag = "[" + reason + "]";
  if (lines[0].size() < tag.size() || lines[0].substr(lines[0].size() - tag.size()) != tag) {
    return ::testing::AssertionFailure() << "stderr does not end with " << tag << ": " << r.err;
  }
  return ::testing::AssertionSuccess();
}

// The last stderr line ends with "[reason]" (refusals after a review).
inline ::testing::AssertionResult ends_with_reason(const ProcessResult& r,
                                                   const std::string& reason) {
  const auto lines = lines_of(r.err);
  const std::string tag = "[" + reason + "]";
  if (lines.empty() || lines.back().size() < tag.size() ||
      lines.back().substr(lines.back().size() - tag.size()) != tag) {
    return ::testing::AssertionFailure() << "last stderr line does not end with " << tag << ":\n"
                                         << r.err;
  }
  return ::testing::AssertionSuccess();
}

// The environment of this process plus `extra` (run_process replaces it).
inline std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("DMP_TEST_CRASH_AT=", 0) == 0) continue;
    env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Unsigned-input JSON builders.
inline nlohmann::json cluster_input(const std::string& name = "mesh.example.com",
                                    nlohmann::json seq = 1, int node_count = 3) {
  nlohmann::json nodes = nlohmann::json::array();
  for (int i = 1; i <= node_count; ++i) {
    const std::string n = std::to_string(i);
    nodes.push_back({{"node_id", "n0" + n},
                     {"http_endpoint", "https://n" + n + "." + name + ":8053"},
                     {"dns_endpoint", "203.0.113." + n + ":53"}});
  }
  return {{"type", "cluster"},
          {"cluster_name", name},
          {"nodes", nodes},
          {"seq", seq},
          {"exp", kNow + 365 * kDay}};
}

inline nlohmann::json bootstrap_input(const std::string& domain = "example.com",
                                      nlohmann::json seq = 1) {
  return {
      {"type", "bootstrap"},
      {"user_domain", domain},
      {"entries",
       {{{"priority", 10},
         {"cluster_base_domain", "mesh.example.com"},
         {"operator_spk_hex", "2ec2785b7b2e0f5cf5a3bf6fc620cb9e1e67fa798577cfbfea34c46a20fc168b"}},
        {{"priority", 20},
         {"cluster_base_domain", "mesh2.example.com"},
         {"operator_spk_hex",
          "d85a93b16f789e4eb9dc53a47f6309c14efb3643b3e85d8d92e8cebe38a86c6a"}}}},
      {"seq", seq},
      {"exp", kNow + 365 * kDay}};
}

// A workspace: <tmp>/operator.key (interactive KDF), <tmp>/pass (0600),
// <tmp>/state (the ledger), and helpers to run dmp-sign there.
class SignWorkspace {
 public:
  SignWorkspace() { write_private_file(pass_file(), kPassphrase + "\n"); }

  fs::path root() const { return dir_.path(); }
  fs::path path(const std::string& name) const { return dir_.path() / name; }
  fs::path pass_file() const { return path("pass"); }
  fs::path key_file() const { return path("operator.key"); }
  fs::path state() const { return path("state"); }
  fs::path ledger_file() const { return state() / "ledger"; }
  fs::path head_file() const { return state() / "head"; }

  // Runs `dmp-sign args...` (or another binary given as `program`).
  ProcessResult run(std::vector<std::string> args, const std::string& input = "",
                    const std::string& program = DMP_SIGN_BIN,
                    const std::vector<std::string>& env = {}) const {
    args.insert(args.begin(), program);
    return run_process(args, input, env);
  }

  // A fresh key at `key` (default operator.key). Returns the public key hex.
  std::string keygen(const fs::path& key = {}) const {
    const fs::path out = key.empty() ? key_file() : key;
    auto r =
        run({"keygen", "--kdf", "interactive", "--passphrase-file", pass_file(), "--out", out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return public_key_in_summary(r.out);
  }

  // A key from a vector's X25519-style seed.
  std::string import_x25519_seed(const std::string& seed_hex, const fs::path& key) const {
    const fs::path seed = path(key.filename().string() + ".seed");
    write_private_file(seed, seed_hex + "\n");
    auto r = run({"import", "--kdf", "interactive", "--passphrase-file", pass_file(),
                  "--x25519-seed-hex-file", seed, "--out", key});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return public_key_in_summary(r.out);
  }

  // The "public key:  <hex>" line keygen and import print.
  static std::string public_key_in_summary(const std::string& out) {
    for (const auto& line : lines_of(out)) {
      const auto fields = split_fields(line);
      if (fields.size() == 3 && fields[0] == "public" && fields[1] == "key:") return fields[2];
    }
    ADD_FAILURE() << "no public key in:\n" << out;
    return {};
  }

  fs::path write_input(const std::string& name, const nlohmann::json& input) const {
    const fs::path file = path(name);
    write_file(file, input.dump(2) + "\n");
    return file;
  }

  // `dmp-sign sign` with the workspace's key, passphrase and state, --yes,
  // --now kNow, then `extra` (flags and input files).
  // `state` overrides the workspace's state directory.
  std::vector<std::string> sign_args(const std::vector<std::string>& extra,
                                     const fs::path& key = {}, const fs::path& state = {}) const {
    std::vector<std::string> args{"sign",
                                  "--first",
                                  "--key",
                                  key.empty() ? key_file() : key,
                                  "--passphrase-file",
                                  pass_file(),
                                  "--state-dir",
                                  state.empty() ? this->state() : state,
                                  "--yes",
                                  "--now",
                                  kNowText};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  ProcessResult sign(const std::vector<std::string>& extra, const fs::path& key = {},
                     const fs::path& state = {}) const {
    return run(sign_args(extra, key, state));
  }

  // Signs `input` into `out` (a wire file). Expects success.
  std::string sign_ok(const nlohmann::json& input, const std::string& out,
                      const std::vector<std::string>& extra = {}) const {
    const auto in = write_input(out + ".json", input);
    std::vector<std::string> args{"--out", path(out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(in);
    auto r = sign(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return read_file(path(out));
  }

  ProcessResult ledger(const std::string& sub, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"ledger", sub, "--state-dir", state()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  // The ledger's entry lines (header excluded).
  std::vector<std::string> ledger_entries() const {
    auto lines = lines_of(read_file(ledger_file()));
    if (!lines.empty()) lines.erase(lines.begin());
    return lines;
  }

  // dmp-verify --pubkey <hex> --now kNow <file>.
  ProcessResult verify(const std::string& pubkey, const fs::path& file,
                       std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{DMP_VERIFY_BIN, "--pubkey", pubkey, "--now", kNowText};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(file);
    return run_process(args);
  }

 private:
  TempDir dir_;
};

// Field `i` of a ledger entry line (0 index, 1 time, 2 event, 3 type, 4 name,
// 5 key, 6 seq, 7 exp, 8 body_sha256, 9 body, 10 prev, 11 hash).
inline std::string entry_field(const std::string& line, std::size_t i) {
  const auto fields = split_fields(line);
  return i < fields.size() ? fields[i] : std::string();
}

// Published forms of a record, as an operator copies them from DNS tools.
// The wire inside a one-line zone record: its character-strings joined.
inline std::string wire_in_zone(const std::string& zone) {
  std::string wire;
  for (std::size_t at = zone.find('"'); at != std::string::npos;) {
    const std::size_t end = zone.find('"', at + 1);
    wire += zone.substr(at + 1, end - at - 1);
    at = zone.find('"', end + 1);
  }
  return wire;
}

// `dig +short` of the RRset: one line per record, strings quoted, no owner.
inline std::string dig_short(const std::vector<std::string>& wires) {
  std::string out;
  for (const std::string& w : wires) {
    for (std::size_t pos = 0; pos < w.size(); pos += 255)
      out += (pos ? " \"" : "\"") + w.substr(pos, 255) + "\"";
    out += "\n";
  }
  return out;
}

// Full `dig` output with the record, another TXT record and an RRSIG.
inline std::string dig_output(const std::string& owner, const std::string& wire) {
  std::string strings;
  for (std::size_t pos = 0; pos < wire.size(); pos += 255)
    strings += (pos ? " \"" : "\"") + wire.substr(pos, 255) + "\"";
  return "; <<>> DiG 9.18.24 <<>> " + owner + " TXT\n;; ANSWER SECTION:\n" + owner +
         "\t300\tIN\tTXT\t\"google-site-verification=abc\"\n" + owner + "\t300\tIN\tTXT\t" +
         strings + "\n" + owner +
         "\t300\tIN\tRRSIG\tTXT 13 4 300 20301231000000 20300101000000 1 example.com. c2ln\n"
         ";; MSG SIZE  rcvd: 900\n";
}

// The PNG files of `dir` (qr png's frame-NNN.png), sorted by name.
inline std::vector<std::string> pngs_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".png") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Files left behind by an interrupted atomic write: ".<name>.tmp-XXXXXX".
inline std::vector<std::string> temporary_files(const fs::path& dir) {
  std::vector<std::string> found;
  std::error_code ignored;
  if (!fs::exists(dir, ignored)) return found;
  for (const auto& e : fs::recursive_directory_iterator(dir, ignored)) {
    const std::string name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) found.push_back(e.path().string());
  }
  return found;
}

}  // namespace dmp::test
