#include "sign/rotate_ceremonies.hpp"
#include "output/terminal_text.hpp"

#include <cstdio>

#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/verify.hpp"
#include "output/key_record_text.hpp"
#include "sign/ceremony.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli::rotation {
namespace {

// Does the ledger already hold this body signed by `signer`?
bool signed_before(const std::vector<ledger::Entry>& entries, const Bytes& body,
                   const PublicKey& signer) {
  for (const auto& entry : entries) {
    if (entry.type == RecordType::rotation && entry.key == signer && entry.body == body)
      return true;
  }
  return false;
}

// The ceremony's frame shared by the three commands: ledger, clock, outputs.
Result<CeremonySpec> spec_for(const LedgerOptions& ledger_options, const std::string& out) {
  CeremonySpec spec;
  auto dir = resolve_state_dir(ledger_options.state_dir);
  if (!dir) return dir.error();
  spec.state_dir = *dir;
  spec.lock_wait = ledger_options.lock_wait();
  spec.targets.state_dir = *dir;
  spec.targets.outputs.push_back(out);
  return spec;
}

std::string done_text(const char* verb, const RotationRecord& record) {
  return std::string(verb) + " rotation " +
         rotation_rrset_name(record.subject_type, record.subject).value_or("-") + " seq " +
         std::to_string(record.seq) + " (DRAFT format)";
}

// A key record's output: the wire in the chosen format, to --out or stdout.
template <typename KeyRecord>
void write_key_record_to(CeremonyItem& item, const KeyRecord& record,
                         const OutputOptions& output_options) {
  item.render = [record, output_options](const std::string& wire) -> Result<std::string> {
    return output::format_key_record_wire(output_options.format, record, wire,
                                          output_options.ttl_or_default());
  };
  item.out = output_options.out;
  item.newline = output_options.format == output::Format::wire;
}

}  // namespace

// --- rotate sign-old / sign-new ---------------------------------------------

Status run_sign_half(const SignHalfCommand& c) {
  const bool old_half = c.half == Half::old_key;
  const char* const member = old_half ? "sig_old" : "sig_new";
  const char* const command = old_half ? "sign-old" : "sign-new";
  auto now = resolve_clock(c.ledger.now);
  if (!now) return now.error();
  auto request = load_request(c.file);
  if (!request) return request.error();
  const RotationRecord record = request->record;
  const PublicKey expected = old_half ? record.old_spk : record.new_spk;
  const PublicKey& other = old_half ? record.new_spk : record.old_spk;

  const keyfile::KeyAccess access = to_key_access(c.key, c.helpers);
  auto info = keyfile::load_key_info(c.key.key, access);
  if (!info) return info.error();
  if (info->public_key != expected) {
    return fail(Reason::key_mismatch, "key",
                c.key.key + " holds " + hsm::fingerprint(info->public_key) +
                    ", but the request's " + (old_half ? "old" : "new") + " key is " +
                    hsm::fingerprint(expected) +
                    (info->public_key == other
                         ? std::string(" (that is its ") + (old_half ? "new" : "old") +
                               " key: use rotate " + (old_half ? "sign-new" : "sign-old") + ")"
                         : std::string()));
  }
  if (old_half ? request->sig_old : request->sig_new) {
    std::fprintf(stderr, "dmp-sign: %s: %s is already present and verifies; nothing to do\n",
                 output::terminal_safe(c.file).c_str(), member);
    return ok();
  }
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;

  // The request is replaced in place by default: it is the one input that
  // is also an output, so it is not among the protected files.
  const std::string out = c.out.empty() ? c.file : c.out;
  auto spec = spec_for(c.ledger, out);
  if (!spec) return spec.error();
  protect_key_files(spec->targets, c.key.key, access, "");
  spec->signers.push_back(CeremonySigner{c.key.key, access, expected});
  const std::string description = info->describe(c.key.key);
  const input::RotationRequest loaded = *request;
  spec->plan = [&](const std::vector<ledger::Entry>& entries) -> Result<CeremonyPlan> {
    auto standing = ledger::check_rotation(entries, record, loaded.body, c.abandon_unfinished);
    if (!standing) return standing.error();
    CeremonyPlan plan;
    // Same first line as sign's review: scripts and tests look for it.
    output::MarkedText& review = plan.review;
    review.line("  step:    rotate " + std::string(command));
    review.line("  key:     ").add(description);
    review.add_lines(clock_line(*now, c.ledger.now));
    review.line();
    review.line().add(c.file).add(":");
    review.add(output::describe_rotation(record, *now, "  "));
    review.add_lines(kDraftNote);
    review.add_lines(describe_standing(*standing));
    review.line(std::string("  ") + (old_half ? "sig_new" : "sig_old") + ": " +
                signature_state(old_half ? loaded.sig_new : loaded.sig_old));
    review.line("  output:  ").add(out).add(std::string(" (") + member + " added)");
    CeremonyItem item;
    item.label = c.file;
    item.body = loaded.body;
    item.entries.push_back(ledger::rotation_entry(record, loaded.body, expected, *now,
                                                  signed_before(entries, loaded.body, expected)));
    item.assemble = [loaded, expected,
                     old_half](const std::vector<Signature>& signatures) -> Result<std::string> {
      // A key or token that returned a wrong signature must not yield a request.
      if (auto checked = check_signature(loaded.body, signatures.at(0), expected); !checked) {
        return fail(Reason::bad_signature, "self-check failed",
                    "the signature just made does not verify under " + hsm::fingerprint(expected) +
                        " (" + checked.error().message() + "); nothing written, no ledger entry");
      }
      input::RotationRequest updated = loaded;
      (old_half ? updated.sig_old : updated.sig_new) = signatures.at(0);
      return input::format_rotation_request(updated);
    };
    // The other half may have been added to the same file meanwhile (another
    // signer on this machine): keep it rather than write over it.
    const std::string file = c.file;
    item.render = [file, out](const std::string& assembled) -> Result<std::string> {
      auto updated = input::parse_rotation_request(assembled);
      if (!updated) return updated.error();
      if (out == file) {
        auto current = load_request(file);
        if (current && current->body == updated->body) {
          if (!updated->sig_old) updated->sig_old = current->sig_old;
          if (!updated->sig_new) updated->sig_new = current->sig_new;
        }
      }
      return input::format_rotation_request(*updated);
    };
    item.out = out;
    item.done = std::string(member) + " added";
    plan.items.push_back(std::move(item));
    plan.question =
        std::string("Sign this rotation with the ") + (old_half ? "OLD" : "NEW") + " key?";
    return plan;
  };
  spec->confirm = Confirmation{c.yes, "", "", "--yes"};
  if (auto done = run_ceremony(*spec); !done) return done;
  auto written = load_request(out);
  const bool complete = written && written->sig_old && written->sig_new;
  std::fprintf(stderr, "dmp-sign: %s\n",
               complete
                   ? output::terminal_safe("both signatures present: dmp-sign rotate assemble " +
                                           out + " --out rotation.wire")
                         .c_str()
                   : (std::string("still missing: ") +
                      (old_half ? "sig_new (rotate sign-new)" : "sig_old (rotate sign-old)"))
                         .c_str());
  return ok();
}

// --- rotate (one step) ----------------------------------------------------------

Status run_rotate(const RotateCommand& c) {
  for (const auto& [given, option] : {std::pair(!c.old_key.key.empty(), "--old-key"),
                                      std::pair(!c.new_key.key.empty(), "--new-key"),
                                      std::pair(!c.fields.subject.empty(), "--subject")}) {
    if (!given) {
      return fail(Reason::usage, "",
                  std::string("rotate: ") + option +
                      " is required (or name a step: prepare, show, sign-old, sign-new, "
                      "assemble)");
    }
  }
  for (const auto& [value, option] :
       {std::pair(&c.old_key.key, "--old-key"), std::pair(&c.new_key.key, "--new-key")}) {
    if (is_public_key_hex(*value)) {
      return fail(Reason::usage, "",
                  std::string("rotate: ") + option +
                      " is a public key, but the one-step rotate signs with both keys: give the "
                      "key file or PKCS#11 URI (a public key alone is for rotate prepare)");
    }
  }
  auto now = resolve_clock(c.ledger.now);
  if (!now) return now.error();
  const keyfile::KeyAccess old_access = to_key_access(c.old_key, c.helpers);
  const keyfile::KeyAccess new_access = to_key_access(c.new_key, c.helpers);
  auto old_info = keyfile::load_key_info(c.old_key.key, old_access);
  if (!old_info) return old_info.error();
  auto new_info = keyfile::load_key_info(c.new_key.key, new_access);
  if (!new_info) return new_info.error();

  auto spec = spec_for(c.ledger, c.output.out);
  if (!spec) return spec.error();
  protect_key_files(spec->targets, c.old_key.key, old_access, "old-");
  protect_key_files(spec->targets, c.new_key.key, new_access, "new-");
  // Old key first: the wire carries sig_old before sig_new.
  spec->signers.push_back(CeremonySigner{c.old_key.key, old_access, old_info->public_key});
  spec->signers.push_back(CeremonySigner{c.new_key.key, new_access, new_info->public_key});
  spec->plan = [&](const std::vector<ledger::Entry>& entries) -> Result<CeremonyPlan> {
    auto built =
        build_rotation(c.fields, old_info->public_key, new_info->public_key, *now, entries);
    if (!built) return built.error();
    auto [record, body] = std::move(*built);
    if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) {
      return policy.error();
    }
    auto standing = ledger::check_rotation(entries, record, body, c.abandon_unfinished);
    if (!standing) return standing.error();
    CeremonyPlan plan;
    output::MarkedText& review = plan.review;
    review.line("  step:    rotate (both keys)");
    review.line("  old key: ").add(old_info->describe(c.old_key.key));
    review.line("  new key: ").add(new_info->describe(c.new_key.key));
    review.add_lines(clock_line(*now, c.ledger.now));
    review.line();
    review.add(output::describe_rotation(record, *now, "  "));
    review.add_lines(kDraftNote);
    review.add_lines(describe_standing(*standing));
    review.line("  output:  ").add(where(c.output.out));
    CeremonyItem item;
    item.label = record.subject;
    item.body = body;
    for (const PublicKey& signer : {record.old_spk, record.new_spk}) {
      item.entries.push_back(
          ledger::rotation_entry(record, body, signer, *now, signed_before(entries, body, signer)));
    }
    const std::uint64_t clock = *now;
    // Copies, not captures of the structured bindings (clang 14 cannot capture those).
    item.assemble = [record = record, body = body,
                     clock](const std::vector<Signature>& signatures) {
      return assemble_checked(record, body, signatures.at(0), signatures.at(1), clock);
    };
    write_key_record_to(item, record, c.output);
    item.done = done_text("signed", record);
    plan.items.push_back(std::move(item));
    return plan;
  };
  spec->confirm = Confirmation{c.yes, "Sign this rotation with both keys?", "", "--yes"};
  return run_ceremony(*spec);
}

// --- revoke -----------------------------------------------------------------------

Status run_revoke(const RevokeCommand& c) {
  if (c.yes && !c.yes_i_mean_it) {
    return fail(Reason::usage, "",
                "revoke cannot be undone, so --yes is not enough: type the key's fingerprint "
                "when asked, or pass --yes-i-mean-it in scripts");
  }
  auto now = resolve_clock(c.ledger.now);
  if (!now) return now.error();
  const SubjectType subject_type = kSubjectTypes.at(c.subject_type);
  if (auto rule = check_canonical_subject(subject_type, c.subject); !rule) return rule;
  const keyfile::KeyAccess access = to_key_access(c.key, c.helpers);
  auto info = keyfile::load_key_info(c.key.key, access);
  if (!info) return info.error();
  RevocationRecord record;
  record.subject_type = subject_type;
  record.subject = c.subject;
  record.revoked_spk = info->public_key;
  record.reason = kReasons.at(c.reason);
  record.ts = *now;
  if (!c.ts.empty()) {
    auto ts = parse_time_text(c.ts, "--ts");
    if (!ts) return fail(Reason::usage, ts.error().field, ts.error().rule);
    record.ts = *ts;
  }
  if (revocation_ts_in_future(record.ts, *now)) {
    return fail(Reason::invalid_field, "ts",
                format_rfc3339_utc(record.ts) + " is more than 300 s after the clock " +
                    format_rfc3339_utc(*now) + "; verifiers reject it as from the future");
  }
  auto body = encode_body(record);
  if (!body) return body.error();
  const std::string fingerprint = hsm::fingerprint(record.revoked_spk);

  auto spec = spec_for(c.ledger, c.output.out);
  if (!spec) return spec.error();
  protect_key_files(spec->targets, c.key.key, access, "");
  spec->signers.push_back(CeremonySigner{c.key.key, access, record.revoked_spk});
  spec->plan = [&](const std::vector<ledger::Entry>& entries) -> Result<CeremonyPlan> {
    const auto standing = ledger::revocation_standing(entries, record);
    CeremonyPlan plan;
    output::MarkedText& review = plan.review;
    review.line("  step:    revoke");
    review.line("  key:     ").add(info->describe(c.key.key));
    review.add_lines(clock_line(*now, c.ledger.now));
    review.line();
    review.add(output::describe_revocation(record, "  "));
    review.add_lines(kDraftNote);
    review
        .line(
            "  IRREVERSIBLE: once published, every client that sees this record stops "
            "trusting " +
            fingerprint + " for ")
        .add(record.subject)
        .add(" for good; a revocation has no expiry and cannot be withdrawn");
    if (standing.revoked_before) {
      review.line("  ledger:  already revoked by this ledger (ts " +
                  format_rfc3339_utc(*standing.revoked_before) +
                  "): this re-issues it with a fresh ts");
    }
    if (!standing.has_successor) {
      review.line(
          "  warning: this ledger holds no rotation away from this key: clients pinned to it "
          "are left without a successor until they are re-pinned "
          "(share/doc/dmp-signer/rotation.md)");
    }
    if (record.reason == RevocationReason::routine && !standing.has_successor) {
      review.line(
          "  warning: reason superseded, yet no successor is recorded here; revoke only after "
          "every client is re-pinned");
    }
    review.line("  output:  ").add(where(c.output.out));
    CeremonyItem item;
    item.label = record.subject;
    item.body = *body;
    item.entries.push_back(ledger::revocation_entry(record, *body, *now));
    const std::uint64_t clock = *now;
    item.assemble = [record, clock,
                     b = *body](const std::vector<Signature>& signatures) -> Result<std::string> {
      auto wire = assemble_revocation_wire(b, signatures.at(0));
      if (!wire) return wire.error();
      RevocationVerifyOptions check{
          .now = clock,
          .expected_revoked_spk = Bytes(record.revoked_spk.begin(), record.revoked_spk.end()),
          .expected_subject = record.subject,
          .max_age_seconds = std::nullopt,
          .strict = true};
      auto verified = verify_revocation(*wire, check);
      if (!verified || !(*verified == record)) {
        return fail(Reason::bad_signature, "self-check failed",
                    "the revocation does not verify (" +
                        (verified ? std::string("fields differ") : verified.error().message()) +
                        "); nothing written, no ledger entry");
      }
      return wire;
    };
    write_key_record_to(item, record, c.output);
    item.done = "revoked " + fingerprint + " for " + record.subject + " (" +
                std::string(revocation_reason_name(record.reason)) + ") (DRAFT format)";
    plan.items.push_back(std::move(item));
    return plan;
  };
  spec->confirm = Confirmation{
      c.yes_i_mean_it,
      "Type the fingerprint " + fingerprint + " to revoke this key for good: ", fingerprint,
      "--yes-i-mean-it"};
  return run_ceremony(*spec);
}

}  // namespace dmp::cli::rotation
