#include "sign/rotation_common.hpp"

#include "common/cli_conventions.hpp"
#include "common/file_io.hpp"
#include "common/time_text.hpp"
#include "dmp/encoding.hpp"
#include "dmp/expiry.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/verify.hpp"
#include "input/unsigned_record.hpp"
#include "ledger/ledger_format.hpp"
#include "sign/key_options.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli::rotation {

const std::map<std::string, SubjectType> kSubjectTypes{
    {"cluster-operator", SubjectType::cluster_operator},
    {"bootstrap-signer", SubjectType::bootstrap_signer}};

const std::map<std::string, RevocationReason> kReasons{{"compromise", RevocationReason::compromise},
                                                       {"superseded", RevocationReason::routine},
                                                       {"routine", RevocationReason::routine},
                                                       {"lost-key", RevocationReason::lost_key},
                                                       {"other", RevocationReason::other}};

const char* const kDraftNote =
    "  note:    DRAFT wire format (spec §4); no DMP node or client walks operator rotations "
    "yet: re-pin them too (rotation.md in share/doc/dmp-signer)\n";

// The subject as the signer writes it: valid (§4.2) and canonical, so that
// it is byte for byte the cluster_name / user_domain it stands for.
Status check_canonical_subject(SubjectType type, const std::string& subject) {
  if (auto rule = check_subject(type, subject, "subject"); !rule) return rule;
  if (subject != ledger::normalize_name(subject)) {
    return fail(Reason::invalid_field, "subject",
                "'" + subject +
                    "' is not canonical: write it in lower case without a trailing dot, "
                    "exactly as the cluster_name / user_domain it stands for (spec §4.2)");
  }
  return ok();
}

namespace {

// dmp-sign signs types 2 and 3 only; user identities belong to the client.
Status check_operator_subject(SubjectType type) {
  if (type == SubjectType::user_identity) {
    return fail(Reason::invalid_field, "subject_type",
                "user-identity rotations are out of scope for dmp-sign "
                "(cluster-operator and bootstrap-signer only)");
  }
  return ok();
}

}  // namespace

bool is_public_key_hex(const std::string& value) {
  return value.size() == 2 * kPublicKeyLen && encoding::is_hex(value);
}

// A 64-hex public key, or anything --key accepts (nothing is unlocked).
Result<PublicKey> public_key_of(const std::string& value, const keyfile::KeyAccess& access,
                                const std::string& option) {
  if (is_public_key_hex(value)) {
    auto key = encoding::public_key_from_hex(value, option);
    if (!key) return fail(Reason::usage, key.error().field, key.error().rule);
    // Its half could never be signed, yet the other half would be logged.
    if (is_rejected_public_key(*key)) {
      return fail(Reason::bad_key, option,
                  "a low-order key that every verifier refuses (spec §1.2.1)");
    }
    return key;
  }
  auto info = keyfile::load_key_info(value, access);
  if (!info) return info.error();
  return info->public_key;
}

namespace {

Result<std::vector<std::uint8_t>> read_small_file(const std::string& path, std::size_t cap) {
  auto text = read_file_capped(path, cap + 1);
  if (!text) return fail(Reason::io_error, text.error().field, text.error().rule);
  if (text->over_cap) {
    return fail(Reason::invalid_field, path, "larger than " + std::to_string(cap / 1024) + " KiB");
  }
  return std::vector<std::uint8_t>(text->bytes.begin(), text->bytes.end());
}

}  // namespace

// A request file, parsed, with every signature it carries verified.
Result<input::RotationRequest> load_request(const std::string& path) {
  auto bytes = read_small_file(path, input::kMaxRotationRequestLen);
  if (!bytes) return bytes.error();
  auto request = input::parse_rotation_request(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  const auto prefixed = [&path](Error error) {
    error.within(path);
    return error;
  };
  if (!request) return prefixed(request.error());
  if (auto signatures = input::check_request_signatures(*request); !signatures) {
    return prefixed(signatures.error());
  }
  if (auto scope = check_operator_subject(request->record.subject_type); !scope) {
    return prefixed(scope.error());
  }
  // The verifier's rule lets "x.." through; the ledger (and every client
  // comparing names) wants the one canonical spelling that prepare writes.
  if (auto canonical =
          check_canonical_subject(request->record.subject_type, request->record.subject);
      !canonical) {
    return prefixed(canonical.error());
  }
  return request;
}

std::string where(const std::string& out) {
  return out.empty() || out == "-" ? std::string("standard output") : out;
}

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("--out", o.out, "output file, or - for standard output (default)");
  cmd.add_option("--format", o.format, "wire (default), zone, nsupdate (adds only) or json")
      ->transform(named_choice(output::format_names()));
  add_ttl_option(cmd, o.ttl, "TTL for --format zone (default 3600) / nsupdate (default 300)");
}

std::string clock_line(std::uint64_t now, const std::string& now_flag) {
  return "  clock:   " + format_rfc3339_utc(now) +
         (now_flag.empty() ? "  (this machine's clock: on an air-gapped laptop check it, or pass "
                             "--now)\n"
                           : "  (from --now)\n");
}

// What this ledger already knows, for the review.
std::string describe_standing(const ledger::RotationStanding& standing) {
  if (!standing.highest_seq) return "  ledger:  first rotation for this subject in this ledger\n";
  std::string out =
      "  ledger:  highest rotation seq for this subject: " + std::to_string(*standing.highest_seq);
  if (standing.previous) {
    out += " (" + hsm::fingerprint(standing.previous->old_spk) + " -> " +
           hsm::fingerprint(standing.previous->new_spk) + ")";
  }
  out += "\n";
  if (standing.abandoned) {
    out += "  WARNING: replaces the unfinished rotation of this old key to " +
           hsm::fingerprint(standing.abandoned->new_spk) + " (seq " +
           std::to_string(standing.abandoned->seq) +
           "): if that one was ever published, clients see a fork and refuse the chain\n";
  }
  if (standing.already_signed) {
    out +=
        "  ledger:  this exact body is already signed in this ledger (second half, or a "
        "re-sign after an interruption)\n";
  }
  return out;
}

// The wire from a body and both signatures, verified as a client would
// (pinned old key, subject, strict encoding) before it is written anywhere.
Result<std::string> assemble_checked(const RotationRecord& record, const Bytes& body,
                                     const Signature& sig_old, const Signature& sig_new,
                                     std::uint64_t now) {
  auto wire = assemble_rotation_wire(body, sig_old, sig_new);
  if (!wire) return wire.error();
  RotationVerifyOptions check{
      .now = now_within_window(now, record.exp),
      .expected_old_spk = Bytes(record.old_spk.begin(), record.old_spk.end()),
      .expected_subject = record.subject,
      .strict = true};
  auto verified = verify_rotation(*wire, check);
  if (!verified || !(*verified == record)) {
    return fail(Reason::bad_signature, "self-check failed",
                "the assembled rotation does not verify (" +
                    (verified ? std::string("fields differ") : verified.error().message()) +
                    "); nothing written");
  }
  return wire;
}

std::string signature_state(const std::optional<Signature>& signature) {
  return signature ? "present, verifies" : "missing";
}

void add_abandon_option(CLI::App& cmd, bool& flag) {
  cmd.add_flag("--abandon-unfinished", flag,
               "let the old key name another successor although this ledger signed a rotation "
               "of it that was never completed nor published (the review names it)");
}

void add_rotation_fields(CLI::App& cmd, RotationFields& f, bool required) {
  cmd.add_option("--subject-type", f.subject_type, "cluster-operator or bootstrap-signer")
      ->check(CLI::IsMember(names_of(kSubjectTypes)))
      ->required(required);
  cmd.add_option("--subject", f.subject,
                 "the cluster_name (cluster-operator) or user_domain (bootstrap-signer), lower "
                 "case, no trailing dot")
      ->required(required);
  cmd.add_option("--seq", f.seq,
                 "N, or auto (default): above every rotation seq this ledger signed for the "
                 "subject, and at least the clock in milliseconds");
  cmd.add_option("--ts", f.ts, "the record's timestamp (default: the clock)");
  auto* exp = cmd.add_option("--exp", f.exp, "expiry: unix seconds or RFC 3339");
  auto* in = cmd.add_option("--expires-in", f.expires_in,
                            "expiry relative to the clock, e.g. 365d (default), 90d");
  exp->excludes(in);
}

Result<std::pair<RotationRecord, Bytes>> build_rotation(const RotationFields& f,
                                                        const PublicKey& old_key,
                                                        const PublicKey& new_key, std::uint64_t now,
                                                        const std::vector<ledger::Entry>& entries) {
  RotationRecord record;
  record.subject_type = kSubjectTypes.at(f.subject_type);
  if (auto rule = check_canonical_subject(record.subject_type, f.subject); !rule) {
    return rule.error();
  }
  record.subject = f.subject;
  record.old_spk = old_key;
  record.new_spk = new_key;
  if (f.seq == "auto") {
    // ms since the epoch (the reference's choice), kept above this ledger.
    const auto highest = ledger::highest_rotation_seq(entries, record.subject_type, f.subject);
    if (highest && *highest == UINT64_MAX) {
      return fail(Reason::seq_not_increasing, "seq",
                  "the highest rotation seq is already 2^64-1; nothing can follow it");
    }
    const std::uint64_t clock_ms = now > UINT64_MAX / 1000 ? UINT64_MAX : now * 1000;
    record.seq = std::max(clock_ms, highest ? *highest + 1 : 1);
  } else {
    auto seq = parse_decimal_u64(f.seq, "--seq");
    if (!seq) return fail(Reason::usage, "--seq", "must be a decimal u64 or \"auto\"");
    record.seq = *seq;
  }
  record.ts = now;
  if (!f.ts.empty()) {
    auto ts = parse_time_text(f.ts, "--ts");
    if (!ts) return fail(Reason::usage, ts.error().field, ts.error().rule);
    record.ts = *ts;
  }
  if (!f.exp.empty()) {
    auto exp = parse_time_text(f.exp, "--exp");
    if (!exp) return fail(Reason::usage, exp.error().field, exp.error().rule);
    record.exp = *exp;
  } else {
    auto duration = input::parse_duration(f.expires_in, "--expires-in");
    if (!duration) return fail(Reason::usage, duration.error().field, duration.error().rule);
    if (*duration > UINT64_MAX - now) {
      return fail(Reason::usage, "--expires-in", "too far in the future");
    }
    record.exp = now + *duration;
  }
  auto body = encode_body(record);
  if (!body) return body.error();
  return std::pair(std::move(record), std::move(*body));
}

}  // namespace dmp::cli::rotation
