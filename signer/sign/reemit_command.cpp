#include "sign/reemit_command.hpp"
#include "output/terminal_text.hpp"

#include <memory>

#include "common/cli_conventions.hpp"
#include "dmp/codec.hpp"
#include "dmp/expiry.hpp"
#include "dmp/key_records.hpp"
#include "dmp/verify.hpp"
#include "input/rotation_request.hpp"
#include "ledger/ledger_store.hpp"
#include "ledger/wire_archive.hpp"
#include "output/key_record_text.hpp"
#include "output/wire_formats.hpp"
#include "sign/ceremony.hpp"
#include "sign/key_options.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli {
namespace {

struct ReemitCommand {
  std::string state_dir;
  std::uint64_t entry = 0;
  std::string out;
  output::Format format = output::Format::wire;
  std::uint32_t ttl = 0;
};

Failure mismatch(std::uint64_t index, const std::string& what) {
  return fail(Reason::ledger_corrupt, "",
              "the archived output of ledger entry " + std::to_string(index) + " " + what +
                  "; nothing written");
}

Status require_format(const ReemitCommand& c, const char* why) {
  if (c.format == output::Format::wire) return ok();
  return fail(Reason::usage, "--format", why + std::string(" is re-emitted as is"));
}

// The text to write for an archived output, checked against its entry.
Result<std::string> checked_text(const ReemitCommand& c, const ledger::Entry& entry,
                                 const std::string& archived) {
  const std::uint32_t ttl =
      c.ttl != 0 ? c.ttl : (c.format == output::Format::nsupdate ? 300 : 3600);
  const Bytes key_bytes(entry.key.begin(), entry.key.end());
  switch (entry.type) {
    case RecordType::cluster:
    case RecordType::bootstrap: {
      auto opened = open_wire(archived, entry.type);
      if (!opened) return mismatch(entry.index, "is not a wire: " + opened.error().message());
      if (opened->blob.body != entry.body) return mismatch(entry.index, "holds another body");
      VerifyOptions options{
          .now = now_within_window(0, entry.exp), .expected_name = std::nullopt, .strict = true};
      auto record = verify(archived, entry.key, options);
      if (!record) {
        return mismatch(entry.index,
                        "does not verify under the entry's key: " + record.error().message());
      }
      return output::format_wire(c.format, *record, archived, ttl);
    }
    case RecordType::rotation: {
      if (!archived.empty() && archived.front() == '{') {  // one half, in its request
        auto request = input::parse_rotation_request(archived);
        if (!request) return mismatch(entry.index, request.error().message());
        if (request->body != entry.body) return mismatch(entry.index, "holds another body");
        if (auto sigs = input::check_request_signatures(*request); !sigs) {
          return mismatch(entry.index, sigs.error().message());
        }
        if (auto f = require_format(c, "a rotation request"); !f) return f.error();
        return archived;
      }
      auto body = decode_rotation_body(entry.body);
      if (!body) return mismatch(entry.index, body.error().message());
      RotationVerifyOptions options{
          .now = now_within_window(0, body->exp),
          .expected_old_spk = Bytes(body->old_spk.begin(), body->old_spk.end()),
          .expected_subject = body->subject,
          .strict = true};
      auto record = verify_rotation(archived, options);
      if (!record || !(*record == *body)) return mismatch(entry.index, "does not verify");
      return output::format_key_record_wire(c.format, *record, archived, ttl);
    }
    case RecordType::revocation: {
      auto body = decode_revocation_body(entry.body);
      if (!body) return mismatch(entry.index, body.error().message());
      RevocationVerifyOptions options{.now = body->ts,
                                      .expected_revoked_spk = key_bytes,
                                      .expected_subject = body->subject,
                                      .max_age_seconds = std::nullopt,
                                      .strict = true};
      auto record = verify_revocation(archived, options);
      if (!record || !(*record == *body)) return mismatch(entry.index, "does not verify");
      return output::format_key_record_wire(c.format, *record, archived, ttl);
    }
  }
  return mismatch(entry.index, "has an unknown type");
}

Status run_reemit(const ReemitCommand& c) {
  auto dir = resolve_state_dir(c.state_dir);
  if (!dir) return dir.error();
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  if (c.entry == 0 || c.entry > entries->size()) {
    return fail(Reason::usage, "--entry",
                "the ledger has entries 1 to " + std::to_string(entries->size()));
  }
  const ledger::Entry& entry = (*entries)[c.entry - 1];
  if (entry.event == ledger::Event::import) {
    return fail(Reason::usage, "",
                "--entry " + std::to_string(c.entry) + ": an imported mark signed nothing");
  }
  OutputTargets targets{{c.out}, {}, *dir};
  if (auto preflight = preflight_outputs(targets); !preflight) return preflight;
  auto archived = ledger::read_archived(*dir, c.entry);
  if (!archived) return archived.error();
  auto text = checked_text(c, entry, *archived);
  if (!text) return text.error();
  const bool newline = c.format == output::Format::wire && archived->front() != '{';
  if (auto written = write_output(c.out, *text, newline && (c.out.empty() || c.out == "-"));
      !written) {
    return written;
  }
  std::fprintf(stderr, "dmp-sign: re-emitted ledger entry %llu (%s %s seq %llu) -> %s\n",
               static_cast<unsigned long long>(entry.index),
               std::string(record_type_name(entry.type)).c_str(),
               output::terminal_safe(entry.name).c_str(),
               static_cast<unsigned long long>(entry.seq),
               c.out == "-" ? "standard output" : output::terminal_safe(c.out).c_str());
  return ok();
}

}  // namespace

void add_reemit_command(CLI::App& ledger_group, std::function<Status()>& run) {
  auto reemit = std::make_shared<ReemitCommand>();
  auto* cmd = ledger_group.add_subcommand(
      "reemit", "write a signed output again from the state directory (no new signature)");
  add_state_dir_option(*cmd, reemit->state_dir);
  cmd->add_option("--entry", reemit->entry, "the ledger entry number (ledger show)")->required();
  cmd->add_option("--out", reemit->out, "output file, or - for standard output")->required();
  cmd->add_option("--format", reemit->format, "wire (default), zone, nsupdate or json")
      ->transform(named_choice(output::format_names()));
  add_ttl_option(*cmd, reemit->ttl, "TTL for --format zone / nsupdate (1 to 2147483647)");
  cmd->footer("Example:\n  dmp-sign ledger reemit --entry 7 --out cluster.wire");
  cmd->callback([&run, reemit] { run = [reemit] { return run_reemit(*reemit); }; });
}

}  // namespace dmp::cli
