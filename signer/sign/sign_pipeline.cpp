#include "sign/sign_pipeline.hpp"

#include <cstdio>
#include <ctime>

#include "common/file_io.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"
#include "keyfile/key_access.hpp"
#include "ledger/key_history.hpp"
#include "ledger/ledger_store.hpp"
#include "output/key_text.hpp"
#include "output/record_diff.hpp"
#include "output/record_text.hpp"
#include "output/terminal_text.hpp"
#include "sign/ceremony.hpp"
#include "sign/host_lint.hpp"

namespace dmp::cli {
namespace {

constexpr std::uint64_t kThirtyDays = 30ULL * 86400;
constexpr std::size_t kMaxWireFileLen = 64 * 1024;

// One record on its way through the pipeline.
struct Plan {
  const SignRequest* request = nullptr;
  std::optional<Error> error;  // set: skipped, nothing written
  Record record;
  Bytes body;
  ledger::MarkKey mark;
  bool reemit = false;
  std::optional<Record> before;  // what the diff compares against
  std::string before_origin;     // "ledger" / "--previous (verified)" / ...
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
  std::string output_path;  // "" = stdout
};

bool has_upper_case(std::string_view name) {
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}

std::vector<std::string> names_of(const Record& record) {
  std::vector<std::string> names{signed_name(record)};
  if (const auto* b = std::get_if<BootstrapRecord>(&record)) {
    for (const auto& e : b->entries)
      names.push_back(e.cluster_base_domain);
  }
  return names;
}

std::string describe_mark(const ledger::MarkKey& mark) {
  return std::string(record_type_name(mark.type)) + " " + mark.name;
}

// The previously published wire, verified against the signing key (or a
// key this ledger rotated into it: the first record after a rotation
// continues the old key's) and bound to the record's name. Time is not held
// against it: a lapsed record is exactly what one renews.
Result<Record> load_previous(const SignRequest& request, const PublicKey& key,
                             const std::vector<PublicKey>& predecessors, const Record& record,
                             bool allow_unverified, std::string& origin) {
  // From --previous FILE, or embedded in the input by `dmp-sign draft`: the
  // same checks either way.
  const bool embedded = request.input.previous.has_value();
  const std::string source = embedded ? request.source + " \"previous\"" : *request.previous;
  const std::string label = embedded ? source : request.previous_option + " " + source;
  auto published =
      embedded ? published_record_of(source, *request.input.previous, std::nullopt)
      : request.previous_bytes
          ? published_record_of(source, *request.previous_bytes, request.previous_record)
          : read_published_record(source, request.previous_record);
  if (!published) return published.error();
  // A zone or dig line names where it was published: that must be this
  // record's RRset, or the line was copied from somewhere else.
  if (published->owner && !owner_matches(*published->owner, rrset_name(record))) {
    return fail(Reason::name_mismatch, label,
                "the zone owner " + *published->owner + " is not this record's RRset " +
                    rrset_name(record));
  }
  const std::string& wire = published->wire;
  const auto type = record_type_of_wire(wire);
  if (type && *type != type_of(record)) {
    return fail(Reason::invalid_field, label,
                "is a " + std::string(record_type_name(*type)) + " record, not a " +
                    std::string(record_type_name(type_of(record))));
  }
  auto opened =
      type ? open_wire(wire, *type) : Result<OpenedWire>(fail(Reason::bad_prefix, "", ""));
  std::uint64_t exp = 0;
  if (opened) {
    auto decoded = decode_body(*type, opened->blob.body);
    if (decoded) exp = exp_of(*decoded);
  }
  VerifyOptions options{.now = now_within_window(0, exp), .expected_name = signed_name(record)};
  const std::string verified_origin = embedded ? "the draft's previous record" : "--previous";
  auto verified = verify(wire, key, options);
  if (verified) {
    origin = verified_origin + " (verified)";
    return verified;
  }
  for (const PublicKey& predecessor : predecessors) {
    auto by_predecessor = verify(wire, predecessor, options);
    if (by_predecessor) {
      origin = verified_origin + " (verified under the predecessor key " +
               hsm::fingerprint(predecessor) + ", rotated to the signing key in this ledger)";
      return by_predecessor;
    }
  }
  if (!allow_unverified || !opened) {
    return fail(verified.error().reason, label,
                "does not verify under the signing key: " + verified.error().message() +
                    (allow_unverified ? "" : " (--allow-unverified-previous to proceed anyway)"));
  }
  auto decoded = decode_body(*type, opened->blob.body);
  if (!decoded) {
    return fail(decoded.error().reason, label, decoded.error().message());
  }
  // Unverified is still the same RRset: another name's record is no floor
  // and no diff for this one, whatever the override says.
  if (!name_matches_expected(signed_name(*decoded), signed_name(record))) {
    return fail(Reason::name_mismatch, label,
                "is a record for " + signed_name(*decoded) + ", not " + signed_name(record) +
                    " (--allow-unverified-previous lifts the signature check only)");
  }
  origin = verified_origin + " (UNVERIFIED: " + verified.error().message() + ")";
  return decoded;
}

std::string output_path_of(const SignRequest& request, const SignOptions& options);

Plan plan_record(const SignRequest& request, const PublicKey& key,
                 const std::vector<ledger::Entry>& entries,
                 const std::map<ledger::MarkKey, ledger::Mark>& marks, std::uint64_t now,
                 const SignOptions& options) {
  Plan plan;
  plan.request = &request;
  const auto failed = [&plan](Error error) {
    plan.error = std::move(error);
    return plan;
  };
  plan.mark = ledger::MarkKey{type_of(request.input.record),
                              ledger::normalize_name(signed_name(request.input.record)), key};
  const auto mark = marks.find(plan.mark);
  // What the keys rotated into this one signed for the name: the highest.
  const auto predecessors = ledger::predecessors_of(
      entries, ledger::subject_type_signing(plan.mark.type), plan.mark.name, key);
  auto inherited = marks.end();
  for (const PublicKey& predecessor : predecessors) {
    const auto found = marks.find(ledger::MarkKey{plan.mark.type, plan.mark.name, predecessor});
    if (found != marks.end() &&
        (inherited == marks.end() || found->second.seq > inherited->second.seq))
      inherited = found;
  }

  // Another key this ledger signed the name with, not linked to this one by
  // a rotation: a new key would otherwise start again at seq 1 unnoticed.
  auto other_key = marks.end();
  for (auto it = marks.begin(); it != marks.end(); ++it) {
    if (it->first.type != plan.mark.type || it->first.name != plan.mark.name ||
        it->first.key == key)
      continue;
    if (std::find(predecessors.begin(), predecessors.end(), it->first.key) != predecessors.end())
      continue;
    if (other_key == marks.end() || it->second.seq > other_key->second.seq) other_key = it;
  }
  if (other_key != marks.end() && mark == marks.end() && inherited == marks.end()) {
    if (!options.allow_key_change) {
      return failed(make_error(
          Reason::key_change, "key",
          "this ledger last signed " + describe_mark(plan.mark) + " with " +
              hsm::fingerprint(other_key->first.key) + " at seq " +
              std::to_string(other_key->second.seq) + ", and no rotation in it links that key to " +
              hsm::fingerprint(key) +
              "; clients pinned to the old key refuse the new one: rotate (dmp-sign rotate), or "
              "pass --allow-key-change if the change is intended"));
    }
    plan.warnings.push_back("KEY CHANGE: this ledger last signed " + describe_mark(plan.mark) +
                            " with " + hsm::fingerprint(other_key->first.key) + " (seq " +
                            std::to_string(other_key->second.seq) +
                            "); clients pinned to that key will refuse this record "
                            "(--allow-key-change)");
  } else {
    other_key = marks.end();
  }

  if (auto text = input::check_terminal_safe_fields(request.input.record); !text) {
    return failed(text.error());
  }

  std::optional<Record> previous;
  if (request.previous || request.input.previous) {
    auto loaded = load_previous(request, key, predecessors, request.input.record,
                                options.allow_unverified_previous, plan.before_origin);
    if (!loaded) return failed(loaded.error());
    previous = std::move(*loaded);
  }
  std::uint64_t highest = mark == marks.end() ? 0 : mark->second.seq;
  if (previous) highest = std::max(highest, seq_of(*previous));
  if (inherited != marks.end()) highest = std::max(highest, inherited->second.seq);
  if (other_key != marks.end()) highest = std::max(highest, other_key->second.seq);
  const bool known = mark != marks.end() || previous.has_value() || inherited != marks.end() ||
                     other_key != marks.end();
  if (!known && !options.first) {
    return failed(make_error(
        Reason::first_signature, "previous",
        "this ledger has no signature for " + describe_mark(plan.mark) +
            "; give the published record (--previous PUBLISHED.wire) so its seq is the floor, or "
            "--first if no record for this name was ever published"));
  }
  if (known && options.first && !previous) {
    plan.notes.push_back("--first given, but this ledger already signed " +
                         describe_mark(plan.mark) + ": its seq is the floor");
  }
  if (request.input.seq.automatic && known && highest == UINT64_MAX) {
    return failed(make_error(Reason::seq_not_increasing, "seq",
                             "the highest seq is already 2^64-1; nothing can follow it"));
  }
  const std::uint64_t auto_seq = known ? highest + 1 : 1;

  auto resolved = input::resolve(request.input, key, auto_seq, now);
  if (!resolved) return failed(resolved.error());
  auto normalized = normalize(*resolved);
  if (!normalized) return failed(normalized.error());
  plan.record = std::move(*normalized);
  auto body = encode_body(plan.record);
  if (!body) return failed(body.error());
  plan.body = std::move(*body);
  // The length cap is the codec's rule: assemble with a placeholder signature
  // (same size as the real one) to apply it before anything is signed.
  if (auto sized = assemble_wire(type_of(plan.record), plan.body, Signature{}); !sized) {
    return failed(sized.error());
  }

  const std::uint64_t exp = exp_of(plan.record);
  if (auto policy = check_expiry_policy(exp, now, options.allow_expired); !policy) {
    return failed(policy.error());
  }

  // Seq policy: strictly above everything signed (ledger) or published
  // (--previous) for this name and key; re-emitting the identical body at
  // the high-water seq is the one exception (same bytes, same signature).
  const std::uint64_t seq = seq_of(plan.record);
  if (seq == UINT64_MAX && !options.allow_max_seq) {
    return failed(make_error(Reason::invalid_field, "seq",
                             "2^64-1 leaves no seq above it, so nothing could ever replace "
                             "this record; pass --allow-max-seq if you mean it"));
  }
  if (mark != marks.end() && seq <= mark->second.seq) {
    const bool same_body = seq == mark->second.seq && mark->second.body == plan.body;
    if (!same_body) {
      return failed(make_error(
          Reason::seq_not_increasing, "seq",
          std::to_string(seq) + " is not above " + std::to_string(mark->second.seq) +
              ", the highest seq this ledger has signed for " + describe_mark(plan.mark) +
              " with this key; use " + std::to_string(mark->second.seq + 1) +
              " or \"auto\" (clients ignore a record whose seq is not higher)"));
    }
    plan.reemit = true;
  }
  if (previous && seq <= seq_of(*previous) && !plan.reemit) {
    return failed(
        make_error(Reason::seq_not_increasing, "seq",
                   std::to_string(seq) + " is not above the " +
                       std::string(request.input.previous ? "draft's previous" : "--previous") +
                       " wire's seq " + std::to_string(seq_of(*previous)) + "; use " +
                       std::to_string(seq_of(*previous) + 1) + " or \"auto\""));
  }

  if (inherited != marks.end() && seq <= inherited->second.seq && !plan.reemit) {
    return failed(make_error(
        Reason::seq_not_increasing, "seq",
        std::to_string(seq) + " is not above " + std::to_string(inherited->second.seq) +
            ", the highest seq this ledger signed for " + describe_mark(plan.mark) + " with " +
            hsm::fingerprint(inherited->first.key) + ", which it rotated to this key; use " +
            std::to_string(inherited->second.seq + 1) + " or \"auto\""));
  }

  // The ledger signed the name after the published record: this input may
  // be one the laptop signed already (a draft signed twice), or that
  // signature was never published.
  if (previous && mark != marks.end() && mark->second.seq > seq_of(*previous)) {
    plan.warnings.push_back("this ledger signed seq " + std::to_string(mark->second.seq) +
                            " for the name after the published seq " +
                            std::to_string(seq_of(*previous)) +
                            ": is this input signed already, or was seq " +
                            std::to_string(mark->second.seq) + " never published?");
  }
  if (previous) {
    plan.before = std::move(previous);
  } else if (mark != marks.end() && !mark->second.body.empty()) {
    auto last = decode_body(plan.mark.type, mark->second.body);
    if (last) {
      plan.before = std::move(*last);
      plan.before_origin = "the ledger's last signature";
    }
  } else if (other_key != marks.end() && !other_key->second.body.empty()) {
    auto last = decode_body(plan.mark.type, other_key->second.body);
    if (last) {
      plan.before = std::move(*last);
      plan.before_origin =
          "the ledger's last signature by the OTHER key " + hsm::fingerprint(other_key->first.key);
    }
  } else if (inherited != marks.end() && !inherited->second.body.empty()) {
    auto last = decode_body(plan.mark.type, inherited->second.body);
    if (last) {
      plan.before = std::move(*last);
      plan.before_origin = "the ledger's last signature by the predecessor key " +
                           hsm::fingerprint(inherited->first.key);
    }
  }

  for (const std::string& name : names_of(plan.record)) {
    if (has_upper_case(name)) {
      plan.warnings.push_back("'" + name +
                              "' has upper case: nodes look names up in lower case, "
                              "so it may not resolve (spec §2.5)");
    }
  }
  // Still allowed (a compromised key may have to sign once more for the
  // nodes not yet re-pinned), but never unnoticed.
  if (const auto revoked = ledger::revoked_at(entries, ledger::subject_type_signing(plan.mark.type),
                                              plan.mark.name, key)) {
    plan.warnings.push_back("this key was revoked for '" + plan.mark.name +
                            "' by this ledger (ts " + format_rfc3339_utc(*revoked) +
                            "): clients that see the revocation drop whatever it signs");
  }
  for (std::string& near : near_miss_hosts(plan.record, plan.before))
    plan.warnings.push_back(std::move(near));
  if (exp >= now && exp - now < kThirtyDays) {
    plan.warnings.push_back("expires in " + describe_duration(exp - now) +
                            ": less than 30 days to re-sign before clients drop it");
  }
  if (known && seq > highest && seq - highest > options.seq_jump_warning) {
    plan.warnings.push_back("seq jumps by " + std::to_string(seq - highest) + " (from " +
                            std::to_string(highest) + ")");
  }
  plan.output_path = output_path_of(request, options);
  return plan;
}

output::MarkedText render_review(const std::vector<Plan>& plans, const std::string& key_description,
                                 const PublicKey& key, std::uint64_t now, bool clock_given) {
  output::MarkedText out;
  out.line("  key:   ").add(key_description);
  out.line("         public " + output::key_text(key));
  out.line("  clock: " + format_rfc3339_utc(now) +
           (clock_given ? "  (from --now)"
                        : "  (this machine's clock: on an air-gapped laptop check it, or pass "
                          "--now)"));
  for (const Plan& plan : plans) {
    out.line();
    out.line().add(plan.request->source).add(":");
    if (plan.error) {
      out.line("  REFUSED: ").add(plan.error->message());
      continue;
    }
    out.add(output::describe_record(plan.record, now, "  "));
    if (plan.reemit) {
      out.line("  re-emit: identical to the body already signed at this seq (logged as reemit)");
    }
    if (plan.before) {
      const auto diff = output::diff_records(*plan.before, plan.record, "    ");
      out.line("  changes against ").add(plan.before_origin).add(diff.empty() ? ": none" : ":");
      out.add(diff);
    } else {
      out.line(
          "  first signature for this name: --first says no record for it was ever "
          "published");
    }
    for (const auto& note : plan.notes)
      out.line("  note: ").add(note);
    for (const auto& warning : plan.warnings)
      out.line("  warning: ").add(warning);
    out.line("  output: ")
        .add(plan.output_path.empty() ? std::string("standard output") : plan.output_path);
  }
  return out;
}

// The item the ceremony signs for one plan: the wire, self-verified as a
// client with the signing key pinned would verify it, then formatted.
CeremonyItem item_for(const Plan& plan, const SignOptions& options, const PublicKey& key,
                      std::uint64_t now) {
  CeremonyItem item;
  item.label = plan.request->source;
  item.body = plan.body;
  ledger::Entry entry;
  entry.time = now;
  entry.event = plan.reemit ? ledger::Event::reemit : ledger::Event::sign;
  entry.type = plan.mark.type;
  entry.name = plan.mark.name;
  entry.key = plan.mark.key;
  entry.seq = seq_of(plan.record);
  entry.exp = exp_of(plan.record);
  entry.body = plan.body;
  item.entries.push_back(std::move(entry));
  const Record record = plan.record;
  item.assemble = [record, key,
                   now](const std::vector<Signature>& signatures) -> Result<std::string> {
    auto wire = assemble_wire(type_of(record), *encode_body(record), signatures.at(0));
    if (!wire) return wire.error();
    // A key or token that returned a wrong signature must never produce a
    // published wire.
    VerifyOptions check{.now = now_within_window(now, exp_of(record)),
                        .expected_name = signed_name(record),
                        .strict = true};
    auto verified = verify(*wire, key, check);
    if (!verified || !(*verified == record)) {
      return fail(Reason::bad_signature, "self-check failed",
                  "the produced wire does not verify (" +
                      (verified ? std::string("fields differ") : verified.error().message()) +
                      "); nothing written, no ledger entry");
    }
    return wire;
  };
  const output::Format format = options.format;
  const std::uint32_t ttl = options.ttl;
  item.render = [record, format, ttl](const std::string& wire) -> Result<std::string> {
    return output::format_wire(format, record, wire, ttl);
  };
  item.out = plan.output_path;
  item.newline = plan.output_path.empty() && format == output::Format::wire;
  item.done = std::string(plan.reemit ? "re-emitted " : "signed ") + rrset_name(plan.record) +
              " seq " + std::to_string(seq_of(plan.record));
  return item;
}

std::string output_path_of(const SignRequest& request, const SignOptions& options) {
  if (options.out_dir) {
    return *options.out_dir + "/" + rrset_name(request.input.record) +
           output::file_suffix(options.format);
  }
  if (options.out && *options.out != "-") return *options.out;
  return "";
}

}  // namespace

std::uint64_t now_within_window(std::uint64_t clock, std::uint64_t exp) noexcept {
  if (clock > exp) return exp;
  if (exp - clock > kMaxExpAhead) return exp - kMaxExpAhead;
  return clock;
}

Status check_expiry_policy(std::uint64_t exp, std::uint64_t now,
                           std::optional<bool> allow_expired) {
  if (exp < now && !allow_expired.value_or(false)) {
    return fail(Reason::expiry_policy, "exp",
                format_rfc3339_utc(exp) + " is before the signing clock " +
                    format_rfc3339_utc(now) + "; verifiers would reject it" +
                    (allow_expired ? " (--allow-expired to sign anyway)" : ""));
  }
  if (exp > now && exp - now > kMaxExpAhead) {
    return fail(Reason::expiry_policy, "exp",
                format_rfc3339_utc(exp) + " is more than 5 years after the signing clock " +
                    format_rfc3339_utc(now) + "; verifiers reject such records");
  }
  return ok();
}

Result<std::string> read_published_bytes(const std::string& path) {
  auto read = path == "-" ? read_stdin_capped("-", kMaxWireFileLen)
                          : read_file_capped(path, kMaxWireFileLen);
  if (!read) return fail(Reason::io_error, read.error().field, read.error().rule);
  if (read->over_cap) {
    return fail(Reason::too_long, path, "larger than 64 KiB; not a published record");
  }
  return std::move(read->bytes);
}

namespace {

// Type, signed name and seq of a DMP wire, when it decodes.
struct WireSummary {
  RecordType type;
  std::string name;
  std::uint64_t seq;
};
std::optional<WireSummary> summary_of(std::string_view wire) {
  const auto type = record_type_of_wire(wire);
  if (!type || (*type != RecordType::cluster && *type != RecordType::bootstrap))
    return std::nullopt;
  auto opened = open_wire(wire, *type);
  if (!opened) return std::nullopt;
  auto decoded = decode_body(*type, opened->blob.body);
  if (!decoded) return std::nullopt;
  return WireSummary{*type, ledger::normalize_name(signed_name(*decoded)), seq_of(*decoded)};
}

}  // namespace

Result<RecordInput> published_record_of(const std::string& path, std::string_view bytes,
                                        std::optional<std::size_t> choose) {
  auto all = read_records(bytes);
  if (!all && all.error().reason == Reason::bad_prefix) {
    return fail(Reason::bad_prefix, path,
                "not a DMP record: neither a wire (v=dmp1;...) nor zone text or dig output "
                "holding one (" +
                    all.error().message() + ")");
  }
  if (!all) {
    Error error = all.error();
    return error.within(path);
  }
  auto record = choose_record(*all, choose);
  if (!record) {
    Error error = record.error();
    return error.within(path);
  }
  if (!choose) return record;
  const auto chosen = summary_of(record->wire);
  if (!chosen) return record;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const auto other = summary_of((*all)[i].wire);
    if (other && other->type == chosen->type && other->name == chosen->name &&
        other->seq > chosen->seq) {
      return fail(Reason::invalid_field, "--record",
                  "record " + std::to_string(i + 1) + " of " + path + " is seq " +
                      std::to_string(other->seq) + " of the same name, newer than the chosen seq " +
                      std::to_string(chosen->seq) +
                      ": the published floor is the newest record; choose --record " +
                      std::to_string(i + 1));
    }
  }
  return record;
}

Result<RecordInput> read_published_record(const std::string& path,
                                          std::optional<std::size_t> choose) {
  auto bytes = read_published_bytes(path);
  if (!bytes) return bytes.error();
  return published_record_of(path, *bytes, choose);
}

Status run_sign(const std::vector<SignRequest>& requests, const SignOptions& options) {
  if (requests.size() > 1 && !options.out_dir) {
    return fail(Reason::usage, "", "several inputs need --out-dir DIR");
  }
  auto key_info = keyfile::load_key_info(options.key_path, options.key_access);
  if (!key_info) return key_info.error();
  const PublicKey key = key_info->public_key;
  const std::uint64_t now = options.now.value_or(
      static_cast<std::uint64_t>(std::max<std::time_t>(0, std::time(nullptr))));

  CeremonySpec spec;
  spec.state_dir = options.state_dir;
  spec.lock_wait = options.lock_wait;
  spec.targets.state_dir = options.state_dir;
  protect_key_files(spec.targets, options.key_path, options.key_access, "");
  for (const SignRequest& request : requests) {
    spec.targets.outputs.push_back(output_path_of(request, options));
    if (request.source != "-")
      spec.targets.protected_files.push_back({request.source, "an input file"});
    if (request.previous) {
      spec.targets.protected_files.push_back({*request.previous, "the --previous wire"});
    }
  }
  spec.signers.push_back(CeremonySigner{options.key_path, options.key_access, key});
  const std::string description = key_info->describe(options.key_path);
  spec.plan = [&](const std::vector<ledger::Entry>& entries) -> Result<CeremonyPlan> {
    const auto marks = ledger::high_water_marks(entries);
    std::vector<Plan> plans;
    for (const SignRequest& request : requests) {
      plans.push_back(plan_record(request, key, entries, marks, now, options));
    }
    // Two inputs for the same name in one batch would both claim the same seq.
    for (std::size_t i = 0; i < plans.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (!plans[i].error && !plans[j].error && plans[i].mark == plans[j].mark) {
          plans[i].error = make_error(Reason::invalid_field, "",
                                      describe_mark(plans[i].mark) + " is also signed by " +
                                          plans[j].request->source + " in this batch");
        }
      }
    }
    CeremonyPlan plan;
    for (const Plan& p : plans) {
      if (p.error && !plan.first_refusal) plan.first_refusal = *p.error;
      if (!p.error) plan.items.push_back(item_for(p, options, key, now));
      if (p.error && plans.size() > 1) {
        plan.quiet_lines.push_back(p.request->source + ": REFUSED: " + p.error->message() + " [" +
                                   reason_name(p.error->reason) + "]");
      }
      for (const auto& warning : p.warnings)
        plan.quiet_lines.push_back(p.request->source + ": warning: " + warning);
    }
    // Nothing to sign: the refusal alone is the answer, on one line.
    plan.refusal_alone = plans.size() == 1;
    plan.review = render_review(plans, description, key, now, options.now.has_value());
    plan.question = "Sign " + std::to_string(plan.items.size()) + " record(s)?";
    return plan;
  };
  spec.confirm.skip = options.yes;
  spec.confirm.skip_flag = "--yes";
  spec.quiet = options.quiet && options.yes;
  return run_ceremony(spec);
}

}  // namespace dmp::cli
