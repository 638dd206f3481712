// dmp-sign rotate (prepare, show, sign-old, sign-new, assemble, and the
// one-step form) and dmp-sign revoke: the key-lifecycle records of spec §4
// (DRAFT wire format), for the cluster-operator and bootstrap-signer subjects.
//
// A rotation carries two signatures over one body, old key first. The keys
// may sit on two air-gapped laptops, so the body travels in a rotation
// request file (input/rotation_request.hpp) and each laptop adds its half.
// Every signature is checked against the key the body names, logged in that
// laptop's ledger (seq, forks, loops, revoked keys: ledger/key_history.hpp)
// before it leaves the process, and only then written out. This file holds
// the steps that need no key (prepare, show, assemble) and the command line;
// the ones that sign are ceremonies (rotate_ceremonies.cpp).
#include "sign/rotate_commands.hpp"
#include "output/terminal_text.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

#include "common/private_file.hpp"
#include "ledger/ledger_store.hpp"
#include "output/key_record_text.hpp"
#include "sign/ceremony.hpp"
#include "sign/key_options.hpp"
#include "sign/rotate_ceremonies.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli {
namespace {

using namespace rotation;

// --- rotate prepare -------------------------------------------------------------

struct PrepareCommand {
  bool abandon_unfinished = false;
  std::string old_key;
  std::string new_key;
  HelperOptions helpers;
  RotationFields fields;
  std::string state_dir;
  std::string now;
  std::string out;
};

Status run_prepare(const PrepareCommand& c) {
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  const keyfile::KeyAccess access = to_key_access({}, c.helpers);
  auto old_key = public_key_of(c.old_key, access, "--old-key");
  if (!old_key) return old_key.error();
  auto new_key = public_key_of(c.new_key, access, "--new-key");
  if (!new_key) return new_key.error();
  auto dir = resolve_state_dir(c.state_dir);
  if (!dir) return dir.error();
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  auto built = build_rotation(c.fields, *old_key, *new_key, *now, *entries);
  if (!built) return built.error();
  auto& [record, body] = *built;
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;
  // Early word on what sign-old would refuse on this laptop.
  auto standing = ledger::check_rotation(*entries, record, body, c.abandon_unfinished);
  if (!standing) return standing.error();
  if (auto preflight = preflight_outputs(OutputTargets{{c.out}, {}, *dir}); !preflight) {
    return preflight;
  }
  if (::access(c.out.c_str(), F_OK) == 0) {
    return fail(Reason::already_exists, c.out,
                "exists; a rotation request is never overwritten by prepare (choose "
                "another --out)");
  }
  input::RotationRequest request{body, record, std::nullopt, std::nullopt};
  const std::string text = input::format_rotation_request(request);
  // Exclusive: a request that appeared meanwhile is not replaced either.
  if (auto written = publish_new_file(
          c.out, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
      !written) {
    return written;
  }
  std::fprintf(stderr,
               "dmp-sign: rotation request written to %s\n%s%s"
               "next: on the laptop holding the old key:  dmp-sign rotate sign-old --key OLD %s\n"
               "      on the laptop holding the new key:  dmp-sign rotate sign-new --key NEW %s\n"
               "      then anywhere:                      dmp-sign rotate assemble %s --out "
               "rotation.wire\n",
               output::terminal_safe(c.out).c_str(),
               output::render_marked(output::describe_rotation(record, *now, "  "),
                                     output::MarkStyle::carets)
                   .c_str(),
               kDraftNote, output::terminal_safe(c.out).c_str(),
               output::terminal_safe(c.out).c_str(), output::terminal_safe(c.out).c_str());
  return ok();
}

// --- rotate show ------------------------------------------------------------------

struct ShowCommand {
  std::string file;
  std::string now;
};

Status run_show(const ShowCommand& c) {
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  auto request = load_request(c.file);
  if (!request) return request.error();
  std::printf("%s: rotation request\n%s%s  sig_old: %s\n  sig_new: %s\n",
              output::terminal_safe(c.file).c_str(),
              output::render_marked(output::describe_rotation(request->record, *now, "  "),
                                    output::MarkStyle::carets)
                  .c_str(),
              kDraftNote, signature_state(request->sig_old).c_str(),
              signature_state(request->sig_new).c_str());
  return ok();
}

// --- rotate assemble ----------------------------------------------------------------

struct AssembleCommand {
  std::string file;
  std::string now;
  OutputOptions output;
};

Status run_assemble(const AssembleCommand& c) {
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  auto request = load_request(c.file);
  if (!request) return request.error();
  for (const auto& [signature, member, command] :
       {std::tuple(&request->sig_old, "sig_old", "sign-old --key OLD"),
        std::tuple(&request->sig_new, "sig_new", "sign-new --key NEW")}) {
    if (!*signature) {
      return fail(Reason::invalid_field, c.file,
                  std::string(member) + ": missing; run dmp-sign rotate " + command + " " + c.file +
                      " where that key is");
    }
  }
  const RotationRecord& record = request->record;
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;
  auto wire = assemble_checked(record, request->body, *request->sig_old, *request->sig_new, *now);
  if (!wire) return wire.error();
  const std::string text =
      output::format_key_record_wire(c.output.format, record, *wire, c.output.ttl_or_default());
  if (auto preflight = preflight_outputs(OutputTargets{{c.output.out}, {}, ""}); !preflight) {
    return preflight;
  }
  if (auto written = write_output(c.output.out, text, c.output.format == output::Format::wire);
      !written) {
    return written;
  }
  std::fprintf(
      stderr, "dmp-sign: assembled rotation %s seq %llu -> %s (DRAFT format)\n",
      output::terminal_safe(rotation_rrset_name(record.subject_type, record.subject).value_or("-"))
          .c_str(),
      static_cast<unsigned long long>(record.seq),
      output::terminal_safe(where(c.output.out)).c_str());
  return ok();
}

}  // namespace

void add_rotate_commands(CLI::App& app, std::function<Status()>& run) {
  auto rotate = std::make_shared<RotateCommand>();
  auto* group = app.add_subcommand(
      "rotate",
      "key rotation record (DRAFT format): one step with both keys, or prepare / sign-old / "
      "sign-new / assemble across two laptops");
  group->require_subcommand(0, 1);
  // The one-step form's options live on `rotate` itself; CLI11 would demand
  // them before any step too, so run_rotate checks they were given.
  add_key_options(*group, rotate->old_key, "old-", "the old key: ", false);
  add_key_options(*group, rotate->new_key, "new-", "the new key: ", false);
  add_helper_options(*group, rotate->helpers);
  add_rotation_fields(*group, rotate->fields, false);
  add_ledger_options(*group, rotate->ledger);
  add_abandon_option(*group, rotate->abandon_unfinished);
  group->add_flag("--yes", rotate->yes,
                  "sign without asking (scripts); the review is still printed");
  add_output_options(*group, rotate->output);
  group->footer(
      "Examples:\n"
      "  dmp-sign rotate --old-key old.key --new-key new.key --subject-type cluster-operator \\\n"
      "      --subject mesh.example.com --out rotation.wire\n"
      "  dmp-sign rotate prepare --old-key old.key --new-key NEW_HEX --subject-type "
      "cluster-operator \\\n      --subject mesh.example.com --out rotation.json\n"
      "  dmp-sign rotate sign-old --key old.key rotation.json      # laptop A\n"
      "  dmp-sign rotate sign-new --key new.key rotation.json      # laptop B\n"
      "  dmp-sign rotate assemble rotation.json --out rotation.wire\n"
      "The whole ceremony: rotation.md in share/doc/dmp-signer (e.g. /usr/share/doc/dmp-signer/).");
  group->callback([&run, rotate, group] {
    if (group->get_subcommands().empty()) {
      run = [rotate] { return run_rotate(*rotate); };
      return;
    }
    // An option of the one-step form given before a step would be dropped
    // silently (a --state-dir, a --now): refuse it instead.
    const std::string step = group->get_subcommands().front()->get_name();
    for (const CLI::Option* option : group->get_options()) {
      if (option->count() == 0) continue;
      const std::string name = option->get_name();
      run = [name, step] {
        return fail(Reason::usage, "rotate",
                    name + " before '" + step +
                        "' belongs to the one-step rotate; put it after the step: dmp-sign "
                        "rotate " +
                        step + " " + name + " ...");
      };
      return;
    }
  });

  auto prepare = std::make_shared<PrepareCommand>();
  auto* cmd = group->add_subcommand("prepare", "write the unsigned rotation request");
  cmd->add_option("--old-key", prepare->old_key,
                  "the old key: key file, PKCS#11 URI, or its 64-hex public key")
      ->required();
  cmd->add_option("--new-key", prepare->new_key,
                  "the new key: key file, PKCS#11 URI, or its 64-hex public key")
      ->required();
  add_helper_options(*cmd, prepare->helpers);
  add_rotation_fields(*cmd, prepare->fields, true);
  add_state_dir_option(*cmd, prepare->state_dir);
  add_abandon_option(*cmd, prepare->abandon_unfinished);
  cmd->add_option("--now", prepare->now, "the clock: unix seconds or RFC 3339");
  cmd->add_option("--out", prepare->out, "the request file to create (never overwritten)")
      ->required();
  cmd->callback([&run, prepare] { run = [prepare] { return run_prepare(*prepare); }; });

  auto show = std::make_shared<ShowCommand>();
  cmd = group->add_subcommand("show", "decode a rotation request and check its signatures");
  cmd->add_option("file", show->file, "rotation request")->required();
  cmd->add_option("--now", show->now, "clock for the expiry shown");
  cmd->callback([&run, show] { run = [show] { return run_show(*show); }; });

  for (const Half half : {Half::old_key, Half::new_key}) {
    auto sign_half = std::make_shared<SignHalfCommand>();
    sign_half->half = half;
    const bool old_half = half == Half::old_key;
    cmd = group->add_subcommand(old_half ? "sign-old" : "sign-new",
                                old_half ? "add the old key's signature to a rotation request"
                                         : "add the new key's signature to a rotation request");
    add_key_options(*cmd, sign_half->key, "", "", true);
    add_helper_options(*cmd, sign_half->helpers);
    add_ledger_options(*cmd, sign_half->ledger);
    add_abandon_option(*cmd, sign_half->abandon_unfinished);
    cmd->add_flag("--yes", sign_half->yes,
                  "sign without asking (scripts); the review is still printed");
    cmd->add_option("file", sign_half->file, "rotation request")->required();
    cmd->add_option("--out", sign_half->out,
                    "write the signed request here (default: replace FILE atomically)");
    cmd->callback([&run, sign_half] { run = [sign_half] { return run_sign_half(*sign_half); }; });
  }

  auto assemble = std::make_shared<AssembleCommand>();
  cmd = group->add_subcommand("assemble", "make the wire once both signatures are present");
  cmd->add_option("file", assemble->file, "rotation request with sig_old and sig_new")->required();
  cmd->add_option("--now", assemble->now, "the clock: unix seconds or RFC 3339");
  add_output_options(*cmd, assemble->output);
  cmd->callback([&run, assemble] { run = [assemble] { return run_assemble(*assemble); }; });

  auto revoke = std::make_shared<RevokeCommand>();
  cmd = app.add_subcommand("revoke", "self-signed revocation record (DRAFT format): irreversible");
  add_key_options(*cmd, revoke->key, "", "the key to revoke: ", true);
  add_helper_options(*cmd, revoke->helpers);
  cmd->add_option("--subject-type", revoke->subject_type, "cluster-operator or bootstrap-signer")
      ->check(CLI::IsMember(names_of(kSubjectTypes)))
      ->required();
  cmd->add_option("--subject", revoke->subject,
                  "the cluster_name or user_domain, lower case, no trailing dot")
      ->required();
  cmd->add_option("--reason", revoke->reason,
                  "compromise, superseded (= routine), lost-key or other")
      ->check(CLI::IsMember(names_of(kReasons)))
      ->required();
  cmd->add_option("--ts", revoke->ts, "the record's timestamp (default: the clock)");
  add_ledger_options(*cmd, revoke->ledger);
  cmd->add_flag("--yes-i-mean-it", revoke->yes_i_mean_it,
                "revoke without typing the fingerprint (scripts); the review is still printed");
  cmd->add_flag("--yes", revoke->yes, "refused: revoke needs --yes-i-mean-it")->group("");
  add_output_options(*cmd, revoke->output);
  cmd->footer(
      "Example:\n"
      "  dmp-sign revoke --key old.key --subject-type cluster-operator --subject "
      "mesh.example.com \\\n      --reason superseded --out revocation.wire");
  cmd->callback([&run, revoke] { run = [revoke] { return run_revoke(*revoke); }; });
}

}  // namespace dmp::cli
