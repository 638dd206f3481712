// signer/ledger/key_history, without I/O: what the ledger already knows about
// a subject's keys. A rotation's seq must rise above every rotation this
// ledger signed (or imported a mark of) for the subject, whatever the key,
// unless it is the identical body; forks, loops and revoked keys are refused
// naming the key. Also: rotation and revocation entries in the ledger text,
// the high-water marks and the interchange document.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "ledger/interchange.hpp"
#include "ledger/key_history.hpp"
#include "ledger/ledger_format.hpp"

namespace dmp::ledger {
namespace {

constexpr std::uint64_t kNow = 1'900'000'000;
const std::string kSubject = "mesh.example.com";

PublicKey key_of(std::uint8_t fill) {
  PublicKey key{};
  key.fill(fill);
  return key;
}

RotationRecord rotation(std::uint8_t old_key, std::uint8_t new_key, std::uint64_t seq,
                        const std::string& subject = kSubject, std::uint64_t exp = kNow + 86'400) {
  RotationRecord record;
  record.subject_type = SubjectType::cluster_operator;
  record.subject = subject;
  record.old_spk = key_of(old_key);
  record.new_spk = key_of(new_key);
  record.seq = seq;
  record.ts = kNow;
  record.exp = exp;
  return record;
}

RevocationRecord revocation(std::uint8_t key, const std::string& subject = kSubject,
                            std::uint64_t ts = kNow) {
  RevocationRecord record;
  record.subject_type = SubjectType::cluster_operator;
  record.subject = subject;
  record.revoked_spk = key_of(key);
  record.reason = RevocationReason::compromise;
  record.ts = ts;
  return record;
}

template <class Record>
Bytes body_of(const Record& record) {
  auto body = encode_body(record);
  if (!body) std::abort();
  return *body;
}

// A ledger under construction: every entry is sealed onto the previous one.
class History {
 public:
  // Both halves of a rotation (old key, then new key), as `rotate` logs them.
  History& rotated(const RotationRecord& record) {
    const Bytes body = body_of(record);
    add(rotation_entry(record, body, record.old_spk, kNow, false));
    add(rotation_entry(record, body, record.new_spk, kNow, false));
    return *this;
  }
  // One half only (sign-old on this laptop, sign-new elsewhere).
  History& signed_by(const RotationRecord& record, const PublicKey& signer) {
    add(rotation_entry(record, body_of(record), signer, kNow, false));
    return *this;
  }
  History& revoked(const RevocationRecord& record) {
    add(revocation_entry(record, body_of(record), kNow));
    return *this;
  }
  // A seq mark from `ledger import`: no body.
  History& imported(const std::string& name, std::uint8_t key, std::uint64_t seq,
                    RecordType type = RecordType::rotation) {
    Entry entry;
    entry.time = kNow;
    entry.event = Event::import;
    entry.type = type;
    entry.name = name;
    entry.key = key_of(key);
    entry.seq = seq;
    add(std::move(entry));
    return *this;
  }
  History& cluster_signed(const std::string& name, std::uint8_t key, std::uint64_t seq) {
    Entry entry;
    entry.time = kNow;
    entry.type = RecordType::cluster;
    entry.name = name;
    entry.key = key_of(key);
    entry.seq = seq;
    entry.exp = kNow + 86'400;
    entry.body = {1, 2, 3};
    add(std::move(entry));
    return *this;
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  void add(Entry entry) {
    entries_.push_back(seal_entry(std::move(entry), entries_.empty() ? nullptr : &entries_.back()));
  }
  std::vector<Entry> entries_;
};

Result<RotationStanding> check(const History& history, const RotationRecord& record) {
  return check_rotation(history.entries(), record, body_of(record));
}

// check_rotation refuses with `reason`, the error's field is `field`, and
// the message names it and contains `rule`.
::testing::AssertionResult refused(const Result<RotationStanding>& r, Reason reason,
                                   const std::string& field, const std::string& rule) {
  if (r) return ::testing::AssertionFailure() << "accepted";
  if (r.error().reason != reason) {
    return ::testing::AssertionFailure()
           << reason_name(r.error().reason) << ": " << r.error().message();
  }
  if (r.error().field != field || r.error().message().find(field) == std::string::npos) {
    return ::testing::AssertionFailure() << "field '" << r.error().field << "', expected '" << field
                                         << "': " << r.error().message();
  }
  if (r.error().message().find(rule) == std::string::npos) {
    return ::testing::AssertionFailure() << "no '" << rule << "' in: " << r.error().message();
  }
  return ::testing::AssertionSuccess();
}

// --- check_rotation -------------------------------------------------------------

TEST(KeyHistory, EmptyLedgerAllowsTheFirstRotation) {
  auto r = check(History{}, rotation(1, 2, 5));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->highest_seq);
  EXPECT_FALSE(r->already_signed);
  EXPECT_FALSE(r->previous);
}

TEST(KeyHistory, SeqMustRiseAboveTheHighestRotationOfTheSubject) {
  History history;
  history.rotated(rotation(1, 2, 10));
  for (std::uint64_t seq : {std::uint64_t{0}, std::uint64_t{9}, std::uint64_t{10}}) {
    EXPECT_TRUE(refused(check(history, rotation(2, 3, seq)), Reason::seq_not_increasing, "seq",
                        "is not above 10"))
        << seq;
  }
  auto r = check(history, rotation(2, 3, 11));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->highest_seq, 10u);
  EXPECT_FALSE(r->already_signed);
  ASSERT_TRUE(r->previous);
  EXPECT_EQ(*r->previous, rotation(1, 2, 10));
}

TEST(KeyHistory, SeqIsComparedAcrossEveryKeyOfTheSubject) {
  // Keys 5 and 6 never appear in the ledger, yet seq 20 is below its 30.
  History history;
  history.rotated(rotation(1, 2, 10)).rotated(rotation(2, 3, 30));
  EXPECT_TRUE(refused(check(history, rotation(5, 6, 20)), Reason::seq_not_increasing, "seq",
                      "is not above 30"));
  auto r = check(history, rotation(3, 4, 31));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->highest_seq, 30u);
  ASSERT_TRUE(r->previous);
  EXPECT_EQ(*r->previous, rotation(2, 3, 30));
}

TEST(KeyHistory, IdenticalBodyAtTheHighestSeqIsAlreadySigned) {
  const RotationRecord record = rotation(1, 2, 10);
  // sign-old done here; sign-new (the second half) or a re-sign follows.
  History half;
  half.signed_by(record, record.old_spk);
  auto r = check(half, record);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->already_signed);
  EXPECT_EQ(r->highest_seq, 10u);
  ASSERT_TRUE(r->previous);
  EXPECT_EQ(*r->previous, record);

  History both;
  both.rotated(record);
  r = check(both, record);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->already_signed);
}

TEST(KeyHistory, AnotherBodyAtTheSameSeqIsRefused) {
  History history;
  history.rotated(rotation(1, 2, 10));
  // Same keys and seq, another exp: not the body that was signed.
  EXPECT_TRUE(refused(check(history, rotation(1, 2, 10, kSubject, kNow + 1)),
                      Reason::seq_not_increasing, "seq", "is not above 10"));
}

TEST(KeyHistory, AnOlderIdenticalBodyIsNotAlreadySigned) {
  // The body signed at seq 10 is below the ledger's highest (20, another
  // pair of keys), so signing it again would not extend the chain.
  History history;
  history.rotated(rotation(1, 2, 10)).rotated(rotation(5, 6, 20));
  EXPECT_TRUE(refused(check(history, rotation(1, 2, 10)), Reason::seq_not_increasing, "seq",
                      "is not above 20"));
  // When the chain went on from its new key, re-signing it rotates back: a loop.
  History chain;
  chain.rotated(rotation(1, 2, 10)).rotated(rotation(2, 3, 20));
  EXPECT_TRUE(refused(check(chain, rotation(1, 2, 10)), Reason::invalid_field, "new_spk", "loop"));
}

TEST(KeyHistory, AnotherSubjectIsIndependent) {
  History history;
  history.rotated(rotation(1, 2, 10, "other.example.com"))
      .revoked(revocation(3, "other.example.com"));
  // Lower seq, same old key to another new key, a key revoked elsewhere.
  auto r = check(history, rotation(1, 3, 5));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->highest_seq);
  EXPECT_FALSE(r->previous);
}

TEST(KeyHistory, ClusterEntriesOfTheSameNameDoNotCount) {
  History history;
  history.cluster_signed(kSubject, 1, 1'000'000)
      .imported(kSubject, 1, 2'000'000, RecordType::cluster);
  auto r = check(history, rotation(1, 2, 5));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->highest_seq);
  EXPECT_FALSE(highest_rotation_seq(history.entries(), SubjectType::cluster_operator, kSubject));
}

TEST(KeyHistory, SubjectIsComparedNormalised) {
  // Entries store the normalised name; the record keeps the subject as given.
  const RotationRecord given = rotation(1, 2, 10, "Mesh.Example.COM.");
  const Entry entry = rotation_entry(given, body_of(given), given.old_spk, kNow, false);
  EXPECT_EQ(entry.name, kSubject);

  History history;
  history.rotated(rotation(1, 2, 10));
  EXPECT_TRUE(refused(check(history, rotation(2, 3, 9, "Mesh.Example.COM.")),
                      Reason::seq_not_increasing, "seq", "'mesh.example.com'"));
  EXPECT_TRUE(refused(check(history, rotation(1, 3, 11, "MESH.example.com")), Reason::invalid_field,
                      "new_spk", "fork"));
  EXPECT_EQ(
      highest_rotation_seq(history.entries(), SubjectType::cluster_operator, "Mesh.Example.COM."),
      10u);

  // And a subject given in another spelling in the ledger's own entry.
  History spelled;
  spelled.rotated(given);
  EXPECT_EQ(highest_rotation_seq(spelled.entries(), SubjectType::cluster_operator, kSubject), 10u);
  EXPECT_TRUE(refused(check(spelled, rotation(2, 3, 10)), Reason::seq_not_increasing, "seq",
                      "is not above 10"));
}

TEST(KeyHistory, ForkIsRefusedNamingNewSpk) {
  History history;
  history.rotated(rotation(1, 2, 10));
  EXPECT_TRUE(
      refused(check(history, rotation(1, 3, 11)), Reason::invalid_field, "new_spk", "fork"));
  // Also when only the old key's half is in this ledger.
  History half;
  half.signed_by(rotation(1, 2, 10), key_of(1));
  EXPECT_TRUE(refused(check(half, rotation(1, 3, 11)), Reason::invalid_field, "new_spk", "fork"));
}

TEST(KeyHistory, LoopIsRefusedNamingNewSpk) {
  History history;
  history.rotated(rotation(1, 2, 10));
  EXPECT_TRUE(
      refused(check(history, rotation(2, 1, 11)), Reason::invalid_field, "new_spk", "loop"));
  history.rotated(rotation(2, 3, 11));
  EXPECT_TRUE(
      refused(check(history, rotation(3, 1, 12)), Reason::invalid_field, "new_spk", "loop"));
  EXPECT_TRUE(
      refused(check(history, rotation(3, 2, 12)), Reason::invalid_field, "new_spk", "loop"));
  auto r = check(history, rotation(3, 4, 12));
  ASSERT_TRUE(r) << r.error().message();
}

TEST(KeyHistory, RevokedOldKeyIsRefusedNamingOldSpk) {
  History history;
  history.revoked(revocation(1));
  EXPECT_TRUE(
      refused(check(history, rotation(1, 2, 10)), Reason::invalid_field, "old_spk", "revoked"));
}

TEST(KeyHistory, RevokedNewKeyIsRefusedNamingNewSpk) {
  History history;
  history.rotated(rotation(1, 2, 10)).revoked(revocation(3));
  EXPECT_TRUE(
      refused(check(history, rotation(2, 3, 11)), Reason::invalid_field, "new_spk", "revoked"));
}

TEST(KeyHistory, RevocationOfAnotherKeyDoesNotBlock) {
  History history;
  history.rotated(rotation(1, 2, 10)).revoked(revocation(1));
  auto r = check(history, rotation(2, 3, 11));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->highest_seq, 10u);
}

TEST(KeyHistory, ImportedMarksRaiseTheHighestSeq) {
  History history;
  history.rotated(rotation(1, 2, 10)).imported(kSubject, 7, 500);
  EXPECT_EQ(highest_rotation_seq(history.entries(), SubjectType::cluster_operator, kSubject), 500u);
  EXPECT_TRUE(refused(check(history, rotation(2, 3, 400)), Reason::seq_not_increasing, "seq",
                      "is not above 500"));
  EXPECT_TRUE(refused(check(history, rotation(2, 3, 500)), Reason::seq_not_increasing, "seq",
                      "is not above 500"));
  auto r = check(history, rotation(2, 3, 501));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->highest_seq, 500u);
  EXPECT_FALSE(r->previous);  // the mark carries no body
  EXPECT_FALSE(r->already_signed);
}

TEST(KeyHistory, ImportedMarkOfAnotherSubjectDoesNotCount) {
  History history;
  history.imported("other.example.com", 1, 500);
  EXPECT_FALSE(highest_rotation_seq(history.entries(), SubjectType::cluster_operator, kSubject));
  EXPECT_TRUE(check(history, rotation(1, 2, 5)));
}

// --- highest_rotation_seq -----------------------------------------------------------

TEST(KeyHistory, HighestRotationSeqIsTheMaximumOverEveryKey) {
  History history;
  EXPECT_FALSE(highest_rotation_seq(history.entries(), SubjectType::cluster_operator, kSubject));
  history.rotated(rotation(1, 2, 30))
      .rotated(rotation(2, 3, 40))
      .rotated(rotation(5, 6, 35))
      .revoked(revocation(9))
      .cluster_signed(kSubject, 1, 99'999)
      .rotated(rotation(1, 2, 77, "other.example.com"));
  EXPECT_EQ(highest_rotation_seq(history.entries(), SubjectType::cluster_operator, kSubject), 40u);
  EXPECT_EQ(
      highest_rotation_seq(history.entries(), SubjectType::cluster_operator, "other.example.com"),
      77u);
  EXPECT_EQ(
      highest_rotation_seq(history.entries(), SubjectType::cluster_operator, "OTHER.example.com."),
      77u);
  EXPECT_FALSE(
      highest_rotation_seq(history.entries(), SubjectType::cluster_operator, "example.com"));
}

// --- revocation_standing ---------------------------------------------------------------

TEST(KeyHistory, RevocationStandingOfAFreshKey) {
  const RevocationStanding standing = revocation_standing(History{}.entries(), revocation(1));
  EXPECT_FALSE(standing.revoked_before);
  EXPECT_FALSE(standing.has_successor);
}

TEST(KeyHistory, RevocationStandingSeesAnEarlierRevocation) {
  History history;
  history.revoked(revocation(1, kSubject, kNow - 100));
  RevocationStanding standing = revocation_standing(history.entries(), revocation(1));
  EXPECT_EQ(standing.revoked_before, kNow - 100);
  EXPECT_FALSE(standing.has_successor);
  // Another key, or another subject, was not revoked.
  EXPECT_FALSE(revocation_standing(history.entries(), revocation(2)).revoked_before);
  EXPECT_FALSE(
      revocation_standing(history.entries(), revocation(1, "other.example.com")).revoked_before);
  // The subject is compared normalised.
  EXPECT_EQ(
      revocation_standing(history.entries(), revocation(1, "Mesh.Example.COM.")).revoked_before,
      kNow - 100);
}

TEST(KeyHistory, RevocationStandingSeesASuccessor) {
  History history;
  history.rotated(rotation(1, 2, 10));
  EXPECT_TRUE(revocation_standing(history.entries(), revocation(1)).has_successor);
  // The new key has no successor yet; nor has the old key for another subject.
  EXPECT_FALSE(revocation_standing(history.entries(), revocation(2)).has_successor);
  EXPECT_FALSE(
      revocation_standing(history.entries(), revocation(1, "other.example.com")).has_successor);
  EXPECT_FALSE(revocation_standing(history.entries(), revocation(1)).revoked_before);
}

TEST(KeyHistory, AnImportedMarkIsNoSuccessor) {
  History history;
  history.imported(kSubject, 1, 500);
  EXPECT_FALSE(revocation_standing(history.entries(), revocation(1)).has_successor);
}

// --- entries -----------------------------------------------------------------------------

TEST(KeyHistory, RotationEntryLogsOneSignature) {
  const RotationRecord record = rotation(1, 2, 10, "Mesh.Example.COM.");
  const Bytes body = body_of(record);
  Entry entry = rotation_entry(record, body, record.new_spk, kNow, false);
  EXPECT_EQ(entry.time, kNow);
  EXPECT_EQ(entry.event, Event::sign);
  EXPECT_EQ(entry.type, RecordType::rotation);
  EXPECT_EQ(entry.name, kSubject);
  EXPECT_EQ(entry.key, record.new_spk);
  EXPECT_EQ(entry.seq, 10u);
  EXPECT_EQ(entry.exp, record.exp);
  EXPECT_EQ(entry.body, body);
  EXPECT_EQ(rotation_entry(record, body, record.old_spk, kNow, true).event, Event::reemit);
}

TEST(KeyHistory, RevocationEntryHasNoSeqAndNoExp) {
  const RevocationRecord record = revocation(4, "Mesh.Example.COM.");
  const Bytes body = body_of(record);
  const Entry entry = revocation_entry(record, body, kNow + 5);
  EXPECT_EQ(entry.time, kNow + 5);
  EXPECT_EQ(entry.event, Event::sign);
  EXPECT_EQ(entry.type, RecordType::revocation);
  EXPECT_EQ(entry.name, kSubject);
  EXPECT_EQ(entry.key, key_of(4));
  EXPECT_EQ(entry.seq, 0u);
  EXPECT_EQ(entry.exp, 0u);
  EXPECT_EQ(entry.body, body);
}

// --- the ledger text and the interchange ---------------------------------------------------

History mixed_history() {
  History history;
  history.cluster_signed(kSubject, 1, 7)
      .rotated(rotation(1, 2, 10))
      .revoked(revocation(1))
      .imported("example.com", 3, 42);
  return history;
}

std::string ledger_text(const std::vector<Entry>& entries) {
  std::string out = std::string(kHeaderLine) + "\n";
  for (const Entry& entry : entries)
    out += format_entry(entry) + "\n";
  return out;
}

TEST(KeyHistoryLedger, RotationAndRevocationEntriesRoundTrip) {
  const auto entries = mixed_history().entries();
  const std::string text = ledger_text(entries);
  EXPECT_NE(text.find(" sign cluster mesh.example.com "), std::string::npos) << text;
  EXPECT_NE(text.find(" sign rotation mesh.example.com "), std::string::npos) << text;
  EXPECT_NE(text.find(" sign revocation mesh.example.com "), std::string::npos) << text;
  EXPECT_NE(text.find(" import rotation example.com "), std::string::npos) << text;
  auto parsed = parse_ledger(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, entries);
  EXPECT_EQ(ledger_text(*parsed), text);
}

TEST(KeyHistoryLedger, MarksAndInterchangeCarryRotationsButNoRevocation) {
  const auto entries = mixed_history().entries();
  const auto marks = high_water_marks(entries);
  // cluster (key 1), rotation (keys 1 and 2), the imported rotation mark.
  EXPECT_EQ(marks.size(), 4u);
  for (const auto& [key, mark] : marks)
    EXPECT_NE(key.type, RecordType::revocation);
  const MarkKey rotation_key{RecordType::rotation, kSubject, key_of(1)};
  ASSERT_TRUE(marks.contains(rotation_key));
  EXPECT_EQ(marks.at(rotation_key).seq, 10u);

  const std::string doc = export_interchange(marks);
  EXPECT_NE(doc.find("\"type\": \"rotation\""), std::string::npos) << doc;
  EXPECT_EQ(doc.find("revocation"), std::string::npos) << doc;
  auto parsed = parse_interchange(doc);
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_EQ(parsed->size(), marks.size());
  for (const auto& [key, mark] : marks)
    EXPECT_EQ(parsed->at(key), mark.seq);
  EXPECT_EQ(parsed->at(MarkKey{RecordType::rotation, "example.com", key_of(3)}), 42u);
}

TEST(KeyHistoryLedger, InterchangeAcceptsRotationAndRefusesRevocation) {
  const auto doc = [](const std::string& type) {
    return R"({"dmp_signer_interchange": 1, "marks": [{"type": ")" + type +
           R"(", "name": "Mesh.Example.com.", "public_key": ")" + std::string(64, 'a') +
           R"(", "seq": "42"}]})";
  };
  auto parsed = parse_interchange(doc("rotation"));
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->begin()->first.type, RecordType::rotation);
  EXPECT_EQ(parsed->begin()->first.name, kSubject);
  EXPECT_EQ(parsed->begin()->second, 42u);

  auto refused_doc = parse_interchange(doc("revocation"));
  ASSERT_FALSE(refused_doc);
  EXPECT_EQ(refused_doc.error().reason, Reason::invalid_field);
  EXPECT_EQ(refused_doc.error().field, "interchange marks[0].type");
}

// --- predecessors_of ----------------------------------------------------------------

TEST(KeyHistoryPredecessors, FollowsTheChainBackNearestFirst) {
  History history;
  history.rotated(rotation(1, 2, 10)).rotated(rotation(2, 3, 11)).rotated(rotation(3, 4, 12));
  EXPECT_EQ(predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(4)),
            (std::vector<PublicKey>{key_of(3), key_of(2), key_of(1)}));
  EXPECT_EQ(predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(2)),
            std::vector<PublicKey>{key_of(1)});
  EXPECT_TRUE(predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(1))
                  .empty());
}

TEST(KeyHistoryPredecessors, OnlyThisSubjectAndSubjectType) {
  History history;
  history.rotated(rotation(1, 2, 10, "other.example.com"));
  RotationRecord bootstrap = rotation(5, 2, 10);
  bootstrap.subject_type = SubjectType::bootstrap_signer;
  history.rotated(bootstrap);
  EXPECT_TRUE(predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(2))
                  .empty());
  EXPECT_EQ(predecessors_of(history.entries(), SubjectType::bootstrap_signer, kSubject, key_of(2)),
            std::vector<PublicKey>{key_of(5)});
  EXPECT_EQ(subject_type_signing(RecordType::cluster), SubjectType::cluster_operator);
  EXPECT_EQ(subject_type_signing(RecordType::bootstrap), SubjectType::bootstrap_signer);
}

TEST(KeyHistoryPredecessors, EndsOnALoopInAForgedLedger) {
  // check_rotation never writes a loop, but a walk must not trust that.
  History history;
  history.rotated(rotation(1, 2, 10)).rotated(rotation(2, 1, 11));
  const auto chain =
      predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(2));
  EXPECT_EQ(chain, std::vector<PublicKey>{key_of(1)});
}

TEST(KeyHistoryPredecessors, EveryKeyRotatedIntoThisOneCounts) {
  // 1 -> 3 and 2 -> 3 (two chains merging), then 3 -> 4.
  History history;
  history.rotated(rotation(1, 3, 10)).rotated(rotation(2, 3, 11)).rotated(rotation(3, 4, 12));
  EXPECT_EQ(predecessors_of(history.entries(), SubjectType::cluster_operator, kSubject, key_of(4)),
            (std::vector<PublicKey>{key_of(3), key_of(1), key_of(2)}));
}

TEST(KeyHistoryImports, AMarkOfThisRotationsKeyAtItsSeqIsItsOtherHalf) {
  // sign-old on laptop A, marks exported and imported on B, then sign-new.
  History history;
  history.imported(kSubject, 1, 10);
  const RotationRecord record = rotation(1, 2, 10);
  auto standing = check_rotation(history.entries(), record, body_of(record));
  ASSERT_TRUE(standing) << standing.error().message();
  EXPECT_TRUE(standing->already_signed);
  // Another key's mark at that seq still blocks it.
  History other;
  other.imported(kSubject, 7, 10);
  auto refused = check_rotation(other.entries(), record, body_of(record));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, Reason::seq_not_increasing);
}

TEST(KeyHistoryFork, AbandoningAnUnfinishedRotationIsExplicit) {
  History history;
  history.signed_by(rotation(1, 2, 10), key_of(1));  // sign-old only; key 2 was lost
  const RotationRecord replacement = rotation(1, 3, 11);
  auto refused = check_rotation(history.entries(), replacement, body_of(replacement));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("--abandon-unfinished"), std::string::npos);
  auto allowed = check_rotation(history.entries(), replacement, body_of(replacement), true);
  ASSERT_TRUE(allowed) << allowed.error().message();
  ASSERT_TRUE(allowed->abandoned);
  EXPECT_EQ(allowed->abandoned->new_spk, key_of(2));
  // It does not lift the other rules: seq still rises.
  const RotationRecord low = rotation(1, 3, 10);
  auto low_seq = check_rotation(history.entries(), low, body_of(low), true);
  ASSERT_FALSE(low_seq);
  EXPECT_EQ(low_seq.error().reason, Reason::seq_not_increasing);
}

}  // namespace
}  // namespace dmp::ledger
