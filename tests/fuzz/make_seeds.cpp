// Writes the seed corpora: `dmp-fuzz-seeds OUT_DIR` creates
// OUT_DIR/<target>/seed-NN for fuzz_wire_verify, fuzz_zone and
// fuzz_roundtrip (other files there, e.g. merged findings, are left alone).
// Everything is deterministic (Ed25519 signatures are), so rerunning it
// reproduces the committed seeds:
//   build/tests/dmp-fuzz-seeds tests/fuzz/corpus
// Each seed is checked as it is written: wires against the verdict they were
// made for (default and strict), recipes against the record they describe,
// and every recipe is run through fuzz_roundtrip's invariants (linked in).
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/records.hpp"
#include "dmp/verify.hpp"
#include "support/raw_bytes.hpp"
#include "support/test_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
namespace dmp::fuzz {
Record recipe_record(std::span<const std::uint8_t> bytes);  // fuzz_roundtrip.cpp
}

namespace {

namespace fs = std::filesystem;
using dmp::Bytes;
using dmp::Reason;

constexpr std::uint64_t kNow = 1'800'000'000;  // fuzz_wire_verify's clock
constexpr std::uint64_t kExp = kNow + 30'000'000;

const dmp::test::TestKey& signer() {
  static const auto key = dmp::test::key_for_label("dmp-fuzz/signer");
  return key;
}
const dmp::test::TestKey& other_key() {
  static const auto key = dmp::test::key_for_label("dmp-fuzz/other");
  return key;
}

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "dmp-fuzz-seeds: %s\n", message.c_str());
  std::exit(1);
}

class SeedWriter {
 public:
  SeedWriter(const fs::path& root, std::string target) : dir_(root / target), target_(target) {
    fs::create_directories(dir_);
  }
  void write(std::string_view bytes, std::string_view note) {
    char name[16];
    std::snprintf(name, sizeof name, "seed-%02d", count_++);
    std::ofstream out(dir_ / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) die("cannot write " + (dir_ / name).string());
    std::printf("%s/%s  %4zu bytes  %.*s\n", target_.c_str(), name, bytes.size(),
                static_cast<int>(note.size()), note.data());
  }
  void write(const Bytes& bytes, std::string_view note) {
    write(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), note);
  }

 private:
  fs::path dir_;
  std::string target_;
  int count_ = 0;
};

// ---- Raw bodies, built without the library's rules so bad ones can be made --

using dmp::test::put;

struct RawNode {
  std::string id, http, dns;  // dns "" = absent
};
struct RawEntry {
  std::uint16_t priority;
  std::string base;
  std::uint8_t key_byte;
};
struct Header {
  std::uint64_t seq = 7;
  std::uint64_t exp = kExp;
  dmp::PublicKey key = signer().public_key;
};

Bytes cluster_body(std::string_view name, const std::vector<RawNode>& nodes, Header h = {}) {
  Bytes body;
  put(body, "DMPCL01");
  put(body, h.seq, 8);
  put(body, h.exp, 8);
  put(body, h.key);
  put(body, name.size(), 1);
  put(body, name);
  put(body, nodes.size(), 1);
  for (const auto& node : nodes) {
    put(body, node.id.size(), 1);
    put(body, node.id);
    put(body, node.http.size(), 2);
    put(body, node.http);
    put(body, node.dns.size(), 2);
    put(body, node.dns);
  }
  return body;
}

Bytes bootstrap_body(std::string_view domain, const std::vector<RawEntry>& entries, Header h = {}) {
  Bytes body;
  put(body, "DMPBS01");
  put(body, h.seq, 8);
  put(body, h.exp, 8);
  put(body, h.key);
  put(body, domain.size(), 1);
  put(body, domain);
  put(body, entries.size(), 1);
  for (const auto& entry : entries) {
    put(body, entry.priority, 2);
    put(body, entry.base.size(), 1);
    put(body, entry.base);
    dmp::PublicKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
      key[i] = static_cast<std::uint8_t>(entry.key_byte + i);
    }
    put(body, key);
  }
  return body;
}

// prefix || base64(body || signature), with no length cap.
std::string wire_of(dmp::RecordType type, const Bytes& body,
                    const dmp::test::TestKey& key = signer()) {
  Bytes blob = body;
  const dmp::Signature sig = dmp::test::sign_bytes(key, body);
  blob.insert(blob.end(), sig.begin(), sig.end());
  return std::string(dmp::wire_prefix(type)) + dmp::encoding::base64_encode(blob);
}

// The same blob in base64 the reference accepts but a signer never emits:
// non-zero unused bits in the last character, or surplus padding.
std::string non_canonical(std::string wire) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto set_low_bits = [&](char& c, std::size_t bits) {
    c = kAlphabet[kAlphabet.find(c) | bits];
  };
  if (wire.ends_with("==")) {
    set_low_bits(wire[wire.size() - 3], 0x0f);
  } else if (wire.ends_with("=")) {
    set_low_bits(wire[wire.size() - 2], 0x03);
  } else {
    wire += "=";
  }
  return wire;
}

std::vector<RawNode> typical_nodes(int count) {
  std::vector<RawNode> nodes;
  for (int i = 1; i <= count; ++i) {
    const std::string n = std::to_string(i);
    nodes.push_back(
        {"n0" + n, "https://n" + n + ".mesh.example.com:8053", "203.0.113." + n + ":53"});
  }
  return nodes;
}

// Verdicts of dmp::verify at kNow under the signer key.
Reason verdict(std::string_view wire, bool strict) {
  dmp::VerifyOptions options;
  options.now = kNow;
  options.strict = strict;
  auto result = dmp::verify(wire, signer().public_key, options);
  return result ? Reason::ok : result.error().reason;
}

void wire_seed(SeedWriter& out, std::string_view wire, Reason lenient, Reason strict,
               std::string_view note) {
  const Reason got = verdict(wire, false), got_strict = verdict(wire, true);
  if (got != lenient || got_strict != strict) {
    die("wire seed '" + std::string(note) + "': verify gives " + dmp::reason_name(got) + "/" +
        dmp::reason_name(got_strict) + ", expected " + dmp::reason_name(lenient) + "/" +
        dmp::reason_name(strict));
  }
  out.write(wire, std::string(note) + " [" + dmp::reason_name(got) + "/" +
                      dmp::reason_name(got_strict) + "]");
}

void write_wire_verify_seeds(const fs::path& root) {
  SeedWriter out(root, "fuzz_wire_verify");
  constexpr auto cluster = dmp::RecordType::cluster;
  constexpr auto bootstrap = dmp::RecordType::bootstrap;
  const Reason ok = Reason::ok;

  const std::string six = wire_of(cluster, cluster_body("mesh.example.com", typical_nodes(6)));
  const std::string one = wire_of(
      cluster, cluster_body("mesh.example.com", {{"n01", "https://n1.example.com:8053", ""}}));
  const std::vector<RawEntry> entries = {
      {10, "mesh.example.com", 1}, {10, "backup.example.net", 2}, {20, "far.example.org", 3}};
  const std::string boot = wire_of(bootstrap, bootstrap_body("example.org", entries));
  const std::string boot1 =
      wire_of(bootstrap, bootstrap_body("example.org", {{0, "mesh.example.com", 9}}));

  wire_seed(out, six, ok, ok, "cluster, 6 nodes");
  wire_seed(out, one, ok, ok, "cluster, 1 node, no dns_endpoint");
  std::vector<RawNode> many;
  for (int i = 0; i < 32; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "n%02d", i);
    many.push_back({id, std::string("http://") + id, i % 4 == 0 ? "10.0.0.1:53" : ""});
  }
  wire_seed(out, wire_of(cluster, cluster_body("a", many)), ok, ok, "cluster, 32 nodes");
  wire_seed(out, wire_of(cluster, cluster_body("mesh.example.com.", typical_nodes(2))), ok,
            Reason::non_canonical, "cluster, trailing-dot name");
  wire_seed(out, wire_of(cluster, cluster_body("mesh.example.com", {})), ok, Reason::non_canonical,
            "cluster, zero nodes");
  wire_seed(out, boot1, ok, ok, "bootstrap, 1 entry");
  wire_seed(out, boot, ok, ok, "bootstrap, 3 entries with a priority tie");
  wire_seed(out,
            wire_of(bootstrap, bootstrap_body("example.org", {entries[2], entries[0], entries[1]})),
            ok, Reason::non_canonical, "bootstrap, entries not in priority order");
  wire_seed(out, wire_of(bootstrap, bootstrap_body("Example.ORG.", {{5, "mesh.example.com.", 4}})),
            ok, Reason::non_canonical, "bootstrap, trailing dots and mixed case");
  wire_seed(out, non_canonical(six), ok, Reason::non_canonical, "cluster, non-canonical base64");
  wire_seed(out, non_canonical(boot), ok, Reason::non_canonical, "bootstrap, non-canonical base64");
  wire_seed(out, non_canonical(one), ok, Reason::non_canonical, "cluster, non-canonical base64");
  wire_seed(out,
            wire_of(cluster, cluster_body("mesh.example.com", typical_nodes(1), {.exp = kNow - 1})),
            Reason::expired, Reason::expired, "cluster, expired");
  wire_seed(out,
            wire_of(bootstrap,
                    bootstrap_body("example.org", entries, {.exp = kNow + dmp::kMaxExpAhead + 1})),
            Reason::expiry_too_far, Reason::expiry_too_far, "bootstrap, exp too far ahead");
  wire_seed(out, wire_of(cluster, cluster_body("mesh.example.com", typical_nodes(3)), other_key()),
            Reason::bad_signature, Reason::bad_signature, "cluster, signed by another key");
  wire_seed(
      out,
      wire_of(cluster,
              cluster_body("mesh.example.com", typical_nodes(3), {.key = other_key().public_key})),
      Reason::key_mismatch, Reason::key_mismatch, "cluster, embedded key is not the pinned key");
  wire_seed(out, six.substr(0, 300), Reason::bad_base64, Reason::bad_base64,
            "cluster, wire cut short");
  const Bytes whole = cluster_body("mesh.example.com", typical_nodes(2));
  const Bytes cut(whole.begin(), whole.end() - 20);
  wire_seed(out, wire_of(cluster, cut), Reason::malformed, Reason::malformed,
            "cluster, signed body cut inside a node");
  wire_seed(out,
            wire_of(cluster, cluster_body("mesh.example.com", {{"n1", "h", ""}, {"n1", "i", ""}})),
            Reason::malformed, Reason::malformed, "cluster, duplicate node_id");
  wire_seed(out,
            wire_of(cluster, cluster_body("mesh.example.com", {{"n1", "http://\xed\xa0\x80", ""}})),
            Reason::malformed, Reason::malformed, "cluster, surrogate in http_endpoint");
  wire_seed(out, wire_of(cluster, cluster_body("_dmp.example.com", typical_nodes(1))),
            Reason::malformed, Reason::malformed, "cluster, underscore in name");
  wire_seed(out, wire_of(bootstrap, bootstrap_body("example.org", {})), Reason::malformed,
            Reason::malformed, "bootstrap, zero entries");
  wire_seed(out,
            wire_of(bootstrap, bootstrap_body("example.org", {{3, "Mesh.Example.com", 1},
                                                              {3, "mesh.example.com.", 2}})),
            Reason::malformed, Reason::malformed, "bootstrap, duplicate (priority, domain)");
  std::vector<RawNode> big = typical_nodes(9);
  for (auto& node : big)
    node.http += "/" + std::string(90, 'p');
  wire_seed(out, wire_of(cluster, cluster_body("mesh.example.com", big)), Reason::too_long,
            Reason::too_long, "cluster, wire over 1200 bytes");
  wire_seed(out, "v=dmp1;t=rotation;" + six.substr(17), Reason::bad_prefix, Reason::bad_prefix,
            "rotation prefix");
  wire_seed(out, six + "\n", Reason::bad_base64, Reason::bad_base64, "cluster, trailing newline");
  // Bare bodies for the direct decode_*_body calls.
  out.write(cluster_body("mesh.example.com", typical_nodes(2)), "bare cluster body");
  out.write(bootstrap_body("example.org", entries), "bare bootstrap body");
}

void write_zone_seeds(const fs::path& root) {
  SeedWriter out(root, "fuzz_zone");
  const std::string six =
      wire_of(dmp::RecordType::cluster, cluster_body("mesh.example.com", typical_nodes(6)));
  const std::string boot = wire_of(dmp::RecordType::bootstrap,
                                   bootstrap_body("example.org", {{10, "mesh.example.com", 1}}));
  std::string pieces, lines;
  for (std::size_t pos = 0; pos < six.size(); pos += 255) {
    const std::string piece = "\"" + six.substr(pos, 255) + "\"";
    pieces += (pos == 0 ? "" : " ") + piece;
    lines += "    " + piece + "\n";
  }
  out.write("cluster.mesh.example.com. 3600 IN TXT " + pieces + "\n", "one line, 3 pieces");
  out.write("; cluster manifest, seq 7\ncluster.mesh.example.com. 3600 IN TXT (\n" + lines +
                ") ; end of record\n",
            "parenthesised, comments");
  out.write("_dmp.example.org. IN 300 TXT \"" + boot + "\"\n", "class before TTL");
  out.write("_dmp.example.org TXT \"" + boot + "\"", "no TTL, no class, no newline");
  out.write("x.example. TXT \"v=dmp1\\059t=cluster\\059\" \"quote\\\" backslash\\\\ \\255\"\n",
            "escapes");
  out.write("$TTL 3600\n\n; comment only\n   \ncluster.mesh.example.com. TXT " + pieces + "\n\n",
            "$TTL, blank and comment lines");
  out.write("cluster.example. TXT \"unterminated\n", "unterminated quote");
  out.write("a.example. TXT \"one\"\nb.example. TXT \"two\"\n", "two records");
  out.write("a.example. 300 IN A 192.0.2.1\n", "not TXT");
  out.write("a.example. TXT ( \"open\"\n", "unbalanced parenthesis");
  out.write("a.example. TXT \"\\256\"\n", "\\DDD above 255");
  out.write("a.example. TXT \"" + std::string(256, 'A') + "\"\n", "string over 255 bytes");
  out.write("update add cluster.mesh.example.com. 300 TXT \"" + boot + "\"\n", "nsupdate line");
  out.write("$ORIGIN example.\ncluster TXT \"x\"\n", "$ORIGIN");
  out.write("empty.example. TXT \"\"\n", "empty character-string");
  out.write("tabs.example.\t60\tin\ttxt\t\"a\"\t\"b\"\r\n", "tabs, lower case, CRLF");
  out.write("nl.example. TXT \"line\\010break\" \"x\\;y\"\n", "escaped newline inside quotes");
  out.write("bare.example. TXT abc d\\ ef\n", "unquoted character-strings");
  out.write("ttl.example. 4294967295 TXT \"x\"\n", "TTL above 2^31-1");
  out.write("Cluster.Mesh.Example.COM 0 TXT \"" + six + "\"\n", "one 633-byte string");
  // What the record reader takes besides one zone line (parse_txt_records).
  out.write(
      "; <<>> DiG 9.18.24 <<>> cluster.mesh.example.com TXT +dnssec\n;; ANSWER SECTION:\n"
      "cluster.mesh.example.com. 300 IN TXT \"google-site-verification=abc\"\n"
      "cluster.mesh.example.com. 300 IN TXT " +
          pieces +
          "\n"
          "cluster.mesh.example.com. 300 IN RRSIG TXT 13 4 300 20301231000000 "
          "20300101000000 12345 mesh.example.com. c2ln\n;; MSG SIZE  rcvd: 900\n",
      "dig output: another TXT, an RRSIG, comments");
  out.write("\"spf1\"\n" + pieces + "\n", "dig +short: two records, no owner");
  out.write(pieces + " bare\n", "dig +short line with a bare word after the strings");
  out.write("_dmp.example.org. TXT \"" + boot + "\"\n_dmp.example.org. TXT \"" + boot + "\"\n",
            "two DMP records");
}

// ---- Recipes for fuzz_roundtrip (the writing side of its read_recipe) -------

class RecipeWriter {
 public:
  // Integers are read off the end of the input, most significant byte first.
  template <typename T>
  void integral(std::uint64_t value, std::uint64_t min, std::uint64_t max) {
    const std::uint64_t range = max - min, v = value - min;
    std::size_t bytes = 0;
    while (bytes * 8 < sizeof(T) * 8 && (range >> (bytes * 8)) > 0)
      ++bytes;
    dmp::encoding::write_be(back_, v, bytes);
  }
  template <typename T>
  void integral(std::uint64_t value) {
    integral<T>(value, 0, static_cast<std::uint64_t>(static_cast<T>(~T{})));
  }
  // Strings are read off the front: '\\' doubled, "\\" + other byte ends one.
  void string(std::string_view text, std::size_t max) {
    for (char c : text) {
      front_.push_back(static_cast<std::uint8_t>(c));
      if (c == '\\') front_.push_back('\\');
    }
    if (text.size() < max) front_.insert(front_.end(), {'\\', 'E'});
  }
  Bytes bytes() const {
    Bytes out = front_;
    out.insert(out.end(), back_.rbegin(), back_.rend());
    return out;
  }

  // The recipe grammar of fuzz_roundtrip.cpp's read_recipe().
  void header(bool bootstrap, bool foreign, int probe, std::uint64_t seq, std::uint64_t exp,
              std::uint64_t ahead, bool tamper = false) {
    integral<std::uint8_t>((bootstrap ? 1 : 0) | (foreign ? 6 : 0) | (probe << 3) |
                           (tamper ? 32 : 0));
    integral<std::uint64_t>(seq);
    integral<std::uint64_t>(exp);
    integral<std::uint64_t>(ahead, 0, dmp::kMaxExpAhead);
  }
  void name(std::string_view raw) {
    integral<std::uint8_t>(0, 0, 3);
    string(raw, 72);
  }
  void name_labels(const std::vector<int>& labels, int suffix) {  // label_pool() indices
    integral<std::uint8_t>(1, 0, 3);
    integral<std::uint8_t>(labels.size(), 1, 4);
    for (int label : labels)
      integral<std::size_t>(label, 0, 21);
    integral<std::uint8_t>(suffix, 0, 3);
  }
  void text(std::string_view raw, std::size_t max) {
    integral<std::uint8_t>(0, 0, 2);
    string(raw, max);
  }
  void text_pool(int index) {  // text_pool() index
    integral<std::uint8_t>(1, 0, 2);
    integral<std::size_t>(index, 0, 15);
  }
  void text_x(int count) {
    integral<std::uint8_t>(2, 0, 2);
    integral<std::uint8_t>(count, 0, 140);
  }

 private:
  Bytes front_, back_;
};

constexpr std::uint64_t kYear = 365 * 86'400;

void recipe_seed(SeedWriter& out, const RecipeWriter& recipe, const dmp::Record& expected,
                 std::string_view note) {
  const Bytes bytes = recipe.bytes();
  if (!(dmp::fuzz::recipe_record(bytes) == expected)) {
    die("recipe seed '" + std::string(note) + "' does not read back as the intended record");
  }
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());  // aborts on a broken invariant
  auto encoded = dmp::encode_body(expected);
  std::string verdict = encoded ? "encodes" : dmp::reason_name(encoded.error().reason);
  if (encoded) {
    auto wire = dmp::assemble_wire(dmp::type_of(expected), *encoded, dmp::Signature{});
    verdict += wire ? ", " + std::to_string(wire->size()) + "-byte wire" : ", wire too_long";
  }
  out.write(bytes, std::string(note) + " [" + verdict + "]");
}

struct NodeSpec {
  enum Kind { raw, pool, xs } kind;
  std::string text;
  int n = 0;  // pool index or count of 'x'
};
NodeSpec raw(std::string text) {
  return {NodeSpec::raw, std::move(text)};
}
NodeSpec xs(int n) {
  return {NodeSpec::xs, std::string(static_cast<std::size_t>(n), 'x'), n};
}
NodeSpec pooled(int index, std::string text) {
  return {NodeSpec::pool, std::move(text), index};
}

void put_text(RecipeWriter& w, const NodeSpec& spec, std::size_t max) {
  switch (spec.kind) {
    case NodeSpec::raw:
      w.text(spec.text, max);
      break;
    case NodeSpec::pool:
      w.text_pool(spec.n);
      break;
    case NodeSpec::xs:
      w.text_x(spec.n);
      break;
  }
}

struct ClusterSpec {
  std::string name;  // raw name unless labels given
  std::vector<int> labels;
  int suffix = 0;
  std::vector<std::array<NodeSpec, 2>> nodes;
  std::vector<std::optional<NodeSpec>> dns;
  bool foreign = false;
  bool tamper = false;
  int probe = 0;
  std::uint64_t exp = 2'051'222'400, ahead = kYear;
};

void cluster_recipe(SeedWriter& out, const ClusterSpec& spec, std::string_view expected_name,
                    std::string_view note) {
  RecipeWriter w;
  w.header(false, spec.foreign, spec.probe, 1, spec.exp, spec.ahead, spec.tamper);
  dmp::ClusterManifest m;
  m.seq = 1;
  m.exp = spec.exp;
  m.operator_spk = signer().public_key;
  if (spec.foreign) {
    w.integral<std::uint8_t>(0x42);
    for (std::size_t i = 0; i < m.operator_spk.size(); ++i) {
      m.operator_spk[i] = static_cast<std::uint8_t>(0x42 + i);
    }
  }
  if (spec.labels.empty()) {
    w.name(spec.name);
  } else {
    w.name_labels(spec.labels, spec.suffix);
  }
  m.cluster_name = expected_name;
  w.integral<std::uint8_t>(spec.nodes.size(), 0, dmp::kMaxNodes + 2);
  for (std::size_t i = 0; i < spec.nodes.size(); ++i) {
    put_text(w, spec.nodes[i][0], 20);
    put_text(w, spec.nodes[i][1], 140);
    const auto& dns = i < spec.dns.size() ? spec.dns[i] : std::nullopt;
    w.integral<std::uint8_t>(dns ? 1 : 0);
    if (dns) put_text(w, *dns, 70);
    m.nodes.push_back({spec.nodes[i][0].text, spec.nodes[i][1].text,
                       dns ? std::optional<std::string>(dns->text) : std::nullopt});
  }
  recipe_seed(out, w, m, note);
}

struct EntrySpec {
  std::uint16_t priority;
  std::string base;
  std::uint8_t key_byte;
};

void bootstrap_recipe(SeedWriter& out, std::string_view domain,
                      const std::vector<EntrySpec>& entries, int probe, std::string_view note,
                      bool tamper = false) {
  RecipeWriter w;
  w.header(true, false, probe, 3, 2'051'222'400, 4 * kYear, tamper);
  dmp::BootstrapRecord r;
  r.seq = 3;
  r.exp = 2'051'222'400;
  r.signer_spk = signer().public_key;
  w.name(domain);
  r.user_domain = domain;
  w.integral<std::uint8_t>(entries.size(), 0, dmp::kMaxEntries + 1);
  for (const auto& e : entries) {
    w.integral<std::uint16_t>(e.priority);
    w.name(e.base);
    w.integral<std::uint8_t>(e.key_byte);
    dmp::BootstrapEntry entry{e.priority, e.base, {}};
    for (std::size_t i = 0; i < entry.operator_spk.size(); ++i) {
      entry.operator_spk[i] = static_cast<std::uint8_t>(e.key_byte + i);
    }
    r.entries.push_back(entry);
  }
  recipe_seed(out, w, r, note);
}

void write_roundtrip_seeds(const fs::path& root) {
  SeedWriter out(root, "fuzz_roundtrip");
  enum { none, expired, too_far, at_ceiling };

  ClusterSpec six;
  six.name = "mesh.example.com";
  for (int i = 1; i <= 6; ++i) {
    const std::string n = std::to_string(i);
    six.nodes.push_back({raw("n0" + n), raw("https://n" + n + ".mesh.example.com:8053")});
    six.dns.push_back(raw("203.0.113." + n + ":53"));
  }
  six.tamper = true;
  cluster_recipe(out, six, "mesh.example.com", "cluster, 6 nodes, tamper probe");
  six.tamper = false;

  ClusterSpec one;
  one.name = "mesh.example.com.";
  one.nodes.push_back({raw("n01"), raw("https://n1.example.com:8053")});
  one.probe = expired;
  cluster_recipe(out, one, "mesh.example.com.", "cluster, 1 node, trailing dot, expired probe");

  ClusterSpec many;
  many.name = "a";
  for (int i = 0; i < 32; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "n%02d", i);
    many.nodes.push_back({raw(id), raw(std::string("http://") + id)});
  }
  many.probe = at_ceiling;
  cluster_recipe(out, many, "a", "cluster, 32 nodes, 5-year ceiling probe");

  ClusterSpec widest;
  widest.name = std::string(60, 'x') + ".com";
  widest.nodes.push_back({xs(16), xs(128)});
  widest.dns.push_back(xs(64));
  widest.probe = too_far;
  cluster_recipe(out, widest, widest.name, "cluster, every field at its maximum length");

  ClusterSpec long_id = one;
  long_id.name = "mesh.example.com";
  long_id.nodes = {{xs(17), raw("http://a")}};
  cluster_recipe(out, long_id, "mesh.example.com", "cluster, 17-byte node_id");

  ClusterSpec dup = one;
  dup.name = "mesh.example.com";
  dup.nodes = {{pooled(0, "n01"), raw("http://a")},
               {raw("n01"), raw("http://b")},
               {pooled(2, "N01"), raw("http://c")}};
  cluster_recipe(out, dup, "mesh.example.com", "cluster, duplicate node_id");

  ClusterSpec empty_dns = one;
  empty_dns.name = "mesh.example.com";
  empty_dns.dns = {pooled(6, "")};
  cluster_recipe(out, empty_dns, "mesh.example.com", "cluster, empty dns_endpoint");

  ClusterSpec bad_utf8 = one;
  bad_utf8.name = "mesh.example.com";
  bad_utf8.nodes = {{raw("n1"), pooled(11, "\xf0\x9f\x98\x80")}, {raw("n2"), raw("http://b")}};
  bad_utf8.dns = {std::nullopt, pooled(14, "\xed\xa0\x80")};
  cluster_recipe(out, bad_utf8, "mesh.example.com", "cluster, emoji endpoint, surrogate dns");

  ClusterSpec no_nodes = one;
  no_nodes.nodes.clear();
  cluster_recipe(out, no_nodes, "mesh.example.com.", "cluster, zero nodes");

  ClusterSpec too_many = many;
  too_many.nodes.push_back({raw("n32"), raw("http://n32")});
  cluster_recipe(out, too_many, "a", "cluster, 33 nodes");

  ClusterSpec labels = six;
  labels.labels = {0, 1, 2};  // mesh.example.com
  labels.suffix = 2;          // trailing dot
  labels.foreign = true;
  cluster_recipe(out, labels, "mesh.example.com.", "cluster, pooled labels, foreign key");

  ClusterSpec big = six;
  for (auto& node : big.nodes)
    node[1] = xs(128);
  big.nodes.resize(5);
  cluster_recipe(out, big, "mesh.example.com", "cluster, wire over 1200 bytes");

  ClusterSpec bad_name = one;
  bad_name.labels = {17, 1};  // "a_b.example"
  cluster_recipe(out, bad_name, "a_b.example", "cluster, underscore label");

  bootstrap_recipe(
      out, "example.org",
      {{20, "far.example.org", 3}, {10, "mesh.example.com", 1}, {10, "backup.example.net.", 2}},
      too_far, "bootstrap, 3 entries unsorted with a tie, tamper probe", true);
  std::vector<EntrySpec> sixteen;
  for (int i = 0; i < 16; ++i) {
    sixteen.push_back({static_cast<std::uint16_t>(15 - i), "c" + std::to_string(i) + ".net",
                       static_cast<std::uint8_t>(i)});
  }
  bootstrap_recipe(out, "Example.ORG", sixteen, at_ceiling, "bootstrap, 16 entries");
  std::vector<EntrySpec> seventeen = sixteen;
  seventeen.push_back({99, "c99.net", 99});
  bootstrap_recipe(out, "example.org", seventeen, none, "bootstrap, 17 entries");
  bootstrap_recipe(out, "example.org", {{10, "Mesh.net", 1}, {10, "mesh.NET.", 2}}, none,
                   "bootstrap, duplicate (priority, domain)");
  bootstrap_recipe(out, "example.org", {}, none, "bootstrap, zero entries");
  bootstrap_recipe(out, "_dmp.example.org", {{1, "mesh.example.com", 1}}, none,
                   "bootstrap, underscore in user_domain");
  bootstrap_recipe(out, "example.org..", {{1, "mesh.example.com", 1}}, none,
                   "bootstrap, user_domain ends with '..'");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_ROOT   (e.g. tests/fuzz/corpus)\n", argv[0]);
    return 2;
  }
  if (sodium_init() < 0) die("libsodium failed to initialise");
  const fs::path root(argv[1]);
  write_wire_verify_seeds(root);
  write_zone_seeds(root);
  write_roundtrip_seeds(root);
  return 0;
}
