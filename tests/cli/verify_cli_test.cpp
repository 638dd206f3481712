// dmp-verify end to end: the real binary in a temporary directory, with wires
// signed here by test keys. One test per rule of the command.
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_test_support.hpp"
#include "dmp/zone.hpp"

namespace dmp::test {
namespace {

const std::string kNowText = std::to_string(kNow);

class VerifyCli : public ::testing::Test {
 protected:
  TempDir dir;
  const TestKey key_a = key_for_label("dmp-verify-tests/a");
  const TestKey key_b = key_for_label("dmp-verify-tests/b");
  const TestKey key_c = key_for_label("dmp-verify-tests/c");
  const std::string hex_a = encoding::hex_encode(key_a.public_key);
  const std::string hex_b = encoding::hex_encode(key_b.public_key);
  const std::string hex_c = encoding::hex_encode(key_c.public_key);

  std::string write(const std::string& name, const std::string& content) {
    return dir.write(name, content).string();
  }
  // dmp-verify --pubkey <key A> --now kNow <args...>
  ProcessResult run_a(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"--pubkey", hex_a, "--now", kNowText});
    return run_verify(args, input);
  }
};

std::string reason_of(const std::string& json_line) {
  const auto object = nlohmann::json::parse(json_line);
  return object["reason"].is_null() ? "" : object["reason"].get<std::string>();
}

// ---- plain output, keys ----------------------------------------------------

TEST_F(VerifyCli, ValidLineShowsTypeRrsetSeqAndExpiry) {
  const auto file = write("m.wire", cluster_wire(key_a, "mesh.example.com", 9, kNow + 10 * kDay));
  auto result = run_a({file});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, file + ": valid cluster cluster.mesh.example.com seq=9 exp=" +
                            "2030-03-27T17:46:40Z (in 10 days)\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(VerifyCli, BootstrapRecordIsDispatchedByPrefix) {
  const auto file = write("b.wire", bootstrap_wire(key_a, "example.com", key_b.public_key, 3));
  auto result = run_a({"--json", file});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto object = nlohmann::json::parse(result.out);
  EXPECT_EQ(object["type"], "bootstrap");
  EXPECT_EQ(object["rrset"], "_dmp.example.com");
  EXPECT_EQ(object["seq"], "3");
  ASSERT_EQ(object["entries"].size(), 2u);
  EXPECT_EQ(object["entries"][0]["priority"], 10);  // sorted by priority
  EXPECT_EQ(object["entries"][0]["cluster_base_domain"], "mesh.example.com");
  EXPECT_EQ(object["entries"][0]["operator_spk_hex"], hex_b);
  EXPECT_TRUE(object["nodes"].is_null());
}

TEST_F(VerifyCli, WrongKeyIsBadSignature) {
  const auto file = write("m.wire", cluster_wire(key_b, "mesh.example.com"));
  auto result = run_a({file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, file +
                            ": invalid bad_signature: signature: does not verify under the "
                            "pinned key\n");
}

TEST_F(VerifyCli, UpperCaseKeyHexIsAccepted) {
  std::string upper = hex_a;
  for (char& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto file = write("m.wire", cluster_wire(key_a, "mesh.example.com"));
  auto result = run_verify({"--pubkey", upper, "--now", kNowText, file});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(VerifyCli, NowAsRfc3339) {
  const auto file = write("m.wire", cluster_wire(key_a, "mesh.example.com", 1, kNow));
  // kNow is 2030-03-17T17:46:40Z; exp == now is still valid, one second later is not.
  EXPECT_EQ(run_verify({"--pubkey", hex_a, "--now", "2030-03-17T17:46:40Z", file}).exit_code, 0);
  EXPECT_EQ(run_verify({"--pubkey", hex_a, "--now", "2030-03-17T18:46:40+01:00", file}).exit_code,
            0);
  auto late = run_verify({"--pubkey", hex_a, "--now", "2030-03-17T17:46:41Z", file});
  EXPECT_EQ(late.exit_code, 1);
  EXPECT_EQ(late.out.rfind(file + ": invalid expired: ", 0), 0u) << late.out;
}

TEST_F(VerifyCli, DefaultClockIsUsedWhenNowIsAbsent) {
  // Against the real clock (years before kNow) an exp 6 years after kNow is
  // far past the 5-year ceiling, and exp 100 is long expired.
  const auto far =
      write("far.wire", cluster_wire(key_a, "mesh.example.com", 1, kNow + 6 * 365 * kDay));
  const auto old = write("old.wire", cluster_wire(key_a, "mesh.example.com", 1, 100));
  auto result = run_verify({"--pubkey", hex_a, "--json", far, old});
  EXPECT_EQ(result.exit_code, 1);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(reason_of(lines[0]), "expiry_too_far");
  EXPECT_EQ(reason_of(lines[1]), "expired");
}

TEST_F(VerifyCli, StrictRefusesNonCanonicalBase64) {
  std::string wire = cluster_wire(key_a, "mesh.example.com");
  // Two encodings the reference accepts (spec §1.4) and --strict does not:
  // surplus '=' after a complete quantum, or non-zero unused bits before '='.
  const std::size_t pad = wire.find('=', wire_prefix(RecordType::cluster).size());
  if (pad == std::string::npos) {
    wire += "=";
  } else {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::size_t sextet = kAlphabet.find(wire[pad - 1]);
    ASSERT_EQ(sextet & 1, 0u) << "canonical base64 has zero unused bits";
    wire[pad - 1] = kAlphabet[sextet | 1];
  }
  const auto file = write("m.wire", wire);
  EXPECT_EQ(run_a({file}).exit_code, 0);
  auto strict = run_a({"--strict", "--json", file});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(reason_of(strict.out), "non_canonical");
}

// ---- --name ---------------------------------------------------------------

TEST_F(VerifyCli, NameMatchIsCaseInsensitiveWithOptionalTrailingDot) {
  const auto file = write("m.wire", cluster_wire(key_a, "mesh.example.com"));
  for (const char* name : {"mesh.example.com", "MESH.Example.COM", "mesh.example.com."}) {
    auto result = run_a({"--name", name, file});
    EXPECT_EQ(result.exit_code, 0) << name << ": " << result.out;
  }
  auto other = run_a({"--name", "other.example.com", "--json", file});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_EQ(reason_of(other.out), "name_mismatch");
  auto longer = run_a({"--name", "sub.mesh.example.com", file});
  EXPECT_EQ(longer.exit_code, 1);
  EXPECT_NE(longer.out.find("invalid name_mismatch: "), std::string::npos);
}

TEST_F(VerifyCli, InvalidNameIsAUsageError) {
  const auto file = write("m.wire", cluster_wire(key_a, "mesh.example.com"));
  for (const char* name : {"", "a..b", "mesh.example.com..", "_dmp.example.com", "bad name"}) {
    auto result = run_a({"--name", name, file});
    EXPECT_EQ(result.exit_code, 2) << '"' << name << '"';
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err.rfind("dmp-verify: --name: ", 0), 0u) << result.err;
  }
}

// ---- zone-file input --------------------------------------------------------

TEST_F(VerifyCli, ZoneLineWithSplitStrings) {
  const std::string wire = cluster_wire(key_a, "mesh.example.com");
  ASSERT_GT(wire.size(), 255u);  // two nodes: more than one character-string
  const auto file =
      write("m.zone", "cluster.mesh.example.com. 3600 IN TXT " + quote_txt_strings(wire) + "\n");
  auto result = run_a({file});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(result.out.rfind(file + ": valid cluster cluster.mesh.example.com ", 0), 0u);

  // Where the split falls has no meaning.
  std::string odd_zone = "cluster.mesh.example.com TXT \"" + wire.substr(0, 5) + "\"";
  for (std::size_t pos = 5; pos < wire.size(); pos += 200) {
    odd_zone += " \"" + wire.substr(pos, 200) + "\"";
  }
  const auto odd = write("odd.zone", odd_zone);
  EXPECT_EQ(run_a({odd}).exit_code, 0);
}

TEST_F(VerifyCli, ZoneRecordInParenthesisedForm) {
  const std::string wire = bootstrap_wire(key_a, "example.com", key_b.public_key);
  std::string zone = "; bootstrap record\n$TTL 300\n_dmp.Example.COM. IN TXT (\n";
  for (const auto& piece : split_txt_strings(wire))
    zone += "    \"" + piece + "\"  ; piece\n";
  zone += ")\n";
  auto result = run_a({"--json", write("b.zone", zone)});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(nlohmann::json::parse(result.out)["rrset"], "_dmp.example.com");
}

TEST_F(VerifyCli, ZoneOwnerMustBeTheRrsetName) {
  const std::string wire = cluster_wire(key_a, "mesh.example.com");
  const auto cases = std::vector<std::string>{
      "mesh.example.com.",           // the cluster name without "cluster."
      "cluster.other.example.com.",  // another cluster
      "_dmp.mesh.example.com.",      // the bootstrap owner
      "@",                           // relative names cannot be resolved here
      "cluster.mesh.example.",       // a label prefix of the rrset name
      "cluster.",                    // its first label alone
  };
  for (const auto& owner : cases) {
    const auto file = write("z.zone", owner + " TXT " + quote_txt_strings(wire) + "\n");
    auto result = run_a({file});
    EXPECT_EQ(result.exit_code, 1) << owner;
    EXPECT_EQ(result.out, file + ": invalid owner_mismatch: owner: zone owner '" + owner +
                              "' is not the record's rrset 'cluster.mesh.example.com'\n");
  }
}

TEST_F(VerifyCli, BrokenZoneTextIsBadZone) {
  const std::string wire = cluster_wire(key_a, "mesh.example.com");
  const std::vector<std::string> zones = {
      "",
      "cluster.mesh.example.com. TXT \"" + wire.substr(0, 100),  // unterminated
      "cluster.mesh.example.com. TXT ( \"" + wire.substr(0, 100) + "\"",
      "cluster.mesh.example.com. A 192.0.2.1",
      "cluster.mesh.example.com. TXT \"" + wire.substr(0, 256) + "\"",  // string > 255
      "a TXT \"x\"\nb TXT \"y\"",
      " " + wire,  // a wire with leading whitespace is not a wire
  };
  for (const auto& zone : zones) {
    auto result = run_a({"--json", write("z", zone)});
    EXPECT_EQ(result.exit_code, 1) << zone;
    EXPECT_EQ(reason_of(result.out), "bad_zone") << zone;
  }
}

TEST_F(VerifyCli, ZoneTextThatIsNotARecordWireIsBadPrefix) {
  auto result = run_a({"--json", write("z", "cluster.mesh.example.com. TXT \"hello\"\n")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(reason_of(result.out), "bad_prefix");
}

// ---- bare-wire whitespace -------------------------------------------------

TEST_F(VerifyCli, OneTrailingNewlineIsAcceptedAnythingElseIsNot) {
  const std::string wire = cluster_wire(key_a, "mesh.example.com");
  EXPECT_EQ(run_a({write("lf", wire + "\n")}).exit_code, 0);
  for (const std::string& bad : {wire + "\r\n", wire + "\n\n", wire + " ", wire + "\r"}) {
    auto result = run_a({"--json", write("bad", bad)});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(reason_of(result.out), "bad_base64");
  }
}

// ---- standard input ----------------------------------------------------------

TEST_F(VerifyCli, StandardInput) {
  const std::string wire = cluster_wire(key_a, "mesh.example.com");
  auto result = run_a({"-"}, wire + "\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("-: valid cluster ", 0), 0u) << result.out;

  auto zone = run_a({"-"}, "cluster.mesh.example.com. TXT " + quote_txt_strings(wire));
  EXPECT_EQ(zone.exit_code, 0);

  auto mixed = run_a({"--json", write("b", cluster_wire(key_b, "x.example")), "-"}, wire);
  EXPECT_EQ(mixed.exit_code, 1);
  const auto lines = lines_of(mixed.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["file"], "-");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["verdict"], "valid");

  auto twice = run_a({"-", "-"});  // refused before anything is read
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err.rfind("dmp-verify: ", 0), 0u);
}

TEST_F(VerifyCli, EmptyStandardInputIsBadZone) {
  auto result = run_a({"--json", "-"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(reason_of(result.out), "bad_zone");
}

// ---- trust file -------------------------------------------------------------

TEST_F(VerifyCli, TrustFileWithSeveralRecords) {
  const auto trust = write("trust.txt",
                           "# release pins\n"
                           "cluster   mesh.example.com   " +
                               hex_a +
                               "\n"
                               "cluster   Other.Example.COM. " +
                               hex_b +
                               "\n"
                               "bootstrap example.com        " +
                               hex_c + "\n");
  const std::vector<std::string> files = {
      write("1", cluster_wire(key_a, "mesh.example.com")),
      write("2", cluster_wire(key_b, "other.example.com")),
      write("3", bootstrap_wire(key_c, "example.com", key_a.public_key)),
      write("4", "cluster.other.example.com. TXT " +
                     quote_txt_strings(cluster_wire(key_b, "other.example.com"))),
  };
  std::vector<std::string> args = {"--trust", trust, "--now", kNowText, "--json"};
  args.insert(args.end(), files.begin(), files.end());
  auto result = run_verify(args);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), files.size());
  EXPECT_EQ(nlohmann::json::parse(lines[0])["signing_key_hex"], hex_a);
  EXPECT_EQ(nlohmann::json::parse(lines[1])["signing_key_hex"], hex_b);
  EXPECT_EQ(nlohmann::json::parse(lines[2])["signing_key_hex"], hex_c);
  EXPECT_EQ(nlohmann::json::parse(lines[2])["type"], "bootstrap");
}

TEST_F(VerifyCli, TrustFilePicksKeyByTypeAndName) {
  const auto trust = write("trust.txt", "cluster mesh.example.com " + hex_a +
                                            "\n"
                                            "bootstrap example.com " +
                                            hex_c + "\n");
  const auto run_trust = [&](const std::string& wire) {
    return run_verify({"--trust", trust, "--now", kNowText, "--json", write("w", wire)});
  };
  // A name nobody pinned.
  auto unpinned = run_trust(cluster_wire(key_b, "evil.example.com"));
  EXPECT_EQ(unpinned.exit_code, 1);
  EXPECT_EQ(reason_of(unpinned.out), "no_trusted_key");
  EXPECT_NE(nlohmann::json::parse(unpinned.out)["message"].get<std::string>().find(
                "no cluster key pinned for 'evil.example.com' in " + trust),
            std::string::npos);
  // A pinned name signed by someone else: the pin for that name is used.
  auto forged = run_trust(cluster_wire(key_b, "mesh.example.com"));
  EXPECT_EQ(forged.exit_code, 1);
  EXPECT_EQ(reason_of(forged.out), "bad_signature");
  // The bootstrap pin for example.com is not a cluster pin for it.
  auto wrong_role = run_trust(cluster_wire(key_c, "example.com"));
  EXPECT_EQ(wrong_role.exit_code, 1);
  EXPECT_EQ(reason_of(wrong_role.out), "no_trusted_key");
  // An unverifiable wire cannot even name its key.
  auto garbage = run_trust("v=dmp1;t=cluster;@@@");
  EXPECT_EQ(reason_of(garbage.out), "bad_base64");
  auto unknown = run_trust("v=dmp1;t=heartbeat;AAAA");
  EXPECT_EQ(reason_of(unknown.out), "bad_prefix");
  auto short_rotation = run_trust("v=dmp1;t=rotation;AAAA");
  EXPECT_EQ(reason_of(short_rotation.out), "too_short");
}

TEST_F(VerifyCli, TrustFileKeyRotationAcceptsAnyPinnedKey) {
  const auto trust = write("trust.txt", "cluster mesh.example.com " + hex_a +
                                            "\n"
                                            "cluster mesh.example.com " +
                                            hex_b + "\n");
  const auto old_key = write("old", cluster_wire(key_a, "mesh.example.com", 1));
  const auto new_key = write("new", cluster_wire(key_b, "mesh.example.com", 2));
  const auto outsider = write("out", cluster_wire(key_c, "mesh.example.com", 3));
  const auto expired = write("exp", cluster_wire(key_b, "mesh.example.com", 4, 100));
  auto result = run_verify(
      {"--trust", trust, "--now", kNowText, "--json", old_key, new_key, outsider, expired});
  EXPECT_EQ(result.exit_code, 1);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["verdict"], "valid");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["verdict"], "valid");
  EXPECT_EQ(reason_of(lines[2]), "bad_signature");
  // Key A fails the signature, key B signed it: its verdict (expired) is the one reported.
  EXPECT_EQ(reason_of(lines[3]), "expired");
}

TEST_F(VerifyCli, TrustFileWithNameOption) {
  const auto trust = write("trust.txt", "cluster mesh.example.com " + hex_a + "\n");
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  EXPECT_EQ(run_verify({"--trust", trust, "--now", kNowText, "--name", "MESH.example.com.", file})
                .exit_code,
            0);
  auto other = run_verify(
      {"--trust", trust, "--now", kNowText, "--json", "--name", "other.example.com", file});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_EQ(reason_of(other.out), "name_mismatch");
}

TEST_F(VerifyCli, BadTrustFileIsAUsageErrorNamingTheLine) {
  const auto trust = write("trust.txt", "cluster mesh.example.com " + hex_a +
                                            "\n"
                                            "cluster mesh.example.com\n");
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  auto result = run_verify({"--trust", trust, "--now", kNowText, file});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "dmp-verify: " + trust +
                            ":2: expected '<cluster|bootstrap> <name> <64-hex key>' (found 2 "
                            "fields) [usage]\n");
  auto missing = run_verify({"--trust", dir.path().string() + "/nope", "--now", kNowText, file});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope: cannot open: "), std::string::npos) << missing.err;
  auto empty = run_verify({"--trust", write("empty", ""), "--now", kNowText, file});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no pins"), std::string::npos);
}

// ---- --pubkey-file ------------------------------------------------------------

TEST_F(VerifyCli, PubkeyFileBareHexOrReferenceKeyFile) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  const auto bare = write("op.pub", "  " + hex_a + "\n");
  EXPECT_EQ(run_verify({"--pubkey-file", bare, "--now", kNowText, file}).exit_code, 0);
  const auto reference =
      write("operator-ed25519.hex",
            "# generated by generate-cluster-manifest.py\n# DEV ONLY\n#\n#\n#\n#\n"
            "operator_seed_hex=" +
                std::string(64, '0') +
                "\n"
                "operator_public_hex=" +
                hex_a + "\n");
  EXPECT_EQ(run_verify({"--pubkey-file", reference, "--now", kNowText, file}).exit_code, 0);
  const auto other = write("other.pub", hex_b);
  EXPECT_EQ(run_verify({"--pubkey-file", other, "--now", kNowText, file}).exit_code, 1);
}

TEST_F(VerifyCli, BadPubkeyFileIsAUsageError) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  const auto bad = write("bad.hex", "# key\noperator_public_hex=" + hex_a.substr(1) + "\n");
  auto result = run_verify({"--pubkey-file", bad, "--now", kNowText, file});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("dmp-verify: " + bad + ":2: operator_public_hex: ", 0), 0u)
      << result.err;
  auto missing = run_verify({"--pubkey-file", bad + ".missing", "--now", kNowText, file});
  EXPECT_EQ(missing.exit_code, 2);
  // A huge "key file" is refused without being read whole.
  auto huge = run_verify({"--pubkey-file", write("huge.pub", std::string(1024 * 1024 + 1, 'k')),
                          "--now", kNowText, file});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.err.find("not a key or trust file"), std::string::npos) << huge.err;
  // A device that never ends is not a file at all, and is refused unread.
  auto endless = run_verify({"--pubkey-file", "/dev/zero", "--now", kNowText, file});
  EXPECT_EQ(endless.exit_code, 2);
  EXPECT_NE(endless.err.find("/dev/zero: cannot open: a character device, not a regular file"),
            std::string::npos)
      << endless.err;
}

// ---- --min-seq, --warn-expiring, exit-code precedence --------------------------

TEST_F(VerifyCli, MinSeqRefusesRollback) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com", 5));
  EXPECT_EQ(run_a({"--min-seq", "5", file}).exit_code, 0);  // equal is fine
  EXPECT_EQ(run_a({"--min-seq", "0", file}).exit_code, 0);
  auto rollback = run_a({"--min-seq", "6", file});
  EXPECT_EQ(rollback.exit_code, 1);
  EXPECT_EQ(rollback.out,
            file + ": invalid seq_rollback: seq: 5 is below --min-seq 6 (rollback)\n");
  EXPECT_EQ(run_a({"--min-seq", "18446744073709551615", file}).exit_code, 1);
  for (const char* bad : {"-1", "five", "", "18446744073709551616"}) {
    auto result = run_a({"--min-seq", bad, file});
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_EQ(result.err.rfind("dmp-verify: --min-seq: ", 0), 0u) << result.err;
  }
}

TEST_F(VerifyCli, WarnExpiringGivesExitThree) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com", 1, kNow + 10 * kDay));
  EXPECT_EQ(run_a({"--warn-expiring", "10", file}).exit_code, 0);  // exactly 10 days left
  auto soon = run_a({"--warn-expiring", "11", file});
  EXPECT_EQ(soon.exit_code, 3);
  EXPECT_EQ(soon.out.rfind(file + ": expiring cluster cluster.mesh.example.com seq=1 ", 0), 0u)
      << soon.out;
  auto json = run_a({"--warn-expiring", "11", "--json", file});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_EQ(nlohmann::json::parse(json.out)["verdict"], "expiring");
  EXPECT_EQ(run_a({"--warn-expiring", "0", file}).exit_code, 0);
  EXPECT_EQ(run_a({"--warn-expiring", "36500", file}).exit_code, 3);  // the limit
  EXPECT_EQ(run_a({"--warn-expiring", "36501", file}).exit_code, 2);  // one past
  EXPECT_EQ(run_a({"--warn-expiring", "-1", file}).exit_code, 2);
}

TEST_F(VerifyCli, ExitCodePrecedenceInMixedBatches) {
  const auto valid = write("valid", cluster_wire(key_a, "mesh.example.com", 1, kNow + 100 * kDay));
  const auto expiring = write("soon", cluster_wire(key_a, "mesh.example.com", 1, kNow + kDay));
  const auto invalid = write("bad", cluster_wire(key_b, "mesh.example.com"));
  const auto missing = dir.path().string() + "/missing";
  const auto run = [&](std::vector<std::string> files) {
    files.insert(files.begin(), {"--warn-expiring", "30"});
    return run_a(files).exit_code;
  };
  EXPECT_EQ(run({valid}), 0);
  EXPECT_EQ(run({valid, expiring}), 3);
  EXPECT_EQ(run({expiring, invalid}), 1);
  EXPECT_EQ(run({invalid, valid, expiring}), 1);
  EXPECT_EQ(run({valid, missing}), 2);
  EXPECT_EQ(run({missing, invalid, expiring}), 2);
  EXPECT_EQ(run({expiring, invalid, missing, valid}), 2);
}

TEST_F(VerifyCli, MissingInputIsAnIoErrorButTheBatchGoesOn) {
  const auto valid = write("valid", cluster_wire(key_a, "mesh.example.com"));
  const auto missing = dir.path().string() + "/missing";
  auto plain = run_a({missing, valid});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_EQ(plain.err,
            "dmp-verify: " + missing + ": cannot open: No such file or directory [io_error]\n");
  EXPECT_EQ(plain.out.rfind(valid + ": valid ", 0), 0u) << plain.out;  // the other file still ran
  auto json = run_a({"--json", missing, valid});
  EXPECT_EQ(json.exit_code, 2);
  const auto lines = lines_of(json.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["verdict"], "error");
  EXPECT_EQ(reason_of(lines[0]), "io_error");
  // A directory opens but cannot be read.
  auto directory = run_a({"--json", dir.path().string()});
  EXPECT_EQ(directory.exit_code, 2);
  EXPECT_EQ(reason_of(directory.out), "io_error");
}

TEST_F(VerifyCli, OversizedInputIsTooLongWithoutReadingItAll) {
  auto big = run_a({"--json", write("big", std::string(64 * 1024 + 1, 'v'))});
  EXPECT_EQ(big.exit_code, 1);
  EXPECT_EQ(reason_of(big.out), "too_long");
  // A device would never end if read whole: it is not a regular file, and is
  // refused before a byte is read.
  auto endless = run_a({"--json", "/dev/zero"});
  EXPECT_EQ(endless.exit_code, 2);
  EXPECT_EQ(reason_of(endless.out), "io_error");
  // A pipe on standard input is still read up to the cap, then judged too long.
  auto piped = run_a({"--json", "-"}, std::string(64 * 1024 + 1, 'v'));
  EXPECT_EQ(piped.exit_code, 1);
  EXPECT_EQ(reason_of(piped.out), "too_long");
  // At the cap it is read, and judged on its content (here: a zone text over 16 KiB).
  auto at_cap = run_a({"--json", write("cap", std::string(64 * 1024, ' '))});
  EXPECT_EQ(reason_of(at_cap.out), "bad_zone");
  // A wire over 1200 bytes is the library's too_long.
  auto long_wire = run_a({"--json", write("long", "v=dmp1;t=cluster;" + std::string(1200, 'A'))});
  EXPECT_EQ(reason_of(long_wire.out), "too_long");
}

TEST_F(VerifyCli, QuietPrintsNothing) {
  const auto valid = write("valid", cluster_wire(key_a, "mesh.example.com"));
  const auto invalid = write("bad", cluster_wire(key_b, "mesh.example.com"));
  auto ok = run_a({"--quiet", valid});
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out + ok.err, "");
  auto bad = run_a({"--quiet", valid, invalid, dir.path().string() + "/missing"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out + bad.err, "");
}

TEST_F(VerifyCli, JsonQuietPrintsTheJsonLinesOnly) {
  const auto valid = write("valid", cluster_wire(key_a, "mesh.example.com"));
  const auto missing = dir.path().string() + "/missing";
  auto both = run_a({"--json", "--quiet", valid, missing});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err, "");  // the person's line about the missing file is dropped
  const auto lines = lines_of(both.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["verdict"], "valid");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["reason"], "io_error");
}

// Every JSON line has the same keys in the same order, whatever the verdict
// and the record type: null where a key does not apply.
TEST_F(VerifyCli, JsonLinesAllHaveTheSameKeys) {
  const std::vector<std::string> files{
      write("cluster", cluster_wire(key_a, "mesh.example.com", 9)),
      write("bootstrap", bootstrap_wire(key_a, "example.com", key_b.public_key, 3)),
      write("invalid", cluster_wire(key_b, "mesh.example.com")),
      write("zone", "not a zone line at all"),
      dir.path().string() + "/missing",
  };
  std::vector<std::string> args{"--json"};
  args.insert(args.end(), files.begin(), files.end());
  auto result = run_a(args);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), files.size()) << result.out;
  const std::vector<std::string> expected_keys{"file",
                                               "verdict",
                                               "reason",
                                               "message",
                                               "type",
                                               "draft",
                                               "rrset",
                                               "name",
                                               "seq",
                                               "exp",
                                               "ts",
                                               "signing_key_hex",
                                               "nodes",
                                               "entries",
                                               "subject_type",
                                               "old_spk_hex",
                                               "new_spk_hex",
                                               "revoked_spk_hex",
                                               "revocation_reason",
                                               "revocation_reason_code"};
  for (const std::string& line : lines) {
    const auto object = nlohmann::ordered_json::parse(line);
    std::vector<std::string> keys;
    for (const auto& item : object.items())
      keys.push_back(item.key());
    EXPECT_EQ(keys, expected_keys) << line;
  }
  const auto cluster = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(cluster["seq"], "9");
  EXPECT_TRUE(cluster["entries"].is_null());
  EXPECT_TRUE(cluster["ts"].is_null());
  const auto invalid = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(invalid["verdict"], "invalid");
  EXPECT_EQ(invalid["reason"], "bad_signature");
  EXPECT_TRUE(invalid["type"].is_null());
  EXPECT_TRUE(invalid["draft"].is_null());
  EXPECT_EQ(nlohmann::json::parse(lines[4])["verdict"], "error");
}

// ---- usage errors ---------------------------------------------------------------

TEST_F(VerifyCli, UsageErrors) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  const auto trust = write("trust.txt", "cluster mesh.example.com " + hex_a + "\n");
  const auto expect_usage = [](const ProcessResult& result, const std::string& fragment) {
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err.rfind("dmp-verify: ", 0), 0u) << result.err;
    EXPECT_EQ(lines_of(result.err).size(), 1u) << result.err;
    EXPECT_NE(result.err.find(fragment), std::string::npos) << result.err;
  };
  expect_usage(run_verify({"--now", kNowText, file}), "a pinned key is required");
  expect_usage(run_verify({"--pubkey", hex_a, "--trust", trust, file}), "only one of");
  expect_usage(run_verify({"--pubkey", hex_a, "--pubkey-file", trust, file}), "only one of");
  expect_usage(run_verify({"--pubkey", hex_a, "--pubkey", hex_a, file}), "--pubkey");
  expect_usage(run_verify({"--pubkey", hex_a.substr(1), file}), "--pubkey: ");
  expect_usage(run_verify({"--pubkey", "zz" + hex_a.substr(2), file}), "not a hex digit");
  expect_usage(run_verify({"--pubkey", std::string(64, '0'), file}), "low-order");
  expect_usage(run_verify({"--pubkey", hex_a}), "FILE is required");
  expect_usage(run_verify({"--pubkey", hex_a, "--now", "yesterday", file}), "--now: ");
  expect_usage(run_verify({"--pubkey", hex_a, "--now", "253402300800", file}), "--now: ");
  expect_usage(run_verify({"--pubkey", hex_a, "--frobnicate", file}), "--frobnicate");
  expect_usage(run_verify({"--pubkey", hex_a, "--now"}), "--now");
}

TEST_F(VerifyCli, HelpAndVersion) {
  auto help = run_verify({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* text : {"--pubkey", "--trust", "--warn-expiring", "EXIT STATUS",
                           "2 over 1 over 3 over 0", "owner_mismatch", "no_trusted_key"}) {
    EXPECT_NE(help.out.find(text), std::string::npos) << text;
  }
  auto version = run_verify({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("dmp-verify ", 0), 0u) << version.out;
}

// ---- batch mode ----------------------------------------------------------------

TEST_F(VerifyCli, BatchOfTwoThousandFilesInOneProcess) {
  constexpr int kFiles = 2000;
  constexpr int kBadIndex = 1234;
  const std::string cluster = cluster_wire(key_a, "mesh.example.com", 7);
  const std::string bootstrap = bootstrap_wire(key_a, "example.com", key_b.public_key, 8);
  std::vector<std::string> args = {"--pubkey", hex_a, "--now", kNowText};
  for (int i = 0; i < kFiles; ++i) {
    std::string content = i % 2 == 0 ? cluster : bootstrap;
    if (i == kBadIndex) content = cluster_wire(key_b, "mesh.example.com");
    args.push_back(write(std::string("f").append(std::to_string(i)), content));
  }
  auto result = run_verify(args);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kFiles));
  for (int i = 0; i < kFiles; ++i) {
    const std::string prefix = args[4 + static_cast<std::size_t>(i)] + ": ";
    ASSERT_EQ(lines[i].rfind(prefix, 0), 0u) << lines[i];  // input order kept
    const std::string expected = i == kBadIndex ? "invalid bad_signature: "
                                 : i % 2 == 0   ? "valid cluster "
                                                : "valid bootstrap ";
    ASSERT_EQ(lines[i].compare(prefix.size(), expected.size(), expected), 0) << lines[i];
  }
}

// -j: many threads, but the same lines in the same order on stdout and
// stderr, and the same exit code, as one thread; for every mix of verdicts.
TEST_F(VerifyCli, JobsKeepOrderOutputAndExitCodeOfOneThread) {
  const std::string valid = cluster_wire(key_a, "mesh.example.com", 7, kNow + 100 * kDay);
  const std::string expiring = cluster_wire(key_a, "mesh.example.com", 8, kNow + kDay);
  const std::string invalid = cluster_wire(key_b, "mesh.example.com");
  const std::string bootstrap = bootstrap_wire(key_a, "example.com", key_b.public_key, 8);
  std::vector<std::string> files;
  for (int i = 0; i < 300; ++i) {
    const std::string name = std::string("j").append(std::to_string(i));
    switch (i % 7) {
      case 0:
        files.push_back(write(name, valid));
        break;
      case 1:
        files.push_back(write(name, expiring));
        break;
      case 2:
        files.push_back(write(name, bootstrap));
        break;
      case 3:
        files.push_back(i % 2 ? write(name, invalid) : write(name, valid));
        break;
      case 4:
        files.push_back(dir.path().string() + "/missing-" + name);
        break;  // io_error
      case 5:
        files.push_back(write(name, "not a record"));
        break;
      default:
        files.push_back(write(name, valid.substr(0, valid.size() - 3)));
        break;
    }
  }
  const auto run_jobs = [&](const std::string& jobs, std::vector<std::string> batch, bool json) {
    std::vector<std::string> args = {"--warn-expiring", "30", "-j", jobs};
    if (json) args.push_back("--json");
    args.insert(args.end(), batch.begin(), batch.end());
    return run_a(args);
  };
  for (const bool json : {false, true}) {
    const auto one = run_jobs("1", files, json);
    EXPECT_EQ(one.exit_code, 2);
    ASSERT_EQ(lines_of(one.out).size(), json ? files.size() : files.size() - 43);
    for (const std::string jobs : {"2", "7", "64"}) {
      const auto many = run_jobs(jobs, files, json);
      EXPECT_EQ(many.exit_code, one.exit_code) << "-j " << jobs;
      EXPECT_EQ(many.out, one.out) << "-j " << jobs;
      EXPECT_EQ(many.err, one.err) << "-j " << jobs;
    }
  }
  // The exit code's precedence does not depend on which thread finished first.
  const std::vector<std::string> no_errors(files.begin(), files.begin() + 4);  // 0 1 2 3
  EXPECT_EQ(run_jobs("4", no_errors, false).exit_code, 1);
  EXPECT_EQ(run_jobs("4", {files[0], files[1], files[7]}, false).exit_code, 3);
  EXPECT_EQ(run_jobs("4", {files[0], files[2], files[7]}, false).exit_code, 0);
  // The default is the online cores: same answer as -j 1.
  auto by_default = run_a({"--warn-expiring", "30"});
  EXPECT_EQ(by_default.exit_code, 2);  // FILE is required
  std::vector<std::string> args = {"--warn-expiring", "30"};
  args.insert(args.end(), files.begin(), files.end());
  EXPECT_EQ(run_a(args).out, run_jobs("1", files, false).out);
}

TEST_F(VerifyCli, JobsMustBeOneToTwoHundredFiftySix) {
  const auto file = write("m", cluster_wire(key_a, "mesh.example.com"));
  for (const char* bad : {"0", "257", "two", "", "1.5"}) {
    auto result = run_a({"-j", bad, file});
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_EQ(result.out, "") << bad;
    EXPECT_NE(result.err.find("--jobs"), std::string::npos) << bad << ": " << result.err;
  }
  EXPECT_EQ(run_a({"--jobs", "256", file}).exit_code, 0);
}

}  // namespace
}  // namespace dmp::test
