// dmp-sign rotate (prepare, show, sign-old, sign-new, assemble, and the
// one-step form) and dmp-sign revoke: the key-lifecycle records of spec §4
// (DRAFT wire format), for the cluster-operator and bootstrap-signer subjects.
//
// A rotation carries two signatures over one body, old key first. The keys
// may sit on two air-gapped laptops, so the body travels in a rotation
// request file (input/rotation_request.hpp) and each laptop adds its half.
// Every signature is checked against the key the body names, logged in that
// laptop's ledger (seq, forks, loops, revoked keys: ledger/key_history.hpp)
// before it leaves the process, and only then written out. `assemble` needs
// no key: it makes the wire when both signatures verify.
#include "sign/rotate_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>

#include "common/file_io.hpp"
#include "common/hex.hpp"
#include "common/private_file.hpp"
#include "common/time_text.hpp"
#include "dmp/hsm/signing_key.hpp"
#include "dmp/verify.hpp"
#include "input/rotation_request.hpp"
#include "input/unsigned_record.hpp"
#include "ledger/key_history.hpp"
#include "ledger/ledger_store.hpp"
#include "output/key_record_text.hpp"
#include "sign/confirm.hpp"
#include "sign/fault_injection.hpp"
#include "sign/key_options.hpp"
#include "sign/sign_pipeline.hpp"

namespace dmp::cli {
namespace {

const std::map<std::string, SubjectType> kSubjectTypes{
    {"cluster-operator", SubjectType::cluster_operator},
    {"bootstrap-signer", SubjectType::bootstrap_signer}};

// "superseded" is the operator's word for the spec's "routine" (code 2).
const std::map<std::string, RevocationReason> kReasons{{"compromise", RevocationReason::compromise},
                                                       {"superseded", RevocationReason::routine},
                                                       {"routine", RevocationReason::routine},
                                                       {"lost-key", RevocationReason::lost_key},
                                                       {"other", RevocationReason::other}};

const char* const kDraftNote =
    "  note:    DRAFT wire format (spec §4); no DMP node or client walks operator rotations "
    "yet: re-pin them too (docs/rotation.md)\n";

// The option values of a name map (CLI11 would print the enums' byte values).
template <typename Map>
std::vector<std::string> names_of(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map)
    names.push_back(name);
  return names;
}

// --- shared pieces ------------------------------------------------------------

// The subject as the signer writes it: valid (§4.2) and canonical, so that
// it is byte for byte the cluster_name / user_domain it stands for.
Status check_canonical_subject(SubjectType type, const std::string& subject) {
  if (auto rule = check_subject(type, subject, "subject"); !rule) return rule;
  if (subject != ledger::normalize_name(subject)) {
    return fail(Reason::invalid_field, "subject",
                "subject: '" + subject +
                    "' is not canonical: write it in lower case without a trailing dot, "
                    "exactly as the cluster_name / user_domain it stands for (spec §4.2)");
  }
  return ok();
}

// dmp-sign signs types 2 and 3 only; user identities belong to the client.
Status check_operator_subject(SubjectType type) {
  if (type == SubjectType::user_identity) {
    return fail(Reason::invalid_field, "subject_type",
                "subject_type: user-identity rotations are out of scope for dmp-sign "
                "(cluster-operator and bootstrap-signer only)");
  }
  return ok();
}

bool is_public_key_hex(const std::string& value) {
  return value.size() == 2 * kPublicKeyLen &&
         value.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

// A 64-hex public key, or anything --key accepts (nothing is unlocked).
Result<PublicKey> public_key_of(const std::string& value, const keyfile::KeyAccess& access,
                                const std::string& option) {
  if (is_public_key_hex(value)) {
    auto key = parse_public_key_hex(value, option);
    if (!key) return fail(Reason::usage, option, key.error().message);
    // Its half could never be signed, yet the other half would be logged.
    if (is_rejected_public_key(*key)) {
      return fail(Reason::bad_key, option,
                  option + ": a low-order key that every verifier refuses (spec §1.2.1)");
    }
    return key;
  }
  auto info = keyfile::load_key_info(value, access);
  if (!info) return info.error();
  return info->public_key;
}

Result<std::vector<std::uint8_t>> read_small_file(const std::string& path, std::size_t cap) {
  auto text = read_file_capped(path, cap + 1);
  if (!text) return fail(Reason::io_error, path, text.error().message);
  if (text->over_cap) {
    return fail(Reason::invalid_field, path,
                path + ": larger than " + std::to_string(cap / 1024) + " KiB");
  }
  return std::vector<std::uint8_t>(text->bytes.begin(), text->bytes.end());
}

// A request file, parsed, with every signature it carries verified.
Result<input::RotationRequest> load_request(const std::string& path) {
  auto bytes = read_small_file(path, input::kMaxRotationRequestLen);
  if (!bytes) return bytes.error();
  auto request = input::parse_rotation_request(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  const auto prefixed = [&path](Error error) {
    error.message = path + ": " + error.message;
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

Status write_bytes(const std::string& path, const std::string& text) {
  return publish_file(path,
                      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// Standard output ("" or "-") or an atomically written file.
Status emit(const std::string& out, output::Format format, const std::string& text) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    if (format == output::Format::wire) std::fputc('\n', stdout);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
      return fail(Reason::io_error, "out", "standard output: write failed");
    }
    return ok();
  }
  return write_bytes(out, text);
}

std::string where(const std::string& out) {
  return out.empty() || out == "-" ? std::string("standard output") : out;
}

struct OutputOptions {
  std::string out;
  output::Format format = output::Format::wire;
  std::uint32_t ttl = 0;
  std::uint32_t ttl_or_default() const {
    return ttl != 0 ? ttl : (format == output::Format::nsupdate ? 300 : 3600);
  }
};

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("--out", o.out, "output file, or - for standard output (default)");
  cmd.add_option("--format", o.format, "wire (default), zone, nsupdate (adds only) or json")
      ->transform(CLI::CheckedTransformer(output::format_names(), CLI::ignore_case));
  cmd.add_option("--ttl", o.ttl, "TTL for --format zone (default 3600) / nsupdate (default 300)");
}

Result<std::unique_ptr<ledger::LockedLedger>> open_ledger(const LedgerOptions& o) {
  auto dir = resolve_state_dir(o.state_dir);
  if (!dir) return dir.error();
  return ledger::LockedLedger::open(*dir, o.lock_wait());
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

// The signature made by `key` over `body`, checked before anyone sees it:
// a key or token that returns a wrong signature must not yield a record.
Result<Signature> sign_and_check(hsm::SigningKey& key, const Bytes& body,
                                 const PublicKey& expected) {
  auto signature = key.sign(body);
  if (!signature) return signature.error();
  crash_point("signed");
  if (auto checked = check_signature(body, *signature, expected); !checked) {
    return fail(Reason::bad_signature, "self_check",
                "self-check failed: the signature just made does not verify under " +
                    hsm::fingerprint(expected) + " (" + checked.error().message +
                    "); nothing written, no ledger entry");
  }
  crash_point("verified");
  return signature;
}

// Does the ledger already hold this body signed by `signer`?
bool signed_before(const std::vector<ledger::Entry>& entries, const Bytes& body,
                   const PublicKey& signer) {
  for (const auto& entry : entries) {
    if (entry.type == RecordType::rotation && entry.key == signer && entry.body == body)
      return true;
  }
  return false;
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
    return fail(Reason::bad_signature, "self_check",
                "self-check failed: the assembled rotation does not verify (" +
                    (verified ? std::string("fields differ") : verified.error().message) +
                    "); nothing written");
  }
  return wire;
}

// Writes the rotation wire in the chosen format and says so. `after_ledger`
// tells the operator what a failed write leaves behind, when entries exist.
Status publish_rotation(const OutputOptions& o, const RotationRecord& record,
                        const std::string& wire, const char* verb,
                        const std::string& after_ledger) {
  const std::string text =
      output::format_key_record_wire(o.format, record, wire, o.ttl_or_default());
  if (auto written = emit(o.out, o.format, text); !written) {
    return fail(written.error().reason, written.error().field,
                written.error().message + after_ledger);
  }
  crash_point("wire_written");
  std::fprintf(stderr, "dmp-sign: %s rotation %s seq %llu -> %s (DRAFT format)\n", verb,
               rotation_rrset_name(record.subject_type, record.subject).value_or("-").c_str(),
               static_cast<unsigned long long>(record.seq), where(o.out).c_str());
  return ok();
}

// --- the rotation body --------------------------------------------------------

struct RotationFields {
  std::string subject_type = "cluster-operator";
  std::string subject;
  std::string seq = "auto";
  std::string ts;
  std::string exp;
  std::string expires_in = "365d";
};

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
                  "seq: the highest rotation seq is already 2^64-1; nothing can follow it");
    }
    const std::uint64_t clock_ms = now > UINT64_MAX / 1000 ? UINT64_MAX : now * 1000;
    record.seq = std::max(clock_ms, highest ? *highest + 1 : 1);
  } else {
    auto seq = parse_decimal_u64(f.seq, "--seq");
    if (!seq) return fail(Reason::usage, "seq", "--seq: must be a decimal u64 or \"auto\"");
    record.seq = *seq;
  }
  record.ts = now;
  if (!f.ts.empty()) {
    auto ts = parse_time_text(f.ts, "--ts");
    if (!ts) return fail(Reason::usage, "ts", ts.error().message);
    record.ts = *ts;
  }
  if (!f.exp.empty()) {
    auto exp = parse_time_text(f.exp, "--exp");
    if (!exp) return fail(Reason::usage, "exp", exp.error().message);
    record.exp = *exp;
  } else {
    auto duration = input::parse_duration(f.expires_in, "--expires-in");
    if (!duration) return fail(Reason::usage, "expires_in", duration.error().message);
    if (*duration > UINT64_MAX - now) {
      return fail(Reason::usage, "expires_in", "--expires-in: too far in the future");
    }
    record.exp = now + *duration;
  }
  auto body = encode_body(record);
  if (!body) return body.error();
  return std::pair(std::move(record), std::move(*body));
}

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
  if (::access(c.out.c_str(), F_OK) == 0) {
    return fail(Reason::already_exists, "out",
                c.out +
                    ": exists; a rotation request is never overwritten by prepare (choose "
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
               c.out.c_str(), output::describe_rotation(record, *now, "  ").c_str(), kDraftNote,
               c.out.c_str(), c.out.c_str(), c.out.c_str());
  return ok();
}

// --- rotate show ------------------------------------------------------------------

struct ShowCommand {
  std::string file;
  std::string now;
};

std::string signature_state(const std::optional<Signature>& signature) {
  return signature ? "present, verifies" : "missing";
}

Status run_show(const ShowCommand& c) {
  auto now = resolve_clock(c.now);
  if (!now) return now.error();
  auto request = load_request(c.file);
  if (!request) return request.error();
  std::printf("%s: rotation request\n%s%s  sig_old: %s\n  sig_new: %s\n", c.file.c_str(),
              output::describe_rotation(request->record, *now, "  ").c_str(), kDraftNote,
              signature_state(request->sig_old).c_str(), signature_state(request->sig_new).c_str());
  return ok();
}

// --- rotate sign-old / sign-new -------------------------------------------------

enum class Half { old_key, new_key };

struct SignHalfCommand {
  bool abandon_unfinished = false;
  Half half = Half::old_key;
  KeyOptions key;
  HelperOptions helpers;
  LedgerOptions ledger;
  bool yes = false;
  std::string file;
  std::string out;
};

Status run_sign_half(const SignHalfCommand& c) {
  const bool old_half = c.half == Half::old_key;
  const char* const member = old_half ? "sig_old" : "sig_new";
  const char* const command = old_half ? "sign-old" : "sign-new";
  auto now = resolve_clock(c.ledger.now);
  if (!now) return now.error();
  auto request = load_request(c.file);
  if (!request) return request.error();
  const RotationRecord& record = request->record;
  const PublicKey& expected = old_half ? record.old_spk : record.new_spk;
  const PublicKey& other = old_half ? record.new_spk : record.old_spk;

  const keyfile::KeyAccess access = to_key_access(c.key, c.helpers);
  auto info = keyfile::load_key_info(c.key.key, access);
  if (!info) return info.error();
  if (info->public_key != expected) {
    return fail(Reason::key_mismatch, "key",
                "key: " + c.key.key + " holds " + hsm::fingerprint(info->public_key) +
                    ", but the request's " + (old_half ? "old" : "new") + " key is " +
                    hsm::fingerprint(expected) +
                    (info->public_key == other
                         ? std::string(" (that is its ") + (old_half ? "new" : "old") +
                               " key: use rotate " + (old_half ? "sign-new" : "sign-old") + ")"
                         : std::string()));
  }
  const std::optional<Signature>& present = old_half ? request->sig_old : request->sig_new;
  if (present) {
    std::fprintf(stderr, "dmp-sign: %s: %s is already present and verifies; nothing to do\n",
                 c.file.c_str(), member);
    return ok();
  }
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;

  auto ledger = open_ledger(c.ledger);
  if (!ledger) return ledger.error();
  auto standing =
      ledger::check_rotation((*ledger)->entries(), record, request->body, c.abandon_unfinished);
  if (!standing) return standing.error();

  // Same first line as sign's review: scripts and tests look for it.
  std::string review = "dmp-sign: review\n  step:    rotate " + std::string(command) + "\n";
  review += "  key:     " + info->describe(c.key.key) + "\n";
  review += clock_line(*now, c.ledger.now);
  review += "\n" + c.file + ":\n" + output::describe_rotation(record, *now, "  ") + kDraftNote;
  review += describe_standing(*standing);
  review += std::string("  ") + (old_half ? "sig_new" : "sig_old") + ": " +
            signature_state(old_half ? request->sig_new : request->sig_old) + "\n";
  review += "  output:  " + (c.out.empty() ? c.file : c.out) + " (" + member + " added)\n";
  std::fputs(review.c_str(), stderr);
  if (!c.yes) {
    const std::string question =
        std::string("Sign this rotation with the ") + (old_half ? "OLD" : "NEW") + " key?";
    if (auto confirmed = confirm_yes_no(question, "--yes"); !confirmed) return confirmed;
  }
  crash_point("confirmed");
  auto key = keyfile::unlock_signing_key(c.key.key, access);
  if (!key) return key.error();
  crash_point("unlocked");
  auto signature = sign_and_check(**key, request->body, expected);
  if (!signature) return signature.error();
  const bool resigned = signed_before((*ledger)->entries(), request->body, expected);
  auto appended =
      (*ledger)->append(ledger::rotation_entry(record, request->body, expected, *now, resigned));
  if (!appended) return appended.error();

  input::RotationRequest updated = *request;
  (old_half ? updated.sig_old : updated.sig_new) = *signature;
  const std::string out = c.out.empty() ? c.file : c.out;
  // The other half may have been added to the same file meanwhile (another
  // signer on this machine): keep it rather than write over it.
  if (out == c.file) {
    auto current = load_request(c.file);
    if (current && current->body == updated.body) {
      if (!updated.sig_old) updated.sig_old = current->sig_old;
      if (!updated.sig_new) updated.sig_new = current->sig_new;
    }
  }
  if (auto written = write_bytes(out, input::format_rotation_request(updated)); !written) {
    return fail(written.error().reason, written.error().field,
                written.error().message +
                    " (the ledger entry was recorded: run the same command again to re-sign)");
  }
  crash_point("wire_written");
  const bool complete = updated.sig_old && updated.sig_new;
  std::fprintf(stderr, "dmp-sign: %s added to %s%s\n", member, out.c_str(),
               complete ? std::string("; both signatures present: dmp-sign rotate assemble " + out +
                                      " --out rotation.wire")
                              .c_str()
                        : std::string("; still missing: " +
                                      std::string(old_half ? "sig_new (rotate sign-new)"
                                                           : "sig_old (rotate sign-old)"))
                              .c_str());
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
      return fail(Reason::invalid_field, member,
                  c.file + ": " + member + ": missing; run dmp-sign rotate " + command + " " +
                      c.file + " where that key is");
    }
  }
  const RotationRecord& record = request->record;
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;
  auto wire = assemble_checked(record, request->body, *request->sig_old, *request->sig_new, *now);
  if (!wire) return wire.error();
  return publish_rotation(c.output, record, *wire, "assembled", "");
}

// --- rotate (one step) ----------------------------------------------------------------

struct RotateCommand {
  bool abandon_unfinished = false;
  KeyOptions old_key;
  KeyOptions new_key;
  HelperOptions helpers;
  RotationFields fields;
  LedgerOptions ledger;
  bool yes = false;
  OutputOptions output;
};

Status run_rotate(const RotateCommand& c) {
  for (const auto& [given, option] : {std::pair(!c.old_key.key.empty(), "--old-key"),
                                      std::pair(!c.new_key.key.empty(), "--new-key"),
                                      std::pair(!c.fields.subject.empty(), "--subject")}) {
    if (!given) {
      return fail(Reason::usage, option,
                  std::string("rotate: ") + option +
                      " is required (or name a step: prepare, show, sign-old, sign-new, "
                      "assemble)");
    }
  }
  for (const auto& [value, option] :
       {std::pair(&c.old_key.key, "--old-key"), std::pair(&c.new_key.key, "--new-key")}) {
    if (is_public_key_hex(*value)) {
      return fail(Reason::usage, option,
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

  auto ledger = open_ledger(c.ledger);
  if (!ledger) return ledger.error();
  const auto& entries = (*ledger)->entries();
  auto built = build_rotation(c.fields, old_info->public_key, new_info->public_key, *now, entries);
  if (!built) return built.error();
  const auto& [record, body] = *built;
  if (auto policy = check_expiry_policy(record.exp, *now, std::nullopt); !policy) return policy;
  auto standing = ledger::check_rotation(entries, record, body, c.abandon_unfinished);
  if (!standing) return standing.error();

  std::string review = "dmp-sign: review\n  step:    rotate (both keys)\n";
  review += "  old key: " + old_info->describe(c.old_key.key) + "\n";
  review += "  new key: " + new_info->describe(c.new_key.key) + "\n";
  review += clock_line(*now, c.ledger.now) + "\n";
  review += output::describe_rotation(record, *now, "  ") + kDraftNote;
  review += describe_standing(*standing);
  review += "  output:  " + where(c.output.out) + "\n";
  std::fputs(review.c_str(), stderr);
  if (!c.yes) {
    if (auto confirmed = confirm_yes_no("Sign this rotation with both keys?", "--yes");
        !confirmed) {
      return confirmed;
    }
  }
  crash_point("confirmed");
  // Both signatures are made and checked before anything is recorded.
  auto old_signer = keyfile::unlock_signing_key(c.old_key.key, old_access);
  if (!old_signer) return old_signer.error();
  auto sig_old = sign_and_check(**old_signer, body, record.old_spk);
  if (!sig_old) return sig_old.error();
  old_signer->reset();
  auto new_signer = keyfile::unlock_signing_key(c.new_key.key, new_access);
  if (!new_signer) return new_signer.error();
  crash_point("unlocked");
  auto sig_new = sign_and_check(**new_signer, body, record.new_spk);
  if (!sig_new) return sig_new.error();
  auto wire = assemble_checked(record, body, *sig_old, *sig_new, *now);
  if (!wire) return wire.error();
  for (const PublicKey& signer : {record.old_spk, record.new_spk}) {
    const bool resigned = signed_before((*ledger)->entries(), body, signer);
    auto appended = (*ledger)->append(ledger::rotation_entry(record, body, signer, *now, resigned));
    if (!appended) return appended.error();
  }
  return publish_rotation(c.output, record, *wire, "signed",
                          " (the ledger entries were recorded: run the same command with the "
                          "same --seq, --ts and --exp to re-sign)");
}

// --- revoke -------------------------------------------------------------------------

struct RevokeCommand {
  KeyOptions key;
  HelperOptions helpers;
  std::string subject_type;
  std::string subject;
  std::string reason;
  std::string ts;
  LedgerOptions ledger;
  bool yes = false;
  bool yes_i_mean_it = false;
  OutputOptions output;
};

Status run_revoke(const RevokeCommand& c) {
  if (c.yes && !c.yes_i_mean_it) {
    return fail(Reason::usage, "yes",
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
    if (!ts) return fail(Reason::usage, "ts", ts.error().message);
    record.ts = *ts;
  }
  if (revocation_ts_in_future(record.ts, *now)) {
    return fail(Reason::invalid_field, "ts",
                "ts: " + format_rfc3339_utc(record.ts) + " is more than 300 s after the clock " +
                    format_rfc3339_utc(*now) + "; verifiers reject it as from the future");
  }
  auto body = encode_body(record);
  if (!body) return body.error();

  auto ledger = open_ledger(c.ledger);
  if (!ledger) return ledger.error();
  const auto standing = ledger::revocation_standing((*ledger)->entries(), record);
  const std::string fingerprint = hsm::fingerprint(record.revoked_spk);

  std::string review = "dmp-sign: review\n  step:    revoke\n";
  review += "  key:     " + info->describe(c.key.key) + "\n";
  review += clock_line(*now, c.ledger.now) + "\n";
  review += output::describe_revocation(record, "  ") + kDraftNote;
  review += "  IRREVERSIBLE: once published, every client that sees this record stops trusting " +
            fingerprint + " for " + record.subject +
            " for good; a revocation has no expiry and cannot be withdrawn\n";
  if (standing.revoked_before) {
    review += "  ledger:  already revoked by this ledger (ts " +
              format_rfc3339_utc(*standing.revoked_before) +
              "): this re-issues it with a fresh ts\n";
  }
  if (!standing.has_successor) {
    review +=
        "  warning: this ledger holds no rotation away from this key: clients pinned to it are "
        "left without a successor until they are re-pinned (docs/rotation.md)\n";
  }
  if (record.reason == RevocationReason::routine && !standing.has_successor) {
    review +=
        "  warning: reason superseded, yet no successor is recorded here; revoke only after "
        "every client is re-pinned\n";
  }
  review += "  output:  " + where(c.output.out) + "\n";
  std::fputs(review.c_str(), stderr);
  if (!c.yes_i_mean_it) {
    if (auto confirmed = confirm_by_typing(
            "Type the fingerprint " + fingerprint + " to revoke this key for good: ", fingerprint,
            "--yes-i-mean-it");
        !confirmed) {
      return confirmed;
    }
  }
  crash_point("confirmed");
  auto key = keyfile::unlock_signing_key(c.key.key, access);
  if (!key) return key.error();
  crash_point("unlocked");
  auto signature = sign_and_check(**key, *body, record.revoked_spk);
  if (!signature) return signature.error();
  auto wire = assemble_revocation_wire(*body, *signature);
  if (!wire) return wire.error();
  RevocationVerifyOptions check{
      .now = *now,
      .expected_revoked_spk = Bytes(record.revoked_spk.begin(), record.revoked_spk.end()),
      .expected_subject = record.subject,
      .max_age_seconds = std::nullopt,
      .strict = true};
  auto verified = verify_revocation(*wire, check);
  if (!verified || !(*verified == record)) {
    return fail(Reason::bad_signature, "self_check",
                "self-check failed: the revocation does not verify (" +
                    (verified ? std::string("fields differ") : verified.error().message) +
                    "); nothing written, no ledger entry");
  }
  auto appended = (*ledger)->append(ledger::revocation_entry(record, *body, *now));
  if (!appended) return appended.error();
  const std::string text =
      output::format_key_record_wire(c.output.format, record, *wire, c.output.ttl_or_default());
  if (auto written = emit(c.output.out, c.output.format, text); !written) {
    return fail(written.error().reason, written.error().field,
                written.error().message + " (the ledger entry was recorded)");
  }
  crash_point("wire_written");
  std::fprintf(stderr, "dmp-sign: revoked %s for %s (%s) -> %s (DRAFT format)\n",
               fingerprint.c_str(), record.subject.c_str(),
               std::string(revocation_reason_name(record.reason)).c_str(),
               where(c.output.out).c_str());
  return ok();
}

void add_abandon_option(CLI::App& cmd, bool& flag) {
  cmd.add_flag("--abandon-unfinished", flag,
               "let the old key name another successor although this ledger signed a rotation "
               "of it that was never completed nor published (the review names it)");
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
      "See docs/rotation.md for the whole ceremony.");
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
        return fail(Reason::usage, name,
                    "rotate: " + name + " before '" + step +
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
