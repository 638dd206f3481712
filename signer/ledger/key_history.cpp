#include "ledger/key_history.hpp"

#include <algorithm>

#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"

namespace dmp::ledger {
namespace {

// The subject type lives in the body: the cluster-operator and the
// bootstrap-signer chain of one name (rotate.cluster.X, rotate._dmp.X) are
// apart. An imported mark has no body and counts for both.
std::optional<SubjectType> subject_type_of(const Entry& entry) {
  if (entry.body.empty()) return std::nullopt;
  if (entry.type == RecordType::rotation) {
    auto body = decode_rotation_body(entry.body);
    if (body) return body->subject_type;
  } else if (entry.type == RecordType::revocation) {
    auto body = decode_revocation_body(entry.body);
    if (body) return body->subject_type;
  }
  return std::nullopt;
}

bool is_subject(const Entry& entry, RecordType type, SubjectType subject_type,
                const std::string& subject) {
  if (entry.type != type || entry.name != normalize_name(subject)) return false;
  const auto stored = subject_type_of(entry);
  return !stored || *stored == subject_type;
}

Failure refuse(const char* field, const std::string& message) {
  return fail(Reason::invalid_field, std::string(field), message);
}

std::string fp(const PublicKey& key) {
  return hsm::fingerprint(key);
}

}  // namespace

std::optional<std::uint64_t> highest_rotation_seq(const std::vector<Entry>& entries,
                                                  SubjectType subject_type,
                                                  const std::string& subject) {
  std::optional<std::uint64_t> highest;
  for (const Entry& entry : entries) {
    if (is_subject(entry, RecordType::rotation, subject_type, subject) &&
        (!highest || entry.seq > *highest)) {
      highest = entry.seq;
    }
  }
  return highest;
}

Result<RotationStanding> check_rotation(const std::vector<Entry>& entries,
                                        const RotationRecord& record, const Bytes& body,
                                        bool abandon_unfinished) {
  RotationStanding standing;
  for (const Entry& entry : entries) {
    if (is_subject(entry, RecordType::revocation, record.subject_type, record.subject)) {
      auto revoked = decode_revocation_body(entry.body);
      if (!revoked) continue;  // hash-checked, so only a body of another format
      if (revoked->revoked_spk == record.old_spk || revoked->revoked_spk == record.new_spk) {
        const bool old_key = revoked->revoked_spk == record.old_spk;
        return refuse(old_key ? "old_spk" : "new_spk",
                      fp(revoked->revoked_spk) + " was revoked by this ledger (entry " +
                          std::to_string(entry.index) +
                          "); clients refuse a chain through a revoked key (spec §4.5)");
      }
      continue;
    }
    if (!is_subject(entry, RecordType::rotation, record.subject_type, record.subject)) continue;
    // An imported mark (no body) at this seq from one of this rotation's
    // keys is taken as this rotation's other half, signed elsewhere.
    const bool same_body = entry.body.empty()
                               ? entry.seq == record.seq &&
                                     (entry.key == record.old_spk || entry.key == record.new_spk)
                               : entry.body == body;
    if (!standing.highest_seq || entry.seq > *standing.highest_seq) {
      standing.highest_seq = entry.seq;
      standing.already_signed = same_body;
      standing.previous.reset();
    } else if (entry.seq == *standing.highest_seq && same_body) {
      standing.already_signed = true;
    }
    if (entry.body.empty()) continue;  // an imported mark: seq only
    auto earlier = decode_rotation_body(entry.body);
    if (!earlier) continue;
    if (entry.seq == *standing.highest_seq) standing.previous = *earlier;
    if (same_body) continue;
    if (earlier->old_spk == record.old_spk && earlier->new_spk != record.new_spk) {
      if (abandon_unfinished) {
        standing.abandoned = *earlier;
        continue;
      }
      return refuse("new_spk", "this ledger already rotated " + fp(record.old_spk) + " to " +
                                   fp(earlier->new_spk) + " (seq " + std::to_string(entry.seq) +
                                   "); a second successor is an ambiguous fork that clients "
                                   "refuse (spec §4.5); if that rotation was never completed "
                                   "nor published, see --abandon-unfinished");
    }
    if (earlier->old_spk == record.new_spk) {
      return refuse("new_spk", fp(record.new_spk) + " was already rotated away from (seq " +
                                   std::to_string(entry.seq) +
                                   "); rotating back to it makes a loop that clients refuse");
    }
  }
  if (standing.highest_seq && !standing.already_signed && record.seq <= *standing.highest_seq) {
    return fail(
        Reason::seq_not_increasing, "seq",
        std::to_string(record.seq) + " is not above " + std::to_string(*standing.highest_seq) +
            ", the highest rotation seq this ledger signed for '" + normalize_name(record.subject) +
            "'; a client walking the chain needs each hop's seq to be higher (prepare a "
            "new request with --seq auto)");
  }
  return standing;
}

std::vector<PublicKey> predecessors_of(const std::vector<Entry>& entries, SubjectType subject_type,
                                       const std::string& subject, const PublicKey& key) {
  // Breadth first from `key`: every key rotated into one already found. A
  // key is taken once, so this ends even on a ledger that (against
  // check_rotation) holds a loop.
  std::vector<PublicKey> found;
  for (std::size_t next = 0;; ++next) {
    const PublicKey head = next == 0 ? key : found[next - 1];
    for (const Entry& entry : entries) {
      if (!is_subject(entry, RecordType::rotation, subject_type, subject) || entry.body.empty())
        continue;
      auto rotation = decode_rotation_body(entry.body);
      if (rotation && rotation->new_spk == head && rotation->old_spk != key &&
          std::find(found.begin(), found.end(), rotation->old_spk) == found.end()) {
        found.push_back(rotation->old_spk);
      }
    }
    if (next == found.size()) return found;
  }
}

SubjectType subject_type_signing(RecordType type) {
  return type == RecordType::bootstrap ? SubjectType::bootstrap_signer
                                       : SubjectType::cluster_operator;
}

std::optional<std::uint64_t> revoked_at(const std::vector<Entry>& entries, SubjectType subject_type,
                                        const std::string& subject, const PublicKey& key) {
  std::optional<std::uint64_t> ts;
  for (const Entry& entry : entries) {
    if (!is_subject(entry, RecordType::revocation, subject_type, subject)) continue;
    auto revocation = decode_revocation_body(entry.body);
    if (revocation && revocation->revoked_spk == key) ts = revocation->ts;
  }
  return ts;
}

RevocationStanding revocation_standing(const std::vector<Entry>& entries,
                                       const RevocationRecord& record) {
  RevocationStanding standing;
  standing.revoked_before =
      revoked_at(entries, record.subject_type, record.subject, record.revoked_spk);
  for (const Entry& entry : entries) {
    if (is_subject(entry, RecordType::rotation, record.subject_type, record.subject) &&
        !entry.body.empty()) {
      auto rotation = decode_rotation_body(entry.body);
      if (rotation && rotation->old_spk == record.revoked_spk) standing.has_successor = true;
    }
  }
  return standing;
}

Entry rotation_entry(const RotationRecord& record, const Bytes& body, const PublicKey& signer,
                     std::uint64_t now, bool resigned) {
  Entry entry;
  entry.time = now;
  entry.event = resigned ? Event::reemit : Event::sign;
  entry.type = RecordType::rotation;
  entry.name = normalize_name(record.subject);
  entry.key = signer;
  entry.seq = record.seq;
  entry.exp = record.exp;
  entry.body = body;
  return entry;
}

Entry revocation_entry(const RevocationRecord& record, const Bytes& body, std::uint64_t now) {
  Entry entry;
  entry.time = now;
  entry.event = Event::sign;
  entry.type = RecordType::revocation;
  entry.name = normalize_name(record.subject);
  entry.key = record.revoked_spk;
  entry.seq = 0;  // a revocation has no seq and no exp: it is permanent
  entry.exp = 0;
  entry.body = body;
  return entry;
}

}  // namespace dmp::ledger
