// dmp-sign: the offline signer's command line. Parses arguments, runs one
// command, and turns its Status into one stderr line and an exit code.
#include <sodium.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <string_view>

#include "common/cli_conventions.hpp"
#include "common/hardening.hpp"
#include "dmp/build_info.hpp"
#include "output/terminal_text.hpp"
#include "qr/qr_commands.hpp"
#include "sign/backup_commands.hpp"
#include "sign/draft_command.hpp"
#include "sign/exit_codes.hpp"
#include "sign/fido2_commands.hpp"
#include "sign/key_commands.hpp"
#include "sign/pkcs11_commands.hpp"
#include "sign/rotate_commands.hpp"
#include "sign/sign_commands.hpp"

int main(int argc, char** argv) {
  dmp::cli::harden_process();
  if (sodium_init() < 0) {
    std::fprintf(stderr, "dmp-sign: libsodium failed to initialise\n");
    return dmp::cli::kExitInternal;
  }
  // Named, so usage lines say "dmp-sign", not the path the binary ran from.
  CLI::App app{
      "dmp-sign: offline signer for DMP operator records (ClusterManifest, "
      "BootstrapRecord, and the DRAFT rotation and revocation records)",
      "dmp-sign"};
  app.set_version_flag("--version", std::string("dmp-sign ") + dmp::build_info::kVersion +
                                        " (commit " + dmp::build_info::kCommit + "; " +
                                        dmp::build_info::kOptions + ")");
  app.require_subcommand(1);
  app.footer(dmp::cli::kExitCodeHelp);
  std::function<dmp::Status()> run;
  dmp::cli::add_key_commands(app, run);
  dmp::cli::add_sign_commands(app, run);
  dmp::cli::add_draft_command(app, run);
  dmp::cli::add_qr_commands(app, run);
  dmp::cli::add_fido2_commands(app, run);
  dmp::cli::add_pkcs11_commands(app, run);
  dmp::cli::add_rotate_commands(app, run);
  dmp::cli::add_backup_commands(app, run);
  if (const auto complaint = dmp::cli::unknown_word(app, argc, argv)) {
    // Verifying is the other tool's job; say which.
    const bool wants_verify = argc > 1 && std::string_view(argv[1]) == "verify";
    std::fprintf(stderr, "dmp-sign: %s%s (see dmp-sign --help) [usage]\n",
                 dmp::output::terminal_safe(*complaint).c_str(),
                 wants_verify ? "; wires are checked by dmp-verify --pubkey HEX FILE" : "");
    return dmp::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::fprintf(stderr, "dmp-sign: %s (see dmp-sign --help) [usage]\n",
                 dmp::output::terminal_safe(e.what()).c_str());
    return dmp::cli::kExitUsage;
  }
  try {
    const dmp::Status status = run();
    if (status) return dmp::cli::kExitOk;
    // Messages echo input (a name, a file name): escaped like the review.
    std::fprintf(stderr, "dmp-sign: %s [%s]\n",
                 dmp::output::terminal_safe(status.error().message()).c_str(),
                 dmp::reason_name(status.error().reason));
    return dmp::cli::exit_code_for(status.error().reason);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dmp-sign: internal error: %s\n",
                 dmp::output::terminal_safe(e.what()).c_str());
    return dmp::cli::kExitInternal;
  }
}
