#include "verify/file_check.hpp"

#include <utility>
#include <vector>

#include "dmp/codec.hpp"
#include "dmp/names.hpp"
#include "dmp/verify.hpp"
#include "dmp/zone.hpp"

namespace dmp::cli {
namespace {

VerifyOptions library_options(const CheckSettings& settings,
                              std::optional<std::string> expected_name) {
  VerifyOptions options;
  options.now = settings.now;  // never the wall clock: one `now` for the whole batch
  options.expected_name = std::move(expected_name);
  options.strict = settings.strict;
  return options;
}

// Of several failed attempts (one per pinned key), the most telling: a key
// under which the signature held but a later rule failed (expired, name, ...)
// says more than the bad_signature of the keys that did not sign it.
const Error& most_telling(const std::vector<Error>& errors) {
  for (const Error& error : errors) {
    if (error.reason != Reason::bad_signature) return error;
  }
  return errors.front();
}

// Either the verified record, or the verdict that refused it.
using Checked = std::variant<Record, FileVerdict>;

Checked from_library(Result<Record> result) {
  if (!result) return invalid_verdict(result.error());
  return std::move(*result);
}

Checked verify_with_trust(std::string_view wire, const TrustPins& pins,
                          const CheckSettings& settings) {
  const auto type = record_type_of_wire(wire);
  if (!type) {
    // The library's own refusal, word for word (the prefix is checked before the key).
    return from_library(verify(wire, PublicKey{}, library_options(settings, std::nullopt)));
  }
  // Unverified look, only to choose the key; nothing read here is trusted.
  auto opened = open_wire(wire, *type);
  if (!opened) return invalid_verdict(opened.error());
  auto unverified = decode_body(*type, opened->blob.body);
  if (!unverified) return invalid_verdict(unverified.error());
  const std::string& claimed_name = signed_name(*unverified);

  const auto keys = pins.store.keys_for(*type, claimed_name);
  if (keys.empty()) {
    return invalid_verdict(cli_reason::no_trusted_key,
                           "key: no " + std::string(record_type_name(*type)) + " key pinned for '" +
                               claimed_name + "' in " + pins.source);
  }
  const VerifyOptions options =
      library_options(settings, settings.expected_name.value_or(claimed_name));
  std::vector<Error> errors;
  for (const PublicKey& key : keys) {
    auto record = verify(wire, key, options);
    if (record) return std::move(*record);
    errors.push_back(std::move(record).error());
  }
  return invalid_verdict(most_telling(errors));
}

}  // namespace

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::valid:
      return "valid";
    case Verdict::expiring:
      return "expiring";
    case Verdict::invalid:
      return "invalid";
    case Verdict::error:
      return "error";
  }
  return "error";
}

FileVerdict invalid_verdict(std::string_view reason, std::string message) {
  return FileVerdict{Verdict::invalid, std::string(reason), std::move(message), std::nullopt,
                     std::nullopt};
}

FileVerdict invalid_verdict(const Error& error) {
  return invalid_verdict(reason_name(error.reason), error.message());
}

FileVerdict check_record_input(const RecordInput& input, const KeyPins& pins,
                               const CheckSettings& settings) {
  if (const auto type = record_type_of_wire(input.wire);
      type == RecordType::rotation || type == RecordType::revocation) {
    return check_key_record_input(input, *type, pins, settings);
  }
  Checked checked = std::holds_alternative<PublicKey>(pins)
                        ? from_library(verify(input.wire, std::get<PublicKey>(pins),
                                              library_options(settings, settings.expected_name)))
                        : verify_with_trust(input.wire, std::get<TrustPins>(pins), settings);
  if (auto* refused = std::get_if<FileVerdict>(&checked)) return std::move(*refused);
  Record& record = std::get<Record>(checked);

  if (input.owner && !owner_matches(*input.owner, rrset_name(record))) {
    return invalid_verdict(cli_reason::owner_mismatch, "owner: zone owner '" + *input.owner +
                                                           "' is not the record's rrset '" +
                                                           rrset_name(record) + "'");
  }
  if (settings.min_seq && seq_of(record) < *settings.min_seq) {
    return invalid_verdict(cli_reason::seq_rollback,
                           "seq: " + std::to_string(seq_of(record)) + " is below --min-seq " +
                               std::to_string(*settings.min_seq) + " (rollback)");
  }
  FileVerdict result;
  result.verdict = Verdict::valid;
  // exp >= now here: the library refused expired records.
  if (settings.warn_seconds && exp_of(record) - settings.now < *settings.warn_seconds) {
    result.verdict = Verdict::expiring;
  }
  result.record = std::move(record);
  return result;
}

}  // namespace dmp::cli
