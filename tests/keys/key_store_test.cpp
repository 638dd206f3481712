// Key files on disk, in process (signer/keyfile/key_store.hpp): write,
// load, unlock into a SeedKey, sign; process hardening; and the reference
// vectors' wires re-made with keys that went through a key file.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "common/hardening.hpp"
#include "common/private_file.hpp"
#include "dmp/codec.hpp"
#include "dmp/hsm/file_key.hpp"
#include "key_test_support.hpp"
#include "keyfile/key_file_crypto.hpp"
#include "keyfile/key_store.hpp"
#include "keyfile/seed_import.hpp"
#include "support/vectors.hpp"

namespace dmp::keyfile {
namespace {

using test::bytes_of;
using test::hex_encode;
using test::kPassphrase;

cli::PassphraseSource passphrase_file(const test::TempDir& dir,
                                      std::string_view passphrase = kPassphrase) {
  cli::PassphraseSource source;
  source.file = test::write_private(dir, "pass-" + std::to_string(passphrase.size()),
                                    std::string(passphrase) + "\n");
  return source;
}

hsm::SecretBuffer random_seed() {
  hsm::SecretBuffer seed(32);
  randombytes_buf(seed.data(), seed.size());
  return seed;
}

// --- Write, load, unlock -----------------------------------------------------

TEST(KeyStore, WriteThenUnlockGivesAKeyWhoseSignaturesVerify) {
  test::TempDir dir;
  const auto path = (dir.path() / "operator.key").string();
  const auto seed = random_seed();
  auto written = write_new_key_file(path, seed, passphrase_file(dir),
                                    kdf_params(KdfLevel::interactive), "unit test");
  ASSERT_TRUE(written) << written.error().message();
  EXPECT_EQ(test::mode_of(path), 0600u);

  auto key = unlock_key_file(path, passphrase_file(dir));
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ((*key)->public_key(), hsm::public_key_of_seed(seed));
  EXPECT_EQ((*key)->public_key(), written->public_key);
  EXPECT_TRUE((*key)->seed().equals(seed));

  const std::string message = "v=dmp1 body bytes";
  auto signature = (*key)->sign(bytes_of(message));
  ASSERT_TRUE(signature) << signature.error().message();
  EXPECT_EQ(crypto_sign_verify_detached(signature->data(),
                                        reinterpret_cast<const unsigned char*>(message.data()),
                                        message.size(), (*key)->public_key().data()),
            0);
  // A different message does not verify under that signature.
  const std::string other = "v=dmp1 body bytez";
  EXPECT_NE(crypto_sign_verify_detached(signature->data(),
                                        reinterpret_cast<const unsigned char*>(other.data()),
                                        other.size(), (*key)->public_key().data()),
            0);
}

TEST(KeyStore, DescribeNamesTheFileAndCommentButNoSecret) {
  test::TempDir dir;
  const auto path = (dir.path() / "operator.key").string();
  const auto seed = random_seed();
  ASSERT_TRUE(write_new_key_file(path, seed, passphrase_file(dir),
                                 kdf_params(KdfLevel::interactive), "prod 2026"));
  auto key = unlock_key_file(path, passphrase_file(dir));
  ASSERT_TRUE(key);
  const std::string description = (*key)->describe();
  EXPECT_NE(description.find(path), std::string::npos) << description;
  EXPECT_NE(description.find("prod 2026"), std::string::npos) << description;
  EXPECT_EQ(description.find(hex_encode(seed.span())), std::string::npos);
  EXPECT_EQ(description.find(std::string(kPassphrase)), std::string::npos);
}

TEST(KeyStore, WrongPassphraseNamesTheFile) {
  test::TempDir dir;
  const auto path = (dir.path() / "operator.key").string();
  ASSERT_TRUE(write_new_key_file(path, random_seed(), passphrase_file(dir),
                                 kdf_params(KdfLevel::interactive), ""));
  auto key = unlock_key_file(path, passphrase_file(dir, test::kOtherPassphrase));
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().reason, Reason::wrong_passphrase);
  EXPECT_EQ(key.error().message().rfind(path + ": ", 0), 0u) << key.error().message();
}

TEST(KeyStore, WriteRefusesAnExistingFileBeforeAskingForAPassphrase) {
  test::TempDir dir;
  const auto path = test::write_private(dir, "operator.key", "precious\n");
  // A passphrase source that would fail if it were read: the refusal must come first.
  cli::PassphraseSource unreadable;
  unreadable.file = (dir.path() / "no-such-passphrase-file").string();
  auto written =
      write_new_key_file(path, random_seed(), unreadable, kdf_params(KdfLevel::interactive), "");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().reason, Reason::already_exists);
  EXPECT_EQ(test::read_file(path), "precious\n");
}

TEST(KeyStore, LoadRefusesAReferenceKeyFileWithAnImportHint) {
  test::TempDir dir;
  const auto path = test::write_private(
      dir, "operator-ed25519.hex", test::reference_key_file(test::kCheckX, test::kCheckSpkX25519));
  auto loaded = load_key_file(path);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().reason, Reason::key_format);
  EXPECT_NE(loaded.error().message().find("dmp-sign import"), std::string::npos)
      << loaded.error().message();
  EXPECT_EQ(loaded.error().message().find(std::string(test::kCheckX)), std::string::npos);
}

TEST(KeyStore, LoadRefusesGroupReadableFiles) {
  test::TempDir dir;
  const auto path = (dir.path() / "operator.key").string();
  ASSERT_TRUE(write_new_key_file(path, random_seed(), passphrase_file(dir),
                                 kdf_params(KdfLevel::interactive), ""));
  for (const unsigned mode : {0640u, 0604u, 0644u, 0660u, 0700u, 0610u}) {
    std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode),
                                 std::filesystem::perm_options::replace);
    auto loaded = load_key_file(path);
    if (mode == 0700u) {
      EXPECT_TRUE(loaded) << "owner-only modes are private";
      continue;
    }
    ASSERT_FALSE(loaded) << std::oct << mode;
    EXPECT_EQ(loaded.error().reason, Reason::insecure_file);
    EXPECT_NE(loaded.error().message().find("chmod 600"), std::string::npos);
  }
}

// --- Private files -----------------------------------------------------------

TEST(PrivateFile, CreateIsExclusiveAndLeavesNoTemporaryFile) {
  test::TempDir dir;
  const auto path = (dir.path() / "secret").string();
  ASSERT_TRUE(cli::create_private_file(path, bytes_of("one")));
  EXPECT_EQ(test::mode_of(path), 0600u);
  auto again = cli::create_private_file(path, bytes_of("two"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().reason, Reason::already_exists);
  EXPECT_EQ(test::read_file(path), "one");
  EXPECT_EQ(test::sorted_entries(dir), std::vector<std::string>{"secret"});
}

TEST(PrivateFile, CreateRefusesADanglingSymlinkInTheWay) {
  test::TempDir dir;
  const auto target = dir.path() / "elsewhere";
  const auto path = dir.path() / "secret";
  std::filesystem::create_symlink(target, path);
  auto created = cli::create_private_file(path.string(), bytes_of("one"));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, Reason::already_exists);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(PrivateFile, ReplaceKeepsMode0600AndLeavesNoTemporaryFile) {
  test::TempDir dir;
  const auto path = (dir.path() / "secret").string();
  ASSERT_TRUE(cli::create_private_file(path, bytes_of("one")));
  ASSERT_TRUE(cli::replace_private_file(path, bytes_of("two")));
  EXPECT_EQ(test::read_file(path), "two");
  EXPECT_EQ(test::mode_of(path), 0600u);
  EXPECT_EQ(test::sorted_entries(dir), std::vector<std::string>{"secret"});
}

TEST(PrivateFile, SharedDirectoryRefused) {
  test::TempDir dir;
  const auto shared = dir.path() / "shared";
  std::filesystem::create_directory(shared);
  for (const auto perms :
       {std::filesystem::perms(0777), std::filesystem::perms(0770), std::filesystem::perms(0702)}) {
    std::filesystem::permissions(shared, perms, std::filesystem::perm_options::replace);
    auto created = cli::create_private_file((shared / "secret").string(), bytes_of("one"));
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().reason, Reason::insecure_file);
    EXPECT_TRUE(std::filesystem::is_empty(shared));
  }
}

TEST(PrivateFile, ReadRefusesSymlinksAndNonRegularFiles) {
  test::TempDir dir;
  const auto real = test::write_private(dir, "real", "data");
  std::filesystem::create_symlink(real, dir.path() / "link");
  auto via_link = cli::read_private_file((dir.path() / "link").string(), 100, "key file");
  ASSERT_FALSE(via_link);
  EXPECT_EQ(via_link.error().reason, Reason::insecure_file);
  auto directory = cli::read_private_file(dir.path().string(), 100, "key file");
  ASSERT_FALSE(directory);
  auto ok = cli::read_private_file(real, 100, "key file");
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::string(ok->data(), ok->data() + ok->size()), "data");
}

TEST(PrivateFile, ReadRefusesOversizedFiles) {
  test::TempDir dir;
  const auto path = test::write_private(dir, "big", std::string(101, 'a'));
  auto read = cli::read_private_file(path, 100, "key file");
  ASSERT_FALSE(read);
  auto exact = cli::read_private_file(test::write_private(dir, "fits", std::string(100, 'a')), 100,
                                      "key file");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->size(), 100u);
}

// --- Passphrase sources ------------------------------------------------------

TEST(Passphrase, FileGivesTheFirstLineWithoutItsLineEnding) {
  test::TempDir dir;
  for (const std::string& content :
       std::vector<std::string>{std::string(kPassphrase) + "\n", std::string(kPassphrase),
                                std::string(kPassphrase) + "\r\nsecond line\n"}) {
    cli::PassphraseSource source;
    source.file = test::write_private(dir, "p", content);
    auto read = cli::read_passphrase(source, "", cli::PassphrasePurpose::unlock);
    ASSERT_TRUE(read) << read.error().message();
    EXPECT_TRUE(read->equals(test::secret(kPassphrase)));
  }
}

TEST(Passphrase, FdReadsOneLineAtATime) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string input =
      std::string(kPassphrase) + "\n" + std::string(test::kOtherPassphrase) + "\r\n";
  ASSERT_EQ(::write(fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  ::close(fds[1]);
  cli::PassphraseSource source;
  source.fd = fds[0];
  auto first = cli::read_passphrase(source, "", cli::PassphrasePurpose::unlock);
  auto second = cli::read_passphrase(source, "", cli::PassphrasePurpose::unlock);
  auto third = cli::read_passphrase(source, "", cli::PassphrasePurpose::unlock);
  ::close(fds[0]);
  ASSERT_TRUE(first && second);
  EXPECT_TRUE(first->equals(test::secret(kPassphrase)));
  EXPECT_TRUE(second->equals(test::secret(test::kOtherPassphrase)));
  ASSERT_FALSE(third);  // EOF: an empty passphrase
  EXPECT_EQ(third.error().reason, Reason::weak_passphrase);
}

TEST(Passphrase, EmptyAndOverlongRefused) {
  test::TempDir dir;
  for (const std::string& content : std::vector<std::string>{
           std::string("\n"), std::string(), std::string("\r\n"), std::string(1025, 'p') + "\n"}) {
    cli::PassphraseSource source;
    source.file = test::write_private(dir, "p", content);
    auto read = cli::read_passphrase(source, "", cli::PassphrasePurpose::create);
    ASSERT_FALSE(read) << content.size();
    EXPECT_EQ(read.error().reason, Reason::weak_passphrase);
  }
  cli::PassphraseSource source;
  source.file = test::write_private(dir, "p", std::string(1024, 'p') + "\n");
  EXPECT_TRUE(cli::read_passphrase(source, "", cli::PassphrasePurpose::unlock));
}

// --- Process hardening -------------------------------------------------------

TEST(Hardening, NoCoreDumpsAndNotDumpable) {
  // In a child, so the test binary itself keeps its settings.
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    cli::harden_process();
    rlimit core{};
    int code = 0;
    if (::getrlimit(RLIMIT_CORE, &core) != 0) code |= 1;
    if (core.rlim_cur != 0) code |= 2;
    if (core.rlim_max != 0) code |= 4;
    if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) code |= 8;
    ::_exit(code);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status) & 2, 0) << "RLIMIT_CORE soft limit not 0";
  EXPECT_EQ(WEXITSTATUS(status) & 4, 0) << "RLIMIT_CORE hard limit not 0";
  EXPECT_EQ(WEXITSTATUS(status) & 8, 0) << "process still dumpable";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// --- The reference vectors, re-made with keys that went through key files ---

using test::key_from_hex;

Record record_from_inputs(const std::string& file, const nlohmann::json& in) {
  if (file == "cluster_manifest.json") {
    ClusterManifest m;
    m.cluster_name = in["cluster_name"];
    m.operator_spk = key_from_hex(in["operator_spk_hex"]);
    m.seq = in["seq"];
    m.exp = in["exp"];
    for (const auto& n : in["nodes"]) {
      ClusterNode node{n["node_id"], n["http_endpoint"], std::nullopt};
      if (n.contains("dns_endpoint") && !n["dns_endpoint"].is_null()) {
        node.dns_endpoint = n["dns_endpoint"].get<std::string>();
      }
      m.nodes.push_back(node);
    }
    return m;
  }
  BootstrapRecord b;
  b.user_domain = in["user_domain"];
  b.signer_spk = key_from_hex(in["signer_spk_hex"]);
  b.seq = in["seq"];
  b.exp = in["exp"];
  for (const auto& e : in["entries"]) {
    b.entries.push_back({e["priority"].get<std::uint16_t>(), e["cluster_base_domain"],
                         key_from_hex(e["operator_spk_hex"])});
  }
  return b;
}

std::string wire_with(hsm::SigningKey& key, const Record& record) {
  auto body = encode_body(record);
  if (!body) return "encode failed: " + body.error().message();
  auto signature = key.sign(*body);
  if (!signature) return "sign failed: " + signature.error().message();
  auto wire = assemble_wire(type_of(record), *body, *signature);
  if (!wire) return "assemble failed: " + wire.error().message();
  return *wire;
}

TEST(VectorWires, EveryCaseWithInputsIsRemadeByASeedKeyFromTheVectorSeed) {
  int checked = 0;
  for (const std::string& file :
       std::vector<std::string>{"cluster_manifest.json", "bootstrap_record.json"}) {
    DMP_LOAD_VECTORS_OR_SKIP(cases, file);
    const std::string seed_field =
        file == "cluster_manifest.json" ? "operator_seed_hex" : "signer_seed_hex";
    for (std::size_t i = 0; i < cases.size(); ++i) {
      if (!cases[i].contains("inputs")) continue;
      auto seed = parse_hex_seed(bytes_of(cases[i][seed_field].get<std::string>()), "seed");
      ASSERT_TRUE(seed);
      hsm::SeedKey key(to_ed25519_seed(std::move(*seed), SeedKind::x25519), "vector");
      EXPECT_EQ(wire_with(key, record_from_inputs(file, cases[i]["inputs"])),
                test::hex_to_text(cases[i]["expected_wire_hex"]))
          << file << " case " << i;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6);
}

TEST(VectorWires, KeyImportedFromTheReferenceKeyFileAndUnlockedRemakesTheWire) {
  DMP_LOAD_VECTORS_OR_SKIP(cases, "cluster_manifest.json");
  test::TempDir dir;
  // The generator's file -> import (seal into our format) -> unlock -> sign.
  auto reference = parse_reference_key_file(bytes_of(
      test::reference_key_file(cases[1]["operator_seed_hex"].get<std::string>(),
                               cases[1]["inputs"]["operator_spk_hex"].get<std::string>())));
  ASSERT_TRUE(reference) << reference.error().message();
  const auto path = (dir.path() / "operator.key").string();
  ASSERT_TRUE(write_new_key_file(path, reference->ed25519_seed, passphrase_file(dir),
                                 kdf_params(KdfLevel::interactive), "vectors/cluster/operator"));
  auto key = unlock_key_file(path, passphrase_file(dir));
  ASSERT_TRUE(key) << key.error().message();
  EXPECT_EQ(wire_with(**key, record_from_inputs("cluster_manifest.json", cases[1]["inputs"])),
            test::hex_to_text(cases[1]["expected_wire_hex"]));
}

}  // namespace
}  // namespace dmp::keyfile
