// What the rotate steps and revoke share: subject and key rules, the request
// file, the rotation body, the review pieces and the client-side check of an
// assembled wire. The commands themselves are in rotate_commands.cpp (no key:
// prepare, show, assemble) and rotate_ceremonies.cpp (they sign).
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dmp/key_records.hpp"
#include "dmp/result.hpp"
#include "input/rotation_request.hpp"
#include "keyfile/key_access.hpp"
#include "ledger/key_history.hpp"
#include "output/wire_formats.hpp"

namespace dmp::cli::rotation {

extern const std::map<std::string, SubjectType> kSubjectTypes;
// "superseded" is the operator's word for the spec's "routine" (code 2).
extern const std::map<std::string, RevocationReason> kReasons;
extern const char* const kDraftNote;

// The option values of a name map (CLI11 would print the enums' byte values).
template <typename Map>
std::vector<std::string> names_of(const Map& map) {
  std::vector<std::string> names;
  for (const auto& [name, value] : map)
    names.push_back(name);
  return names;
}

// The subject as the signer writes it: valid (§4.2) and canonical, so that
// it is byte for byte the cluster_name / user_domain it stands for.
Status check_canonical_subject(SubjectType type, const std::string& subject);

bool is_public_key_hex(const std::string& value);

// A 64-hex public key, or anything --key accepts (nothing is unlocked).
Result<PublicKey> public_key_of(const std::string& value, const keyfile::KeyAccess& access,
                                const std::string& option);

// A request file, parsed, with every signature it carries verified, an
// operator subject in its canonical spelling.
Result<input::RotationRequest> load_request(const std::string& path);

std::string where(const std::string& out);

struct OutputOptions {
  std::string out;
  output::Format format = output::Format::wire;
  std::uint32_t ttl = 0;
  std::uint32_t ttl_or_default() const {
    return ttl != 0 ? ttl : (format == output::Format::nsupdate ? 300 : 3600);
  }
};
void add_output_options(CLI::App& cmd, OutputOptions& o);

std::string clock_line(std::uint64_t now, const std::string& now_flag);

// What this ledger already knows, for the review.
std::string describe_standing(const ledger::RotationStanding& standing);

std::string signature_state(const std::optional<Signature>& signature);

// The wire from a body and both signatures, verified as a client would
// (pinned old key, subject, strict encoding) before it is written anywhere.
Result<std::string> assemble_checked(const RotationRecord& record, const Bytes& body,
                                     const Signature& sig_old, const Signature& sig_new,
                                     std::uint64_t now);

struct RotationFields {
  std::string subject_type = "cluster-operator";
  std::string subject;
  std::string seq = "auto";
  std::string ts;
  std::string exp;
  std::string expires_in = "365d";
};
void add_rotation_fields(CLI::App& cmd, RotationFields& f, bool required);

Result<std::pair<RotationRecord, Bytes>> build_rotation(const RotationFields& f,
                                                        const PublicKey& old_key,
                                                        const PublicKey& new_key, std::uint64_t now,
                                                        const std::vector<ledger::Entry>& entries);

void add_abandon_option(CLI::App& cmd, bool& flag);

}  // namespace dmp::cli::rotation
