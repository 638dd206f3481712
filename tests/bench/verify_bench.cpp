// What verifying a record costs, broken down so that the overhead of our
// parsing over the Ed25519 floor is visible. For a typical cluster manifest
// (6 nodes, the 633-byte wire of spec §2.2) and a bootstrap record (3 entries):
//   base64_sodium     libsodium's strict decode of the payload alone
//   base64_reference  our decoder (the reference's acceptance rule, §1.4)
//   open_wire         envelope steps 1-4: prefix, cap, base64, split, canonical check
//   decode            open_wire + decode_body: all of verify but the signature
//   ed25519_floor     crypto_sign_verify_detached on the same body and signature
//   verify            dmp::verify, default options (the blocklist, the signature,
//                     then decode and the key/exp checks)
//   verify_strict     dmp::verify, strict (also re-encodes the body)
// Run: cmake --build <dir> --target benchmark
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/records.hpp"
#include "dmp/verify.hpp"
#include "support/test_keys.hpp"

namespace {

constexpr std::uint64_t kExp = 2'051'222'400;
constexpr std::uint64_t kNow = kExp - 365 * 86'400;

struct Sample {
  dmp::RecordType type = dmp::RecordType::cluster;
  dmp::PublicKey key{};
  dmp::Bytes body;
  dmp::Signature signature{};
  std::string wire;
  std::string payload;  // the base64 after the prefix
};

dmp::Record typical_record(dmp::RecordType type, const dmp::PublicKey& key) {
  if (type == dmp::RecordType::cluster) {
    dmp::ClusterManifest manifest;
    manifest.cluster_name = "mesh.example.com";
    manifest.operator_spk = key;
    manifest.seq = 42;
    manifest.exp = kExp;
    for (int i = 1; i <= 6; ++i) {
      const std::string n = std::to_string(i);
      manifest.nodes.push_back(
          {"n0" + n, "https://n" + n + ".mesh.example.com:8053", "203.0.113." + n + ":53"});
    }
    return manifest;
  }
  dmp::BootstrapRecord record;
  record.user_domain = "example.org";
  record.signer_spk = key;
  record.seq = 42;
  record.exp = kExp;
  record.entries = {{10, "mesh.example.com", dmp::PublicKey{1}},
                    {10, "backup.example.net", dmp::PublicKey{2}},
                    {20, "far.example.org", dmp::PublicKey{3}}};
  return record;
}

Sample make_sample(dmp::RecordType type) {
  const auto key = dmp::test::key_for_label("dmp-bench/signer");
  Sample sample;
  sample.type = type;
  sample.key = key.public_key;
  auto body = dmp::encode_body(typical_record(type, key.public_key));
  if (!body) std::abort();
  sample.body = std::move(*body);
  sample.signature = dmp::test::sign_bytes(key, sample.body);
  auto wire = dmp::assemble_wire(type, sample.body, sample.signature);
  if (!wire) std::abort();
  sample.wire = std::move(*wire);
  sample.payload = sample.wire.substr(dmp::wire_prefix(type).size());
  return sample;
}

const Sample& sample_for(dmp::RecordType type) {
  static const Sample cluster = make_sample(dmp::RecordType::cluster);
  static const Sample bootstrap = make_sample(dmp::RecordType::bootstrap);
  return type == dmp::RecordType::cluster ? cluster : bootstrap;
}

void finish(benchmark::State& state, const Sample& sample) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sample.wire.size()));
  state.counters["wire_bytes"] = static_cast<double>(sample.wire.size());
}

void base64_sodium(benchmark::State& state, dmp::RecordType type) {
  const Sample& s = sample_for(type);
  std::vector<std::uint8_t> out(s.payload.size());
  for (auto _ : state) {
    std::size_t len = 0;
    int rc = sodium_base642bin(out.data(), out.size(), s.payload.data(), s.payload.size(), nullptr,
                               &len, nullptr, sodium_base64_VARIANT_ORIGINAL);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(len);
    benchmark::ClobberMemory();
  }
  finish(state, s);
}

void base64_reference(benchmark::State& state, dmp::RecordType type) {
  const Sample& s = sample_for(type);
  for (auto _ : state) {
    auto blob = dmp::encoding::base64_decode_reference(s.payload);
    benchmark::DoNotOptimize(blob);
  }
  finish(state, s);
}

void open_wire(benchmark::State& state, dmp::RecordType type) {
  const Sample& s = sample_for(type);
  for (auto _ : state) {
    auto opened = dmp::open_wire(s.wire, s.type);
    benchmark::DoNotOptimize(opened);
  }
  finish(state, s);
}

void decode(benchmark::State& state, dmp::RecordType type) {
  const Sample& s = sample_for(type);
  for (auto _ : state) {
    auto opened = dmp::open_wire(s.wire, s.type);
    if (!opened) {
      state.SkipWithError("open_wire failed");
      break;
    }
    auto record = dmp::decode_body(s.type, opened->blob.body);
    benchmark::DoNotOptimize(record);
  }
  finish(state, s);
}

void ed25519_floor(benchmark::State& state, dmp::RecordType type) {
  const Sample& s = sample_for(type);
  for (auto _ : state) {
    int rc =
        crypto_sign_verify_detached(s.signature.data(), s.body.data(), s.body.size(), s.key.data());
    benchmark::DoNotOptimize(rc);
  }
  finish(state, s);
}

void verify(benchmark::State& state, dmp::RecordType type, bool strict) {
  const Sample& s = sample_for(type);
  dmp::VerifyOptions options;
  options.now = kNow;
  options.strict = strict;
  if (!dmp::verify(s.wire, s.key, options)) {
    state.SkipWithError("the sample does not verify");
    return;
  }
  for (auto _ : state) {
    auto record = dmp::verify(s.wire, s.key, options);
    benchmark::DoNotOptimize(record);
  }
  finish(state, s);
}

[[maybe_unused]] const bool registered = [] {
  if (sodium_init() < 0) std::abort();
  for (const auto type : {dmp::RecordType::cluster, dmp::RecordType::bootstrap}) {
    const std::string prefix = std::string(dmp::record_type_name(type)) + "/";
    benchmark::RegisterBenchmark((prefix + "base64_sodium").c_str(), base64_sodium, type);
    benchmark::RegisterBenchmark((prefix + "base64_reference").c_str(), base64_reference, type);
    benchmark::RegisterBenchmark((prefix + "open_wire").c_str(), open_wire, type);
    benchmark::RegisterBenchmark((prefix + "decode").c_str(), decode, type);
    benchmark::RegisterBenchmark((prefix + "ed25519_floor").c_str(), ed25519_floor, type);
    benchmark::RegisterBenchmark((prefix + "verify").c_str(), verify, type, false);
    benchmark::RegisterBenchmark((prefix + "verify_strict").c_str(), verify, type, true);
  }
  return true;
}();

}  // namespace
