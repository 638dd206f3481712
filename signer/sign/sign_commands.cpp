#include "sign/sign_commands.hpp"

#include <cstdio>
#include <limits>
#include <map>
#include <memory>

#include "common/cli_conventions.hpp"
#include "common/file_io.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "ledger/interchange.hpp"
#include "ledger/ledger_anchor.hpp"
#include "ledger/ledger_store.hpp"
#include "output/key_record_text.hpp"
#include "output/key_text.hpp"
#include "output/record_text.hpp"
#include "output/terminal_text.hpp"
#include "qr/qr_commands.hpp"
#include "sign/confirm.hpp"
#include "sign/key_options.hpp"
#include "sign/output_preflight.hpp"
#include "sign/reemit_command.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli {
namespace {

// Options shared by sign and renew.
struct CommonSignOptions {
  KeyOptions key;
  HelperOptions helpers;
  LedgerOptions ledger;
  bool yes = false;
  bool allow_expired = false;
  bool allow_unverified_previous = false;
  bool first = false;
  bool allow_key_change = false;
  bool allow_max_seq = false;
  output::Format format = output::Format::wire;
  std::uint32_t ttl = 0;
  std::string out;
  std::string out_dir;
  std::size_t record = 0;  // --record N of the --previous / --from input; 0: not given
  bool qr = false;         // --qr: show the written wire as QR codes
  bool quiet = false;      // -q/--quiet (with --yes): one line per record
};

void add_common_options(CLI::App& cmd, CommonSignOptions& o) {
  add_key_options(cmd, o.key, "", "", true);
  add_helper_options(cmd, o.helpers);
  add_ledger_options(cmd, o.ledger);
  auto* yes =
      cmd.add_flag("--yes", o.yes, "sign without asking (scripts); the review is still printed");
  // Quiet only with --yes: the review is what an operator confirms, so it
  // is never hidden from one who is asked.
  cmd.add_flag("-q,--quiet", o.quiet,
               "with --yes: no review, one line per record signed (and each warning or "
               "refusal) on standard error")
      ->needs(yes);
  cmd.add_flag("--allow-expired", o.allow_expired, "sign even when exp is before the clock");
  cmd.add_flag("--allow-key-change", o.allow_key_change,
               "sign a name this ledger knows under another key that no rotation links to this "
               "one (the review shows the change)");
  cmd.add_flag("--allow-max-seq", o.allow_max_seq,
               "sign seq 2^64-1, after which nothing can ever replace the record");
  cmd.add_option("--format", o.format, "wire (default), zone, nsupdate or json")
      ->transform(named_choice(output::format_names()));
  add_ttl_option(cmd, o.ttl, "TTL for --format zone (default 3600) / nsupdate (default 300)");
  auto* out = cmd.add_option("--out", o.out, "output file, or - for standard output (default)");
  auto* dir = cmd.add_option("--out-dir", o.out_dir,
                             "directory for batch output: <rrset-name><.wire|.zone|...>");
  out->excludes(dir);
  cmd.add_flag("--qr", o.qr,
               "after signing, show the written --out file as QR codes on this terminal (for "
               "dmp-sign qr scan on the online machine)");
}

// --qr needs one output file to show, and a terminal large enough: both
// checked before anything is signed.
Status check_qr_output(const CommonSignOptions& o) {
  if (!o.qr) return ok();
  if (o.out.empty() || o.out == "-") {
    return fail(Reason::usage, "--qr", "shows the file written to --out FILE; give --out");
  }
  return check_qr_display(QrShowOptions{});
}

// --qr: the file the ceremony wrote, as it is on disk, as QR codes. The
// record is signed, logged and written by now: a display that fails is a
// warning, never a failure that would make the operator sign again.
Status show_output_as_qr(const CommonSignOptions& o) {
  auto written = read_file_capped(o.out, 64 * 1024);
  const Status shown =
      written ? show_as_qr(written->bytes, QrShowOptions{})
              : Status(fail(Reason::io_error, written.error().field, written.error().rule));
  if (!shown) {
    std::fprintf(stderr,
                 "dmp-sign: warning: the record is signed and written to %s, but --qr could not "
                 "show it (%s); show it with: dmp-sign qr show %s\n",
                 output::terminal_safe(o.out).c_str(),
                 output::terminal_safe(shown.error().message()).c_str(),
                 output::terminal_safe(o.out).c_str());
  }
  return ok();
}

Result<SignOptions> to_sign_options(const CommonSignOptions& o) {
  SignOptions options;
  options.key_path = o.key.key;
  options.key_access = to_key_access(o.key, o.helpers);
  auto state_dir = resolve_state_dir(o.ledger.state_dir);
  if (!state_dir) return state_dir.error();
  options.state_dir = *state_dir;
  options.lock_wait = o.ledger.lock_wait();
  if (!o.ledger.now.empty()) {
    auto now = resolve_clock(o.ledger.now);
    if (!now) return now.error();
    options.now = *now;
  }
  options.yes = o.yes;
  options.quiet = o.quiet;
  options.allow_expired = o.allow_expired;
  options.allow_unverified_previous = o.allow_unverified_previous;
  options.first = o.first;
  options.allow_key_change = o.allow_key_change;
  options.allow_max_seq = o.allow_max_seq;
  options.format = o.format;
  options.ttl = o.ttl != 0 ? o.ttl : (o.format == output::Format::nsupdate ? 300 : 3600);
  if (!o.out.empty()) options.out = o.out;
  if (!o.out_dir.empty()) options.out_dir = o.out_dir;
  return options;
}

// --record N, when given.
std::optional<std::size_t> chosen_record(const CommonSignOptions& o) {
  return o.record == 0 ? std::nullopt : std::optional<std::size_t>(o.record);
}

// --- sign -------------------------------------------------------------------
struct SignCommand {
  CommonSignOptions common;
  std::vector<std::string> inputs;
  std::string previous;
};

Status run_sign_command(const SignCommand& c) {
  auto options = to_sign_options(c.common);
  if (!options) return options.error();
  if (!c.previous.empty() && c.inputs.size() != 1) {
    return fail(Reason::usage, "", "--previous goes with exactly one input file");
  }
  if (c.previous == "-" && !c.inputs.empty() && c.inputs.front() == "-") {
    return fail(Reason::usage, "--previous", "- and the input - cannot both be standard input");
  }
  if (c.previous.empty() && c.common.record != 0) {
    return fail(Reason::usage, "--record",
                "chooses among the records of --previous; give --previous");
  }
  if (auto qr = check_qr_output(c.common); !qr) return qr;
  std::vector<SignRequest> requests;
  for (const std::string& path : c.inputs) {
    auto text = path == "-" ? read_stdin_capped("-", input::kMaxInputLen + 1)
                            : read_file_capped(path, input::kMaxInputLen + 1);
    if (!text) return fail(Reason::io_error, text.error().field, text.error().rule);
    if (text->over_cap) return fail(Reason::invalid_field, path, "larger than 64 KiB");
    auto parsed = input::parse_unsigned_record(text->bytes);
    if (!parsed) {
      Error error = parsed.error();
      error.within(path);
      return error;
    }
    if (parsed->previous && !c.previous.empty()) {
      return fail(Reason::usage, "--previous",
                  path + " already holds its previous record (a draft); give one, not both");
    }
    requests.push_back(
        SignRequest{path, std::move(*parsed),
                    c.previous.empty() ? std::nullopt : std::optional<std::string>(c.previous),
                    chosen_record(c.common), std::nullopt, "--previous"});
  }
  if (auto signed_all = run_sign(requests, *options); !signed_all) return signed_all;
  return c.common.qr ? show_output_as_qr(c.common) : ok();
}

// --- renew ------------------------------------------------------------------
struct RenewCommand {
  CommonSignOptions common;
  std::string from;
  std::string expires_in = "365d";
};

Status run_renew_command(const RenewCommand& c) {
  auto options = to_sign_options(c.common);
  if (!options) return options.error();
  if (auto qr = check_qr_output(c.common); !qr) return qr;
  // Read once: what is decoded here is what --previous verifies below (a
  // second read of a FIFO, or of standard input, could see other bytes).
  auto bytes = read_published_bytes(c.from);
  if (!bytes) return bytes.error();
  auto published = published_record_of(c.from, *bytes, chosen_record(c.common));
  if (!published) return published.error();
  const std::string& wire = published->wire;
  const auto type = record_type_of_wire(wire);
  if (!type) return fail(Reason::bad_prefix, c.from, "not a cluster or bootstrap wire");
  auto opened = open_wire(wire, *type);
  if (!opened) return fail(opened.error().reason, c.from, opened.error().message());
  auto record = decode_body(*type, opened->blob.body);
  if (!record) return fail(record.error().reason, c.from, record.error().message());
  auto duration = input::parse_duration(c.expires_in, "--expires-in");
  if (!duration) return fail(Reason::usage, duration.error().field, duration.error().rule);
  // Same content, next seq (above the wire and the ledger), new expiry. The
  // wire is passed as --previous, so it must verify under the signing key.
  input::UnsignedRecord input{*record, true, input::SeqSpec{true, 0},
                              input::ExpirySpec{true, *duration}, std::nullopt};
  if (auto signed_one =
          run_sign({SignRequest{c.from, std::move(input), c.from, chosen_record(c.common),
                                std::move(*bytes), "--from"}},
                   *options);
      !signed_one)
    return signed_one;
  return c.common.qr ? show_output_as_qr(c.common) : ok();
}

// --- inspect ----------------------------------------------------------------
struct InspectCommand {
  std::string file;
  std::size_t record = 0;  // --record N; 0: not given
  std::string pubkey;
  std::string now;
  bool json = false;
};

// A cluster or bootstrap wire, shown as inspect shows it.
Result<output::KeyRecordView> view_record(std::string_view wire, RecordType type, std::uint64_t now,
                                          const std::optional<PublicKey>& pin) {
  auto opened = open_wire(wire, type);
  if (!opened) return opened.error();
  auto record = decode_body(type, opened->blob.body);
  if (!record) return record.error();
  output::KeyRecordView view{output::record_fields(*record),
                             output::describe_record(*record, now, "  "), std::nullopt,
                             signing_key_of(*record)};
  if (pin) {
    auto verified = verify(wire, *pin, VerifyOptions{now, std::nullopt, false});
    if (!verified) view.invalid = verified.error();
  }
  return view;
}

Status run_inspect_command(const InspectCommand& c) {
  auto published = read_published_record(
      c.file, c.record == 0 ? std::nullopt : std::optional<std::size_t>(c.record));
  if (!published) return published.error();
  const std::string& wire = published->wire;
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  std::optional<PublicKey> pin;
  if (!c.pubkey.empty()) {
    auto key = encoding::public_key_from_hex(c.pubkey, "--pubkey");
    if (!key) return fail(Reason::usage, key.error().field, key.error().rule);
    pin = *key;
  }
  const auto type = record_type_of_wire(wire);
  if (!type) {
    return fail(Reason::bad_prefix, c.file,
                "not a cluster, bootstrap, rotation or revocation wire");
  }
  const bool key_record = *type == RecordType::rotation || *type == RecordType::revocation;
  auto view = key_record ? output::view_key_record(wire, *type, *now, pin)
                         : view_record(wire, *type, *now, pin);
  if (!view) return fail(view.error().reason, c.file, view.error().message());
  // A zone or dig line names where it was published: a record copied under
  // another owner is what a verifier bound to the name refuses.
  std::optional<std::string> owner_problem;
  if (published->owner && !key_record) {
    const auto opened = open_wire(wire, *type);
    const auto record = opened ? decode_body(*type, opened->blob.body)
                               : Result<Record>(fail(Reason::malformed, "", ""));
    if (record && !owner_matches(*published->owner, rrset_name(*record))) {
      owner_problem = "the zone owner " + *published->owner + " is not the record's RRset " +
                      rrset_name(*record);
    }
  }
  if (owner_problem && pin && !view->invalid) {
    view->invalid = make_error(Reason::name_mismatch, c.file, *owner_problem);
  }
  const std::string verdict = !pin ? "UNVERIFIED (no --pubkey given): do not trust these fields"
                              : view->invalid ? "INVALID: " + view->invalid->message()
                                              : "VERIFIED under " + output::key_text(*pin);
  if (c.json) {
    // The same keys whatever the record and the verdict (docs/json.md,
    // docs/schema/inspect.schema.json); the prose above is for people only.
    output::OrderedJson out;
    out["file"] = c.file;
    out["verdict"] = !pin ? "unverified" : view->invalid ? "invalid" : "verified";
    out["reason"] = view->invalid ? output::OrderedJson(reason_name(view->invalid->reason))
                                  : output::OrderedJson();
    out["message"] =
        view->invalid ? output::OrderedJson(view->invalid->message()) : output::OrderedJson();
    out["owner"] =
        published->owner ? output::OrderedJson(*published->owner) : output::OrderedJson();
    out["owner_mismatch"] = owner_problem.has_value();
    output::append_fields(out, view->fields);
    out["fingerprint"] = hsm::fingerprint(view->signing_key);
    std::printf("%s\n",
                out.dump(-1, ' ', false, output::OrderedJson::error_handler_t::replace).c_str());
  } else {
    // The fields in view->text were escaped once, one by one, as they were
    // added (a field's newline cannot forge a node line); the verdict echoes
    // verifier messages. Nothing is marked: carets and colour never appear.
    std::printf("%s\n%s", output::terminal_safe(verdict).c_str(),
                output::render_marked(view->text, output::MarkStyle::carets).c_str());
    if (published->owner) {
      std::printf("  zone owner %s%s\n", output::terminal_safe(*published->owner).c_str(),
                  owner_problem ? "  WARNING: not the record's RRset" : "");
    }
  }
  if (view->invalid) return *view->invalid;
  return ok();
}

// --- ledger -----------------------------------------------------------------
struct LedgerCommand {
  std::string state_dir;
  bool json = false;
  std::string out;
  std::string import_file;
  std::string expect_head;
  bool yes = false;
};

Result<std::string> state_dir_of(const LedgerCommand& c) {
  return resolve_state_dir(c.state_dir);
}

std::string_view event_text(ledger::Event event) {
  return event == ledger::Event::sign     ? "sign"
         : event == ledger::Event::reemit ? "reemit"
                                          : "import";
}

Status run_ledger_show(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  if (c.json) {
    // An array, as before the anchor existed (`ledger anchor --json` has
    // it); every element has the same keys (docs/schema/ledger-show.schema.json).
    output::OrderedJson list = output::OrderedJson::array();
    for (const auto& e : *entries) {
      const bool import = e.event == ledger::Event::import;
      const bool expires = !import && e.type != RecordType::revocation;
      output::OrderedJson entry;
      entry["index"] = e.index;
      entry["time"] = output::u64_json(e.time);
      entry["event"] = std::string(event_text(e.event));
      entry["type"] = std::string(record_type_name(e.type));
      entry["name"] = e.name;
      entry["signing_key_hex"] = encoding::hex_encode(e.key);
      entry["fingerprint"] = hsm::fingerprint(e.key);
      entry["seq"] =  // a revocation has no seq
          e.type == RecordType::revocation ? output::OrderedJson() : output::u64_json(e.seq);
      entry["exp"] = expires ? output::u64_json(e.exp) : output::OrderedJson();
      entry["body_sha256"] =
          import ? output::OrderedJson() : output::OrderedJson(encoding::hex_encode(e.body_sha256));
      list.push_back(std::move(entry));
    }
    std::printf("%s\n",
                list.dump(2, ' ', false, output::OrderedJson::error_handler_t::replace).c_str());
    return ok();
  }
  std::printf("ledger %s/ledger: %zu entries\n", output::terminal_safe(*dir).c_str(),
              entries->size());
  std::printf(
      "anchor %s   (write it in the paper log; check it with ledger verify "
      "--expect-head)\n",
      ledger::format_anchor(ledger::anchor_of(*entries)).c_str());
  for (const auto& e : *entries) {
    // e.name: untrusted bytes of the ledger file, escaped like every field.
    std::printf("%4llu  %s  %-6s  %-10s  %-30s  seq %-6llu  exp %s  key %s\n",
                static_cast<unsigned long long>(e.index), format_rfc3339_utc(e.time).c_str(),
                std::string(event_text(e.event)).c_str(),
                std::string(record_type_name(e.type)).c_str(),
                output::terminal_safe(e.name).c_str(), static_cast<unsigned long long>(e.seq),
                e.event == ledger::Event::import || e.type == RecordType::revocation
                    ? "-"
                    : format_rfc3339_utc(e.exp).c_str(),
                hsm::fingerprint(e.key).c_str());
  }
  return ok();
}

Status run_ledger_anchor(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  const ledger::Anchor anchor = ledger::anchor_of(*entries);
  if (c.json) {
    const nlohmann::json j{{"count", anchor.count}, {"head", encoding::hex_encode(anchor.head)}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s\n", ledger::format_anchor(anchor).c_str());
  }
  return ok();
}

Status run_ledger_verify(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  std::optional<ledger::ExpectedAnchor> expected;
  if (!c.expect_head.empty()) {
    auto parsed = ledger::parse_anchor(c.expect_head, "--expect-head");
    if (!parsed) return parsed.error();
    expected = *parsed;
  }
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  const std::string anchor = ledger::format_anchor(ledger::anchor_of(*entries));
  if (expected) {
    auto added = ledger::entries_since(*entries, *expected);
    if (!added) return added.error();
    std::printf("ledger OK: %zu entries, chain and head consistent, anchor %s\n", entries->size(),
                anchor.c_str());
    if (*added == 0) {
      std::printf("matches the expected anchor\n");
    } else {
      std::printf("contains the expected anchor; %llu entries added since\n",
                  static_cast<unsigned long long>(*added));
    }
    return ok();
  }
  std::printf("ledger OK: %zu entries, chain and head consistent, anchor %s\n", entries->size(),
              anchor.c_str());
  return ok();
}

Status run_ledger_repair(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  const auto consent = [&c](const ledger::HeadRepair& r) -> Status {
    std::printf("ledger repair in %s:\n", output::terminal_safe(r.dir).c_str());
    if (r.torn_tail_bytes != 0) {
      std::printf("  drop a torn last line of %zu bytes (an append that never completed)\n",
                  r.torn_tail_bytes);
    }
    if (!r.old_head) {
      std::printf("  old head: missing\n");
    } else {
      std::string text = *r.old_head;
      if (!text.empty() && text.back() == '\n') text.pop_back();
      std::printf("  old head: %s\n", output::terminal_safe(text).c_str());
    }
    if (!r.old_head_problem.empty()) {
      std::printf("  problem:  %s\n", output::terminal_safe(r.old_head_problem).c_str());
    }
    std::printf("  new head: %llu entries, last hash %s (anchor %s)\n",
                static_cast<unsigned long long>(r.new_head.count),
                encoding::hex_encode(r.new_head.head).c_str(),
                ledger::format_anchor(r.new_head).c_str());
    std::printf(
        "  WARNING: the head is what catches entries truncated from the end. Once it is\n"
        "  rewritten, a truncation before this repair cannot be detected any more: compare\n"
        "  the new anchor with the last one in your paper log before you sign again.\n");
    std::fflush(stdout);
    if (c.yes) return ok();
    auto agreed = confirm_yes_no("rewrite the head?", "--yes");
    if (!agreed && agreed.error().message().rfind("not confirmed", 0) == 0) {
      return fail(Reason::not_confirmed, "", "not confirmed; the head was not changed");
    }
    return agreed;
  };
  auto repaired = ledger::repair_head(*dir, std::chrono::milliseconds(0), consent);
  if (!repaired) return repaired.error();
  if (!repaired->needed()) {
    std::printf("ledger head is consistent with its %llu entries (anchor %s); nothing to repair\n",
                static_cast<unsigned long long>(repaired->new_head.count),
                ledger::format_anchor(repaired->new_head).c_str());
    return ok();
  }
  std::printf("head rewritten: %llu entries, anchor %s\n",
              static_cast<unsigned long long>(repaired->new_head.count),
              ledger::format_anchor(repaired->new_head).c_str());
  return ok();
}

Status run_ledger_export(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  auto entries = ledger::read_ledger_unlocked(*dir);
  if (!entries) return entries.error();
  const std::string text = ledger::export_interchange(ledger::high_water_marks(*entries));
  // The same rule as a ceremony's outputs: never over a key file, the
  // ledger, a FIFO or device, nor into a missing directory.
  if (auto preflight = preflight_outputs(OutputTargets{{c.out}, {}, *dir}); !preflight) {
    return preflight;
  }
  if (c.out == "-") {
    std::fputs(text.c_str(), stdout);
    return ok();
  }
  auto written = publish_file(
      c.out, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  if (!written) return written;
  std::fprintf(stderr, "dmp-sign: exported %zu high-water marks to %s\n",
               ledger::high_water_marks(*entries).size(), output::terminal_safe(c.out).c_str());
  return ok();
}

Status run_ledger_import(const LedgerCommand& c) {
  auto dir = state_dir_of(c);
  if (!dir) return dir.error();
  auto text = read_file_capped(c.import_file, ledger::kMaxInterchangeLen + 1);
  if (!text) return fail(Reason::io_error, text.error().field, text.error().rule);
  auto marks = ledger::parse_interchange(text->bytes);
  if (!marks) return marks.error();
  // No waiting: importing while another signer works would race its seq.
  auto ledger = ledger::LockedLedger::open(*dir, std::chrono::milliseconds(0));
  if (!ledger) return ledger.error();
  const auto current = ledger::high_water_marks((*ledger)->entries());
  const auto now = static_cast<std::uint64_t>(std::max<std::time_t>(0, std::time(nullptr)));
  std::vector<ledger::Entry> raise;
  for (const auto& [key, seq] : *marks) {
    const auto it = current.find(key);
    if (it != current.end() && it->second.seq >= seq) continue;  // never lowers a mark
    ledger::Entry entry;
    entry.time = now;
    entry.event = ledger::Event::import;
    entry.type = key.type;
    entry.name = key.name;
    entry.key = key.key;
    entry.seq = seq;
    raise.push_back(std::move(entry));
  }
  // All or nothing: every entry is checked to read back before the first is
  // appended (parse_interchange checked each mark already; this is the store's
  // own guard).
  auto appended = (*ledger)->append_all(std::move(raise));
  if (!appended) return appended.error();
  const std::size_t raised = appended->size();
  std::printf("imported %zu marks: %zu raised, %zu already at or above\n", marks->size(), raised,
              marks->size() - raised);
  return ok();
}

}  // namespace

void add_sign_commands(CLI::App& app, std::function<Status()>& run) {
  auto sign = std::make_shared<SignCommand>();
  auto* cmd = app.add_subcommand("sign", "sign unsigned record(s): review, seq check, wire out");
  add_common_options(*cmd, sign->common);
  cmd->add_option("input", sign->inputs, "unsigned record JSON file(s), or - for standard input")
      ->required();
  cmd->add_option("--previous", sign->previous,
                  "the currently published record (a wire, a zone line, dig or dig +short "
                  "output; - for standard input): verified, its seq must be exceeded, and the "
                  "review shows the difference");
  cmd->add_option("--record", sign->common.record,
                  "of a --previous input holding several DMP records, use the Nth (from 1)")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_flag("--allow-unverified-previous", sign->common.allow_unverified_previous,
                "use a --previous wire that does not verify under the signing key");
  cmd->add_flag("--first", sign->common.first,
                "no record for this name was ever published: needed (instead of --previous) "
                "for a name this ledger has never signed");
  cmd->footer(
      "Examples:\n"
      "  dmp-sign sign --key operator.key --first --out cluster.wire cluster.json\n"
      "  dmp-sign sign --key operator.key --previous published.wire --format zone cluster.json\n"
      "  dmp-sign sign --key operator.key --out-dir out/ --yes a.json b.json\n"
      "  dmp-sign sign --key 'pkcs11:token=dmp;object=operator?module-name=ykcs11' --out "
      "cluster.wire cluster.json");
  cmd->callback([&run, sign] { run = [sign] { return run_sign_command(*sign); }; });

  auto renew = std::make_shared<RenewCommand>();
  cmd = app.add_subcommand("renew", "re-sign a published wire: same content, seq + 1, new expiry");
  add_common_options(*cmd, renew->common);
  cmd->add_option("--from", renew->from,
                  "the current record: a wire, a zone line, dig or dig +short output (- for "
                  "standard input)")
      ->required();
  cmd->add_option("--record", renew->common.record,
                  "of a --from input holding several DMP records, use the Nth (from 1)")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_option("--expires-in", renew->expires_in, "new validity, e.g. 365d (default), 12h");
  cmd->footer(
      "Example:\n  dmp-sign renew --key operator.key --from cluster.wire --out cluster.wire");
  cmd->callback([&run, renew] { run = [renew] { return run_renew_command(*renew); }; });

  auto inspect = std::make_shared<InspectCommand>();
  cmd = app.add_subcommand("inspect", "decode and print a wire (unverified unless --pubkey)");
  cmd->add_option("file", inspect->file,
                  "a wire, a zone line, dig or dig +short output; - for standard input")
      ->required();
  cmd->add_option("--record", inspect->record,
                  "of an input holding several DMP records, show the Nth (from 1)")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  cmd->add_option("--pubkey", inspect->pubkey,
                  "verify under this key (64 hex): the signing key, the OLD key of a rotation, the "
                  "revoked key of a revocation");
  cmd->add_option("--now", inspect->now, "clock for --pubkey verification");
  cmd->add_flag("--json", inspect->json,
                "one JSON object: verdict (verified, unverified, invalid) and the record's keys "
                "(share/doc/dmp-signer/json.md)");
  cmd->footer("Example:\n  dmp-sign inspect cluster.wire --pubkey $OPERATOR_SPK");
  cmd->callback([&run, inspect] { run = [inspect] { return run_inspect_command(*inspect); }; });

  auto ledger = std::make_shared<LedgerCommand>();
  auto* group = app.add_subcommand(
      "ledger", "the signing ledger: show, anchor, verify, repair, export, import");
  group->require_subcommand(1);
  auto* show = group->add_subcommand("show", "list every signature made, after the anchor");
  show->add_flag("--json", ledger->json, "JSON output (an array of entries)");
  show->callback([&run, ledger] { run = [ledger] { return run_ledger_show(*ledger); }; });
  auto* anchor = group->add_subcommand(
      "anchor", "print the anchor N:HASH (entry count, hash of the last entry) for the paper log");
  anchor->add_flag("--json", ledger->json, "JSON output {\"count\": N, \"head\": \"hex\"}");
  anchor->callback([&run, ledger] { run = [ledger] { return run_ledger_anchor(*ledger); }; });
  auto* verify_cmd = group->add_subcommand("verify", "check the hash chain and the head");
  verify_cmd->add_option("--expect-head", ledger->expect_head,
                         "the anchor from the paper log (N:HASH or HASH): refused unless that "
                         "entry is still in the chain (exit 11: rolled back or rewritten)");
  verify_cmd->callback([&run, ledger] { run = [ledger] { return run_ledger_verify(*ledger); }; });
  auto* repair = group->add_subcommand(
      "repair",
      "rewrite a missing or wrong head from the verified chain (asks; prints what it did)");
  repair->add_flag("--yes", ledger->yes, "repair without asking (scripts); the plan is printed");
  repair->callback([&run, ledger] { run = [ledger] { return run_ledger_repair(*ledger); }; });
  auto* exp = group->add_subcommand("export", "write the seq high-water marks as JSON");
  exp->add_option("--out", ledger->out, "file, or - for standard output")->required();
  exp->callback([&run, ledger] { run = [ledger] { return run_ledger_export(*ledger); }; });
  auto* imp = group->add_subcommand("import", "raise marks from an export (never lowers)");
  imp->add_option("file", ledger->import_file, "exported JSON")->required();
  imp->callback([&run, ledger] { run = [ledger] { return run_ledger_import(*ledger); }; });
  for (auto* sub : {show, anchor, verify_cmd, repair, exp, imp})
    add_state_dir_option(*sub, ledger->state_dir);
  add_reemit_command(*group, run);
  group->footer(
      "Examples:\n  dmp-sign ledger anchor                    # after a ceremony: into the paper "
      "log\n"
      "  dmp-sign ledger verify --expect-head N:HASH  # before the next one\n"
      "  dmp-sign ledger export --out marks.json   # on the old laptop\n"
      "  dmp-sign ledger import marks.json         # on the new one");
}

}  // namespace dmp::cli
