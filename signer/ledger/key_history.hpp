// What the ledger already knows about a subject's keys, for the rotation and
// revocation commands: pure functions over verified ledger entries.
//
// A client walks a subject's rotations from its pinned key (spec §4.5) and
// gives up on an ambiguous fork (two successors of one key), a loop, a
// revoked key, or a seq that does not increase hop by hop. The signer refuses
// to make any of those that its own ledger can see.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dmp/key_records.hpp"
#include "ledger/ledger_format.hpp"

namespace dmp::ledger {

// The highest seq of any rotation this ledger signed (or imported a mark of)
// for this subject type and subject, whatever the key: the chain's seq rises
// hop by hop.
std::optional<std::uint64_t> highest_rotation_seq(const std::vector<Entry>& entries,
                                                  SubjectType subject_type,
                                                  const std::string& subject);

struct RotationStanding {
  std::optional<std::uint64_t> highest_seq;  // rotations signed for the subject, any key
  bool already_signed = false;  // this exact body is in the ledger (re-sign, second half)
  std::optional<RotationRecord> previous;  // the rotation at highest_seq, when its body is known
  // With abandon_unfinished: the earlier rotation of the same old key to
  // another key, which this one replaces.
  std::optional<RotationRecord> abandoned;
};

// Refusals: Reason::seq_not_increasing (seq not above every rotation this
// ledger signed for the subject, unless the body is the identical one), and
// Reason::invalid_field for a fork, a loop, or a revoked old/new key.
// `abandon_unfinished` lets the old key name another successor when an
// earlier rotation of it was never completed nor published (reported in
// `abandoned`, never silently).
Result<RotationStanding> check_rotation(const std::vector<Entry>& entries,
                                        const RotationRecord& record, const Bytes& body,
                                        bool abandon_unfinished = false);

// The keys this ledger rotated, hop by hop, into `key` for this subject
// (nearest first, breadth first): whatever they signed for the subject is
// the history a record signed with `key` continues.
std::vector<PublicKey> predecessors_of(const std::vector<Entry>& entries, SubjectType subject_type,
                                       const std::string& subject, const PublicKey& key);

// The subject type whose key signs records of `type` (cluster -> cluster
// operator, bootstrap -> bootstrap signer).
SubjectType subject_type_signing(RecordType type);

// The ts of the latest revocation of `key` for this subject in the ledger.
std::optional<std::uint64_t> revoked_at(const std::vector<Entry>& entries, SubjectType subject_type,
                                        const std::string& subject, const PublicKey& key);

struct RevocationStanding {
  std::optional<std::uint64_t> revoked_before;  // ts of an earlier revocation of this key
  bool has_successor = false;                   // a rotation away from this key is in the ledger
};
RevocationStanding revocation_standing(const std::vector<Entry>& entries,
                                       const RevocationRecord& record);

// The ledger entry for one signature made over `body` with `signer`.
Entry rotation_entry(const RotationRecord& record, const Bytes& body, const PublicKey& signer,
                     std::uint64_t now, bool resigned);
Entry revocation_entry(const RevocationRecord& record, const Bytes& body, std::uint64_t now);

}  // namespace dmp::ledger
