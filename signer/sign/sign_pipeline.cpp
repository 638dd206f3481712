#include "sign/sign_pipeline.hpp"

#include <cstdio>
#include <ctime>

#include "common/file_io.hpp"
#include "common/hex.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/verify.hpp"
#include "keyfile/key_access.hpp"
#include "ledger/key_history.hpp"
#include "ledger/ledger_store.hpp"
#include "output/record_text.hpp"
#include "sign/confirm.hpp"
#include "sign/fault_injection.hpp"

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
Result<Record> load_previous(const std::string& path, const PublicKey& key,
                             const std::vector<PublicKey>& predecessors, const Record& record,
                             bool allow_unverified, std::string& origin) {
  auto wire = read_wire_file(path);
  if (!wire) return wire.error();
  const auto type = record_type_of_wire(*wire);
  if (type && *type != type_of(record)) {
    return fail(Reason::invalid_field, "previous",
                "--previous " + path + ": is a " + std::string(record_type_name(*type)) +
                    " record, not a " + std::string(record_type_name(type_of(record))));
  }
  auto opened =
      type ? open_wire(*wire, *type) : Result<OpenedWire>(fail(Reason::bad_prefix, "", ""));
  std::uint64_t exp = 0;
  if (opened) {
    auto decoded = decode_body(*type, opened->blob.body);
    if (decoded) exp = exp_of(*decoded);
  }
  VerifyOptions options{.now = now_within_window(0, exp), .expected_name = signed_name(record)};
  auto verified = verify(*wire, key, options);
  if (verified) {
    origin = "--previous (verified)";
    return verified;
  }
  for (const PublicKey& predecessor : predecessors) {
    auto by_predecessor = verify(*wire, predecessor, options);
    if (by_predecessor) {
      origin = "--previous (verified under the predecessor key " + hsm::fingerprint(predecessor) +
               ", rotated to the signing key in this ledger)";
      return by_predecessor;
    }
  }
  if (!allow_unverified || !opened) {
    return fail(verified.error().reason, "previous",
                "--previous " + path +
                    ": does not verify under the signing key: " + verified.error().message +
                    (allow_unverified ? "" : " (--allow-unverified-previous to proceed anyway)"));
  }
  auto decoded = decode_body(*type, opened->blob.body);
  if (!decoded) {
    return fail(decoded.error().reason, "previous",
                "--previous " + path + ": " + decoded.error().message);
  }
  origin = "--previous (UNVERIFIED: " + verified.error().message + ")";
  return decoded;
}

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

  std::optional<Record> previous;
  if (request.previous) {
    auto loaded = load_previous(*request.previous, key, predecessors, request.input.record,
                                options.allow_unverified_previous, plan.before_origin);
    if (!loaded) return failed(loaded.error());
    previous = std::move(*loaded);
  }
  std::uint64_t highest = mark == marks.end() ? 0 : mark->second.seq;
  if (previous) highest = std::max(highest, seq_of(*previous));
  if (inherited != marks.end()) highest = std::max(highest, inherited->second.seq);
  const bool known = mark != marks.end() || previous.has_value() || inherited != marks.end();
  if (request.input.seq.automatic && known && highest == UINT64_MAX) {
    return failed(make_error(Reason::seq_not_increasing, "seq",
                             "seq: the highest seq is already 2^64-1; nothing can follow it"));
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
  if (mark != marks.end() && seq <= mark->second.seq) {
    const bool same_body = seq == mark->second.seq && mark->second.body == plan.body;
    if (!same_body) {
      return failed(make_error(
          Reason::seq_not_increasing, "seq",
          "seq: " + std::to_string(seq) + " is not above " + std::to_string(mark->second.seq) +
              ", the highest seq this ledger has signed for " + describe_mark(plan.mark) +
              " with this key; use " + std::to_string(mark->second.seq + 1) +
              " or \"auto\" (clients ignore a record whose seq is not higher)"));
    }
    plan.reemit = true;
  }
  if (previous && seq <= seq_of(*previous) && !plan.reemit) {
    return failed(make_error(Reason::seq_not_increasing, "seq",
                             "seq: " + std::to_string(seq) +
                                 " is not above the --previous wire's seq " +
                                 std::to_string(seq_of(*previous)) + "; use " +
                                 std::to_string(seq_of(*previous) + 1) + " or \"auto\""));
  }

  if (inherited != marks.end() && seq <= inherited->second.seq && !plan.reemit) {
    return failed(make_error(
        Reason::seq_not_increasing, "seq",
        "seq: " + std::to_string(seq) + " is not above " + std::to_string(inherited->second.seq) +
            ", the highest seq this ledger signed for " + describe_mark(plan.mark) + " with " +
            hsm::fingerprint(inherited->first.key) + ", which it rotated to this key; use " +
            std::to_string(inherited->second.seq + 1) + " or \"auto\""));
  }

  if (previous) {
    plan.before = std::move(previous);
  } else if (mark != marks.end() && !mark->second.body.empty()) {
    auto last = decode_body(plan.mark.type, mark->second.body);
    if (last) {
      plan.before = std::move(*last);
      plan.before_origin = "the ledger's last signature";
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
  if (exp >= now && exp - now < kThirtyDays) {
    plan.warnings.push_back("expires in " + describe_duration(exp - now) +
                            ": less than 30 days to re-sign before clients drop it");
  }
  if (known && seq > highest && seq - highest > options.seq_jump_warning) {
    plan.warnings.push_back("seq jumps by " + std::to_string(seq - highest) + " (from " +
                            std::to_string(highest) + ")");
  }
  if (options.out_dir) {
    plan.output_path =
        *options.out_dir + "/" + rrset_name(plan.record) + output::file_suffix(options.format);
  } else if (options.out && *options.out != "-") {
    plan.output_path = *options.out;
  }
  return plan;
}

std::string render_review(const std::vector<Plan>& plans, const hsm::SigningKey& key_info,
                          const PublicKey& key, std::uint64_t now, bool clock_given) {
  std::string out = "dmp-sign: review\n";
  out += "  key:   " + key_info.describe() + "\n";
  out += "         public " + hex_encode(key) + "  " + hsm::fingerprint(key) + "\n";
  out += "  clock: " + format_rfc3339_utc(now) +
         (clock_given ? "  (from --now)\n"
                      : "  (this machine's clock: on an air-gapped laptop check it, or pass "
                        "--now)\n");
  for (const Plan& plan : plans) {
    out += "\n" + plan.request->source + ":\n";
    if (plan.error) {
      out += "  REFUSED: " + plan.error->message + "\n";
      continue;
    }
    out += output::describe_record(plan.record, now, "  ");
    if (plan.reemit) {
      out += "  re-emit: identical to the body already signed at this seq (logged as reemit)\n";
    }
    if (plan.before) {
      const auto diff = output::diff_records(*plan.before, plan.record);
      out += "  changes against " + plan.before_origin + ":" + (diff.empty() ? " none\n" : "\n");
      for (const auto& line : diff)
        out += "    " + line + "\n";
    } else {
      out += "  first signature for this name and key in this ledger\n";
    }
    for (const auto& warning : plan.warnings)
      out += "  warning: " + warning + "\n";
    out += "  output: " +
           (plan.output_path.empty() ? std::string("standard output") : plan.output_path) + "\n";
  }
  return out;
}

// A stand-in SigningKey for the review, before the key is unlocked.
class PublicKeyOnly final : public hsm::SigningKey {
 public:
  PublicKeyOnly(PublicKey key, std::string description)
      : key_(key), description_(std::move(description)) {}
  const PublicKey& public_key() const noexcept override { return key_; }
  Result<Signature> sign(std::span<const std::uint8_t>) override {
    return fail(Reason::usage, "key", "key is not unlocked");
  }
  std::string describe() const override { return description_; }

 private:
  PublicKey key_;
  std::string description_;
};

Status write_output(const Plan& plan, const SignOptions& options, const std::string& wire) {
  const std::string text = output::format_wire(options.format, plan.record, wire, options.ttl);
  if (plan.output_path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (options.format == output::Format::wire) std::fputc('\n', stdout);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      return fail(Reason::io_error, "out", "standard output: write failed");
    }
    return ok();
  }
  return publish_file(plan.output_path,
                      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// sign -> self-verify -> ledger entry (durable) -> wire file.
Status execute(const Plan& plan, hsm::SigningKey& key, ledger::LockedLedger& ledger,
               std::uint64_t now, const SignOptions& options) {
  auto signature = key.sign(plan.body);
  if (!signature) return signature.error();
  crash_point("signed");
  auto wire = assemble_wire(type_of(plan.record), plan.body, *signature);
  if (!wire) return wire.error();
  // Self-check before release: a key or token that returned a wrong
  // signature must never produce a published wire.
  VerifyOptions check{.now = now_within_window(now, exp_of(plan.record)),
                      .expected_name = signed_name(plan.record),
                      .strict = true};
  auto verified = verify(*wire, key.public_key(), check);
  if (!verified || !(*verified == plan.record)) {
    return fail(Reason::bad_signature, "self_check",
                "self-check failed: the produced wire does not verify (" +
                    (verified ? std::string("fields differ") : verified.error().message) +
                    "); nothing written, no ledger entry");
  }
  crash_point("verified");
  ledger::Entry entry;
  entry.time = now;
  entry.event = plan.reemit ? ledger::Event::reemit : ledger::Event::sign;
  entry.type = plan.mark.type;
  entry.name = plan.mark.name;
  entry.key = plan.mark.key;
  entry.seq = seq_of(plan.record);
  entry.exp = exp_of(plan.record);
  entry.body = plan.body;
  auto appended = ledger.append(std::move(entry));
  if (!appended) return appended.error();
  if (auto written = write_output(plan, options, *wire); !written) {
    return fail(written.error().reason, written.error().field,
                written.error().message +
                    " (the ledger entry was recorded: sign the same input "
                    "again with the same seq to re-emit it)");
  }
  crash_point("wire_written");
  std::fprintf(stderr, "dmp-sign: %s %s seq %llu -> %s\n", plan.reemit ? "re-emitted" : "signed",
               rrset_name(plan.record).c_str(),
               static_cast<unsigned long long>(seq_of(plan.record)),
               plan.output_path.empty() ? "standard output" : plan.output_path.c_str());
  return ok();
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
                "exp: " + format_rfc3339_utc(exp) + " is before the signing clock " +
                    format_rfc3339_utc(now) + "; verifiers would reject it" +
                    (allow_expired ? " (--allow-expired to sign anyway)" : ""));
  }
  if (exp > now && exp - now > kMaxExpAhead) {
    return fail(Reason::expiry_policy, "exp",
                "exp: " + format_rfc3339_utc(exp) +
                    " is more than 5 years after the signing clock " + format_rfc3339_utc(now) +
                    "; verifiers reject such records");
  }
  return ok();
}

Result<std::string> read_wire_file(const std::string& path) {
  auto read = read_file_capped(path, kMaxWireFileLen);
  if (!read) return fail(Reason::io_error, path, read.error().message);
  if (read->over_cap) {
    return fail(Reason::too_long, path, path + ": larger than 64 KiB; not a wire file");
  }
  std::string wire = std::move(read->bytes);
  if (!wire.empty() && wire.back() == '\n') wire.pop_back();
  return wire;
}

Status run_sign(const std::vector<SignRequest>& requests, const SignOptions& options) {
  if (requests.size() > 1 && !options.out_dir) {
    return fail(Reason::usage, "out_dir", "several inputs need --out-dir DIR");
  }
  auto key_info = keyfile::load_key_info(options.key_path, options.key_access);
  if (!key_info) return key_info.error();
  const PublicKey key = key_info->public_key;
  const std::uint64_t now = options.now.value_or(
      static_cast<std::uint64_t>(std::max<std::time_t>(0, std::time(nullptr))));

  auto ledger = ledger::LockedLedger::open(options.state_dir, options.lock_wait);
  if (!ledger) return ledger.error();
  const auto marks = ledger::high_water_marks((*ledger)->entries());

  std::vector<Plan> plans;
  for (const SignRequest& request : requests) {
    plans.push_back(plan_record(request, key, (*ledger)->entries(), marks, now, options));
  }
  // Two inputs for the same name in one batch would both claim the same seq.
  for (std::size_t i = 0; i < plans.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (!plans[i].error && !plans[j].error && plans[i].mark == plans[j].mark) {
        plans[i].error = make_error(Reason::invalid_field, "input",
                                    describe_mark(plans[i].mark) + " is also signed by " +
                                        plans[j].request->source + " in this batch");
      }
    }
  }
  std::optional<Error> first_error;
  std::size_t signable = 0;
  for (const Plan& plan : plans) {
    if (plan.error && !first_error) first_error = *plan.error;
    if (!plan.error) ++signable;
  }
  // Nothing to sign: the refusal alone is the answer, on one line.
  if (signable == 0 && plans.size() == 1) return *first_error;
  const PublicKeyOnly review_key(key, key_info->describe(options.key_path));
  std::fputs(render_review(plans, review_key, key, now, options.now.has_value()).c_str(), stderr);
  if (signable == 0) return *first_error;
  if (!options.yes) {
    const std::string question = "Sign " + std::to_string(signable) + " record(s)?";
    if (auto confirmed = confirm_yes_no(question, "--yes"); !confirmed) return confirmed;
  }
  crash_point("confirmed");
  auto signing_key = keyfile::unlock_signing_key(options.key_path, options.key_access);
  if (!signing_key) return signing_key.error();
  crash_point("unlocked");
  for (const Plan& plan : plans) {
    if (plan.error) continue;
    if (auto done = execute(plan, **signing_key, **ledger, now, options); !done) {
      if (plans.size() > 1)
        std::fprintf(stderr, "dmp-sign: %s: %s [%s]\n", plan.request->source.c_str(),
                     done.error().message.c_str(), reason_name(done.error().reason));
      if (!first_error) first_error = done.error();
    }
  }
  if (first_error) return *first_error;
  return ok();
}

}  // namespace dmp::cli
