// dmp-bench-raw: the libsodium floor and an input generator for
// scripts/bench/run.sh. Not a test; it asserts nothing about time.
//
//   dmp-bench-raw gen --count N --out-dir DIR
//       writes DIR/000001.wire ... DIR/<N>.wire: distinct, valid cluster
//       manifests (6 nodes, names c000001.mesh.example.com ..., seq 1,
//       exp 1930000000), built with the library's encode_body/assemble_wire
//       and signed with libsodium's crypto_sign_detached under a fixed
//       deterministic key. Prints that key's public hex. No fsync: these are
//       benchmark inputs, not records.
//   dmp-bench-raw verify --pubkey HEX [--repeat R] FILE...
//       reads the wires and splits them into (body, signature) pairs with
//       open_wire (not timed), then times crypto_sign_verify_detached over
//       all pairs, R times; reports the fastest pass. Every pair must verify.
//   dmp-bench-raw sign [--repeat R] FILE...
//       the same bodies, signed with crypto_sign_detached under a fresh key.
//
// Output: one line of key=value pairs, e.g.
//   op=verify n=10000 read_s=0.081234 best_s=0.512345 median_s=... best_cpu_s=0.509876 ...
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/records.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kSeq = 1;
constexpr std::uint64_t kExp = 1'930'000'000;  // run.sh verifies with --now 1900000000

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "dmp-bench-raw: %s\n", message.c_str());
  std::exit(2);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this process (user + system), for the CPU-time columns: on a
// shared machine it moves less than the wall clock.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Pass {
  double wall_s = 0;
  double cpu_s = 0;
};

dmp::PublicKey from_hex(std::string_view hex) {
  dmp::PublicKey key{};
  if (!dmp::encoding::hex_decode_into(hex, key)) die("--pubkey needs 64 hex digits");
  return key;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Args {
  std::string op;
  std::size_t count = 0;
  std::string out_dir;
  std::string pubkey_hex;
  int repeat = 3;
  std::vector<std::string> files;
};

Args parse(int argc, char** argv) {
  if (argc < 2) die("usage: dmp-bench-raw gen|verify|sign ... (see the source's header)");
  Args args;
  args.op = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--count") {
      args.count = std::stoul(value());
    } else if (arg == "--out-dir") {
      args.out_dir = value();
    } else if (arg == "--pubkey") {
      args.pubkey_hex = value();
    } else if (arg == "--repeat") {
      args.repeat = std::max(1, std::stoi(value()));
    } else if (arg.starts_with("--")) {
      die("unknown option " + std::string(arg));
    } else {
      args.files.emplace_back(arg);
    }
  }
  return args;
}

dmp::ClusterManifest bench_manifest(std::size_t index, const dmp::PublicKey& key) {
  char name[64];
  std::snprintf(name, sizeof name, "c%06zu.mesh.example.com", index);
  dmp::ClusterManifest manifest;
  manifest.cluster_name = name;
  manifest.operator_spk = key;
  manifest.seq = kSeq;
  manifest.exp = kExp;
  for (int n = 1; n <= 6; ++n) {
    const std::string s = std::to_string(n);
    manifest.nodes.push_back(
        {"n0" + s, "https://n" + s + ".mesh.example.com:8053", "203.0.113." + s + ":53"});
  }
  return manifest;
}

int generate(const Args& args) {
  if (args.count == 0 || args.out_dir.empty()) die("gen needs --count N and --out-dir DIR");
  std::filesystem::create_directories(args.out_dir);
  // A fixed seed: the inputs are the same on every run.
  std::uint8_t seed[crypto_sign_SEEDBYTES];
  const std::string_view label = "dmp-bench-raw/generator";
  crypto_hash_sha256(seed, reinterpret_cast<const std::uint8_t*>(label.data()), label.size());
  dmp::PublicKey pk{};
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk.data(), sk, seed);
  for (std::size_t i = 1; i <= args.count; ++i) {
    auto body = dmp::encode_body(bench_manifest(i, pk));
    if (!body) die("encode_body: " + body.error().message());
    dmp::Signature sig{};
    crypto_sign_detached(sig.data(), nullptr, body->data(), body->size(), sk);
    auto wire = dmp::assemble_wire(dmp::RecordType::cluster, *body, sig);
    if (!wire) die("assemble_wire: " + wire.error().message());
    char name[32];
    std::snprintf(name, sizeof name, "%06zu.wire", i);
    const auto path = std::filesystem::path(args.out_dir) / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *wire;
    if (!out.flush()) die("cannot write " + path.string());
  }
  sodium_memzero(sk, sizeof sk);
  std::printf("%s\n", dmp::encoding::hex_encode(pk).c_str());
  return 0;
}

// Reads the files (timed separately) and splits each wire into body and
// signature with the library's open_wire (not timed).
std::vector<dmp::SignedBlob> load(const std::vector<std::string>& files, double& read_s) {
  if (files.empty()) die("no wire files given");
  std::vector<std::string> wires;
  wires.reserve(files.size());
  const auto start = Clock::now();
  for (const auto& file : files)
    wires.push_back(read_file(file));
  read_s = seconds_since(start);
  std::vector<dmp::SignedBlob> blobs;
  blobs.reserve(wires.size());
  for (std::size_t i = 0; i < wires.size(); ++i) {
    std::string_view wire = wires[i];
    if (wire.ends_with('\n')) wire.remove_suffix(1);
    const auto type = dmp::record_type_of_wire(wire);
    if (!type) die(files[i] + ": not a DMP wire");
    auto opened = dmp::open_wire(wire, *type);
    if (!opened) die(files[i] + ": " + opened.error().message());
    blobs.push_back(std::move(opened->blob));
  }
  return blobs;
}

// best_s / best_cpu_s: the fastest pass by wall clock / by CPU time.
void report(const char* op, std::size_t n, double read_s, const std::vector<Pass>& passes,
            std::size_t body_bytes) {
  std::vector<double> wall, cpu;
  for (const auto& pass : passes) {
    wall.push_back(pass.wall_s);
    cpu.push_back(pass.cpu_s);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "op=%s n=%zu read_s=%.6f best_s=%.6f median_s=%.6f best_cpu_s=%.6f per_op_us=%.3f "
      "mean_body_bytes=%zu repeat=%zu\n",
      op, n, read_s, wall.front(), wall[wall.size() / 2], cpu.front(),
      wall.front() / static_cast<double>(n) * 1e6, body_bytes / std::max<std::size_t>(n, 1),
      passes.size());
}

std::size_t total_body_bytes(const std::vector<dmp::SignedBlob>& blobs) {
  std::size_t total = 0;
  for (const auto& blob : blobs)
    total += blob.body.size();
  return total;
}

int verify(const Args& args) {
  if (args.pubkey_hex.empty()) die("verify needs --pubkey HEX");
  const auto pk = from_hex(args.pubkey_hex);
  double read_s = 0;
  const auto blobs = load(args.files, read_s);
  std::vector<Pass> passes;
  for (int r = 0; r < args.repeat; ++r) {
    std::size_t failures = 0;
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    for (const auto& blob : blobs) {
      failures += crypto_sign_verify_detached(blob.signature.data(), blob.body.data(),
                                              blob.body.size(), pk.data()) != 0;
    }
    passes.push_back({seconds_since(start), cpu_seconds() - cpu_start});
    if (failures != 0) die(std::to_string(failures) + " signatures did not verify");
  }
  report("verify", blobs.size(), read_s, passes, total_body_bytes(blobs));
  return 0;
}

int sign(const Args& args) {
  double read_s = 0;
  const auto blobs = load(args.files, read_s);
  dmp::PublicKey pk{};
  std::uint8_t sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk.data(), sk);
  std::vector<dmp::Signature> sigs(blobs.size());
  std::vector<Pass> passes;
  for (int r = 0; r < args.repeat; ++r) {
    const double cpu_start = cpu_seconds();
    const auto start = Clock::now();
    for (std::size_t i = 0; i < blobs.size(); ++i) {
      crypto_sign_detached(sigs[i].data(), nullptr, blobs[i].body.data(), blobs[i].body.size(), sk);
    }
    passes.push_back({seconds_since(start), cpu_seconds() - cpu_start});
  }
  sodium_memzero(sk, sizeof sk);
  // Check one, so the loop's results are used and correct.
  if (crypto_sign_verify_detached(sigs.back().data(), blobs.back().body.data(),
                                  blobs.back().body.size(), pk.data()) != 0) {
    die("a fresh signature did not verify");
  }
  report("sign", blobs.size(), read_s, passes, total_body_bytes(blobs));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) die("sodium_init failed");
  try {
    const Args args = parse(argc, argv);
    if (args.op == "gen") return generate(args);
    if (args.op == "verify") return verify(args);
    if (args.op == "sign") return sign(args);
    die("unknown operation " + args.op + " (gen, verify, sign)");
  } catch (const std::exception& e) {
    die(e.what());
  }
}
