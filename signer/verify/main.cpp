// dmp-verify: verify DMP operator records offline against pinned keys.
// The edge of the program: CLI11 parses the command line into a
// VerifyRequest, run_verify does the work, and every exception (CLI11 reports
// parse errors by throwing) is caught here and turned into exit code 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "common/cli_conventions.hpp"
#include "dmp/build_info.hpp"
#include "output/terminal_text.hpp"
#include "verify/verify_command.hpp"

namespace {

constexpr const char* kFooter = R"(INPUT FILES
  Each FILE ('-' = standard input) holds a bare wire ("v=dmp1;t=cluster;..."
  or "v=dmp1;t=bootstrap;...", optionally followed by exactly one "\n"), a
  zone-file TXT record:  cluster.mesh.example.com. 3600 IN TXT "<piece>" "<piece>"
  (parenthesised multi-line form too), the output of `dig ... TXT`, or the
  output of `dig +short ... TXT`. The pieces are joined, and the owner (zone and
  dig lines) must be the record's rrset name: cluster.<cluster_name> or
  _dmp.<user_domain>. Other TXT records and other types (RRSIG) are passed
  over; an input holding several DMP records needs --record N.
  Files over 65536 bytes are invalid (too_long) and not read further.
  Put -- before file names that start with '-'.

TRUST FILE (--trust)
  One pin per line: <cluster|bootstrap> <name> <64-hex public key>
  '#' starts a comment; blank lines are ignored; names are compared without
  case or one trailing dot. Several keys for one name are allowed (rotation):
  a record is valid if any of them verifies it. The key is chosen by the
  record's type and (unverified) name, then the record is verified bound to
  that name.

PUBLIC-KEY FILE (--pubkey-file)
  The bare 64-hex key, or the reference generator's key=value file, from which
  only operator_public_hex= is read (the seed line is never decoded).

REASON CODES
  From the verifier: bad_prefix too_long bad_base64 too_short bad_key
  bad_signature malformed key_mismatch expired expiry_too_far name_mismatch
  non_canonical revocation_stale timestamp_in_future. From dmp-verify:
  owner_mismatch no_trusted_key seq_rollback bad_zone io_error.

ROTATION AND REVOCATION (DRAFT format, spec section 4)
  "v=dmp1;t=rotation;..." and "v=dmp1;t=revocation;..." wires are verified too.
  The pinned key is the OLD key of a rotation (the key you trust today) and
  the revoked key of a revocation; with --trust it is the "cluster" pin of a
  cluster-operator subject or the "bootstrap" pin of a bootstrap-signer one.
  Zone owners: rotate.cluster.<base> / rotate._dmp.<domain>. --name binds the
  subject; --min-seq and --warn-expiring apply to a rotation's seq and exp;
  --max-age SECONDS caps a revocation's age (none by default: revocations are
  permanent); a revocation dated more than 300 s after --now is invalid.

EXIT STATUS
  0  every file is valid
  1  at least one file is invalid
  2  usage error, or a file or key could not be read
  3  every file is valid, but at least one expires within --warn-expiring days
  When several apply: 2 over 1 over 3 over 0.)";

// Same shape as dmp-sign's --version, so a release check can compare them.
std::string version_text() {
  return std::string("dmp-verify ") + dmp::build_info::kVersion + " (commit " +
         dmp::build_info::kCommit + "; " + dmp::build_info::kOptions + ")";
}

// Records whether an option was given, so "--name ''" differs from no --name.
template <class Target>
CLI::Option* add_text_option(CLI::App& app, const std::string& flags, Target& target,
                             const std::string& help, const std::string& type_name) {
  return app
      .add_option_function<std::string>(
          flags, [&target](const std::string& value) { target = value; }, help)
      ->type_name(type_name);
}

int parse_and_run(int argc, char** argv) {
  dmp::cli::VerifyRequest request;
  CLI::App app{
      "Verify DMP operator records (cluster manifests and bootstrap records) against pinned "
      "Ed25519 keys, offline. One line per FILE.",
      "dmp-verify"};
  app.footer(kFooter);
  app.set_version_flag("--version", version_text());
  app.add_option("FILE", request.files, "Record files to verify; '-' reads standard input")
      ->required()
      ->type_name("");
  add_text_option(app, "--pubkey", request.pubkey,
                  "The pinned public key of the signer, 64 hex digits", "HEX");
  add_text_option(app, "--pubkey-file", request.pubkey_file,
                  "Read the pinned key from a file (bare hex or key=value)", "FILE");
  add_text_option(app, "--trust", request.trust_file,
                  "Pick pinned keys by record type and name from a trust file", "FILE");
  add_text_option(app, "--name", request.name,
                  "Require this cluster name / user domain (case and one trailing dot ignored)",
                  "NAME");
  add_text_option(
      app, "--now", request.now,
      "Verify as of this time: unix seconds or RFC 3339 (default: the clock, read once)", "TIME");
  add_text_option(app, "--min-seq", request.min_seq,
                  "Records with seq below N are invalid (seq_rollback)", "N");
  add_text_option(app, "--max-age", request.max_age,
                  "Revocations older than SECONDS are invalid (revocation_stale); default: none",
                  "SECONDS");
  add_text_option(app, "--warn-expiring", request.warn_expiring,
                  "Valid records expiring within DAYS are reported as 'expiring' (exit 3)", "DAYS");
  add_text_option(app, "--record", request.record,
                  "Of an input (dig output, zone text) holding several DMP records, check the "
                  "Nth (from 1); without it such an input is refused",
                  "N");
  add_text_option(app, "-j,--jobs", request.jobs,
                  "Check the files on N threads; the output order and exit code are those of "
                  "-j 1 (default: the online cores)",
                  "N");
  app.add_flag("--strict", request.strict,
               "Also refuse encodings a conforming signer never emits (non_canonical)");
  app.add_flag("--json", request.json, "One JSON object per line instead of plain lines");
  app.add_flag("--quiet", request.quiet,
               "Print nothing per file (with --json: the JSON lines only); report by exit code");

  if (const auto complaint = dmp::cli::unknown_word(app, argc, argv)) {
    std::fprintf(stderr, "dmp-verify: %s (see dmp-verify --help) [usage]\n",
                 dmp::output::terminal_safe(*complaint).c_str());
    return dmp::cli::kExitUsageOrIo;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& info) {  // --help, --version
    const int code = app.exit(info);
    return code == 0 ? dmp::cli::kExitAllValid : dmp::cli::kExitUsageOrIo;
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "dmp-verify: %s (see dmp-verify --help) [usage]\n",
                 dmp::output::terminal_safe(error.what()).c_str());
    return dmp::cli::kExitUsageOrIo;
  }
  return dmp::cli::run_verify(request);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return parse_and_run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "dmp-verify: internal error: %s\n",
                 dmp::output::terminal_safe(error.what()).c_str());
  } catch (...) {
    std::fprintf(stderr, "dmp-verify: internal error\n");
  }
  return dmp::cli::kExitUsageOrIo;
}
