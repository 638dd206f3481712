// signer/ledger/ledger_format and interchange, without I/O: the entry line
// format, the hash chain (every edit, drop, insertion or reordering breaks it
// at a named line), the high-water marks per (type, normalised name, key),
// and the strict interchange document.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "ledger/interchange.hpp"
#include "ledger/ledger_format.hpp"

namespace dmp::ledger {
namespace {

PublicKey key_of(std::uint8_t fill) {
  PublicKey key{};
  key.fill(fill);
  return key;
}

Entry make(Event event, RecordType type, const std::string& name, std::uint64_t seq,
           std::uint8_t key = 1, Bytes body = {1, 2, 3, 4, 5}) {
  Entry e;
  e.time = 1'900'000'000;
  e.event = event;
  e.type = type;
  e.name = name;
  e.key = key_of(key);
  e.seq = seq;
  if (event != Event::import) {
    e.exp = 1'930'000'000;
    e.body = std::move(body);
  }
  return e;
}

std::vector<Entry> chain(std::vector<Entry> entries) {
  std::vector<Entry> out;
  for (auto& e : entries)
    out.push_back(seal_entry(std::move(e), out.empty() ? nullptr : &out.back()));
  return out;
}

std::vector<Entry> sample() {
  return chain({make(Event::sign, RecordType::cluster, "mesh.example.com", 1),
                make(Event::sign, RecordType::cluster, "mesh.example.com", 2, 1, {9, 9, 9}),
                make(Event::import, RecordType::bootstrap, "example.com", 40, 2),
                make(Event::reemit, RecordType::cluster, "mesh.example.com", 2, 1, {9, 9, 9})});
}

std::vector<std::string> lines(const std::vector<Entry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries)
    out.push_back(format_entry(e));
  return out;
}

std::string text(const std::vector<std::string>& entry_lines) {
  std::string out = std::string(kHeaderLine) + "\n";
  for (const auto& l : entry_lines)
    out += l + "\n";
  return out;
}

// parse_ledger refuses with ledger_corrupt naming "ledger line <n>".
::testing::AssertionResult corrupt_at(const std::string& ledger, std::size_t line) {
  auto r = parse_ledger(ledger);
  if (r) return ::testing::AssertionFailure() << "accepted";
  if (r.error().reason != Reason::ledger_corrupt) {
    return ::testing::AssertionFailure() << reason_name(r.error().reason);
  }
  const std::string want = "ledger line " + std::to_string(line) + ":";
  if (r.error().message().rfind(want, 0) != 0) {
    return ::testing::AssertionFailure() << "expected '" << want << "': " << r.error().message();
  }
  return ::testing::AssertionSuccess();
}

TEST(LedgerFormat, EmptyTextIsAnEmptyLedger) {
  auto r = parse_ledger("");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  r = parse_ledger(std::string(kHeaderLine) + "\n");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(LedgerFormat, RoundTripsEveryEventKind) {
  const auto entries = sample();
  auto parsed = parse_ledger(text(lines(entries)));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(*parsed, entries);
  EXPECT_EQ(lines(*parsed), lines(entries));
}

TEST(LedgerFormat, EntryLineHasTwelveFields) {
  const auto entries = sample();
  for (const auto& l : lines(entries)) {
    EXPECT_EQ(std::count(l.begin(), l.end(), ' '), 11) << l;
    EXPECT_EQ(l.find('\n'), std::string::npos);
  }
  EXPECT_NE(lines(entries)[0].find(" sign cluster mesh.example.com "), std::string::npos);
  EXPECT_NE(lines(entries)[2].find(" import bootstrap example.com "), std::string::npos);
  EXPECT_NE(lines(entries)[2].find(" - "), std::string::npos);  // no body
}

TEST(LedgerFormat, SealChainsIndexAndPrevious) {
  const auto entries = sample();
  EXPECT_EQ(entries[0].index, 1u);
  EXPECT_EQ(entries[0].prev, Hash{});
  for (std::size_t i = 1; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].index, i + 1);
    EXPECT_EQ(entries[i].prev, entries[i - 1].hash);
    EXPECT_NE(entries[i].hash, entries[i - 1].hash);
  }
  EXPECT_EQ(entries[0].body_sha256, sha256(entries[0].body));
}

TEST(LedgerFormat, HeaderIsRequired) {
  const auto l = lines(sample());
  std::string t = text(l);
  EXPECT_TRUE(corrupt_at(t.substr(t.find('\n') + 1), 1));
  EXPECT_TRUE(corrupt_at("dmp-signer ledger v2\n" + t.substr(t.find('\n') + 1), 1));
}

TEST(LedgerFormat, TornLastLineIsRefusedHere) {
  std::string t = text(lines(sample()));
  t.pop_back();
  EXPECT_TRUE(corrupt_at(t, 5));
}

TEST(LedgerFormat, EveryEditedByteBreaksItsLine) {
  const auto l = lines(sample());
  for (std::size_t which = 0; which < l.size(); ++which) {
    for (std::size_t pos = 0; pos < l[which].size(); ++pos) {
      auto edited = l;
      char& c = edited[which][pos];
      if (c == ' ') continue;
      c = c == '1' ? '2' : '1';
      EXPECT_TRUE(corrupt_at(text(edited), which + 2)) << "line " << which << " byte " << pos;
    }
  }
}

TEST(LedgerFormat, DroppedEntryBreaksTheChain) {
  for (std::size_t drop = 0; drop + 1 < 4; ++drop) {
    auto l = lines(sample());
    l.erase(l.begin() + static_cast<long>(drop));
    EXPECT_TRUE(corrupt_at(text(l), drop + 2)) << drop;
  }
}

TEST(LedgerFormat, ReorderedEntriesBreakTheChain) {
  auto l = lines(sample());
  std::swap(l[1], l[2]);
  EXPECT_TRUE(corrupt_at(text(l), 3));
}

TEST(LedgerFormat, InsertedOrDuplicatedEntryBreaksTheChain) {
  auto l = lines(sample());
  l.insert(l.begin() + 2, l[1]);
  EXPECT_TRUE(corrupt_at(text(l), 4));
}

TEST(LedgerFormat, ForgedEntryWithMatchingSha256ButWrongHashIsRefused) {
  // Re-computing the body hash is not enough: the entry hash covers it.
  auto entries = sample();
  entries[1].body = {7, 7, 7};
  entries[1].body_sha256 = sha256(entries[1].body);
  EXPECT_TRUE(corrupt_at(text(lines(entries)), 3));
}

// A forger's reseal: the entry hash recomputed over the fields as they stand
// (the format's rule, SHA-256 of "dmp-ledger-v1 " and the line before the
// hash), without seal_entry's own index, prev and body hash. The hash is not
// keyed, so only the checks of the fields against each other catch this.
Entry resealed_as_is(Entry e) {
  const std::string line = format_entry(e);
  const std::string covered = "dmp-ledger-v1 " + line.substr(0, line.rfind(' '));
  e.hash = sha256(std::span(reinterpret_cast<const std::uint8_t*>(covered.data()), covered.size()));
  return e;
}

// parse_ledger refuses at `line` with a message containing `why`.
::testing::AssertionResult refused_at(const std::string& ledger, std::size_t line,
                                      const std::string& why) {
  if (auto at = corrupt_at(ledger, line); !at) return at;
  const std::string message = parse_ledger(ledger).error().message();
  if (message.find(why) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected '" << why << "': " << message;
  }
  return ::testing::AssertionSuccess();
}

TEST(LedgerFormat, ResealedEntryWithAGapInTheIndexIsRefused) {
  // Entry 3 renumbered 5, chained to entry 2 and resealed: only the index tells.
  auto entries = sample();
  entries.resize(3);
  entries[2].index = 5;
  entries[2] = resealed_as_is(entries[2]);
  ASSERT_EQ(entries[2].prev, entries[1].hash);
  EXPECT_TRUE(refused_at(text(lines(entries)), 4, "entry index 5, expected 3"));
}

TEST(LedgerFormat, ResealedFirstEntryChainedToAnEarlierOneIsRefused) {
  // What is left after the first entries are dropped and the rest renumbered
  // and resealed: the first entry's prev names an entry that is not there.
  auto entries = sample();
  entries.resize(1);
  entries[0].prev.fill(0x5a);
  entries[0] = resealed_as_is(entries[0]);
  EXPECT_TRUE(refused_at(text(lines(entries)), 2, "does not chain"));
}

TEST(LedgerFormat, ResealedEntryWhoseBodyDoesNotMatchItsSha256IsRefused) {
  auto entries = sample();
  entries.resize(2);
  entries[1].body = {7, 7, 7};  // body_sha256 still that of {9, 9, 9}
  entries[1] = resealed_as_is(entries[1]);
  EXPECT_TRUE(refused_at(text(lines(entries)), 3, "does not match its SHA-256"));
}

TEST(LedgerFormat, NonCanonicalSpellingOfABodyIsRefused) {
  // libsodium's decoder reads any byte >= 0x80 as '/', so without a
  // canonical-form check this edit would go unnoticed (found by fuzz_ledger).
  const auto entries = chain(
      {make(Event::sign, RecordType::cluster, "mesh.example.com", 1, 1, {0xff, 0xff, 0xff, 1})});
  std::string line = format_entry(entries[0]);
  const std::size_t slash = line.find("////");
  ASSERT_NE(slash, std::string::npos) << line;
  ASSERT_TRUE(parse_ledger(text({line})));
  line[slash] = static_cast<char>(0xa5);
  EXPECT_TRUE(corrupt_at(text({line}), 2));
}

TEST(LedgerFormat, MalformedFieldsAreRefused) {
  const std::string good = lines(sample())[0];
  auto with_field = [&](std::size_t i, const std::string& value) {
    std::vector<std::string> f;
    std::size_t pos = 0;
    for (std::size_t end; (end = good.find(' ', pos)) != std::string::npos; pos = end + 1) {
      f.push_back(good.substr(pos, end - pos));
    }
    f.push_back(good.substr(pos));
    f[i] = value;
    std::string out;
    for (const auto& x : f)
      out += (out.empty() ? "" : " ") + x;
    return out;
  };
  const std::vector<std::pair<std::size_t, std::string>> bad = {{0, "01"},
                                                                {0, "-1"},
                                                                {1, "1e9"},
                                                                {2, "SIGN"},
                                                                {2, "revoke"},
                                                                {3, "rotation"},
                                                                {4, "Mesh.example.com"},
                                                                {4, "mesh.example.com."},
                                                                {4, "a..b"},
                                                                {5, std::string(64, 'A')},
                                                                {6, "18446744073709551616"},
                                                                {8, "00"},
                                                                {9, "AQIDBAU"},
                                                                {9, "AQIDBAV="},
                                                                {9, "-"},
                                                                {10, std::string(63, '0')}};
  for (const auto& [i, value] : bad) {
    EXPECT_TRUE(corrupt_at(text({with_field(i, value)}), 2)) << i << "=" << value;
  }
  EXPECT_TRUE(corrupt_at(text({good + " extra"}), 2));
  EXPECT_TRUE(corrupt_at(text({good.substr(0, good.rfind(' '))}), 2));
  EXPECT_TRUE(corrupt_at(text({std::string(kMaxLineLen + 1, 'x')}), 2));
}

TEST(LedgerFormat, NormalizeNameStripsOneDotAndLowerCases) {
  EXPECT_EQ(normalize_name("Mesh.Example.COM."), "mesh.example.com");
  EXPECT_EQ(normalize_name("mesh.example.com"), "mesh.example.com");
}

TEST(LedgerFormat, HighWaterMarksArePerTypeNameAndKey) {
  const auto entries = chain({
      make(Event::sign, RecordType::cluster, "mesh.example.com", 5),
      make(Event::sign, RecordType::cluster, "mesh.example.com", 7, 1, {7}),
      make(Event::sign, RecordType::cluster, "mesh.example.com", 3, 2),  // other key
      make(Event::sign, RecordType::bootstrap, "mesh.example.com", 9),   // other type
      make(Event::sign, RecordType::cluster, "other.example.com", 1),    // other name
      make(Event::import, RecordType::cluster, "mesh.example.com", 6),   // lower: no effect
  });
  const auto marks = high_water_marks(entries);
  ASSERT_EQ(marks.size(), 4u);
  const auto& m = marks.at(MarkKey{RecordType::cluster, "mesh.example.com", key_of(1)});
  EXPECT_EQ(m.seq, 7u);
  EXPECT_EQ(m.body, Bytes{7});
  EXPECT_EQ(m.body_sha256, sha256(Bytes{7}));
  EXPECT_EQ((marks.at(MarkKey{RecordType::cluster, "mesh.example.com", key_of(2)}).seq), 3u);
  EXPECT_EQ((marks.at(MarkKey{RecordType::bootstrap, "mesh.example.com", key_of(1)}).seq), 9u);
  EXPECT_EQ((marks.at(MarkKey{RecordType::cluster, "other.example.com", key_of(1)}).seq), 1u);
}

TEST(LedgerFormat, ImportedMarkRaisesTheSeqButCarriesNoBody) {
  const auto entries = chain({make(Event::sign, RecordType::cluster, "mesh.example.com", 5),
                              make(Event::import, RecordType::cluster, "mesh.example.com", 8)});
  const auto marks = high_water_marks(entries);
  const auto& m = marks.at(MarkKey{RecordType::cluster, "mesh.example.com", key_of(1)});
  EXPECT_EQ(m.seq, 8u);
  EXPECT_TRUE(m.body.empty());
}

TEST(LedgerFormat, SignedBodyAtAnImportedSeqIsKept) {
  // import 8, then the body signed at 8 on this laptop: re-emitting it is allowed.
  const auto entries =
      chain({make(Event::import, RecordType::cluster, "mesh.example.com", 8),
             make(Event::sign, RecordType::cluster, "mesh.example.com", 8, 1, {8})});
  const auto marks = high_water_marks(entries);
  const auto& m = marks.at(MarkKey{RecordType::cluster, "mesh.example.com", key_of(1)});
  EXPECT_EQ(m.body, Bytes{8});
}

// --- interchange ---------------------------------------------------------------

TEST(Interchange, ExportParsesBackToTheSameMarks) {
  const auto marks = high_water_marks(sample());
  const std::string doc = export_interchange(marks);
  auto parsed = parse_interchange(doc);
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_EQ(parsed->size(), marks.size());
  for (const auto& [key, mark] : marks)
    EXPECT_EQ(parsed->at(key), mark.seq);
  // Integers are strings, so no JSON reader rounds a u64.
  EXPECT_NE(doc.find("\"seq\": \"2\""), std::string::npos) << doc;
}

TEST(Interchange, U64MaxSurvives) {
  std::map<MarkKey, Mark> marks;
  marks[MarkKey{RecordType::cluster, "mesh.example.com", key_of(3)}].seq = UINT64_MAX;
  auto parsed = parse_interchange(export_interchange(marks));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->begin()->second, UINT64_MAX);
}

std::string doc_with(const std::string& mark) {
  return R"({"dmp_signer_interchange": 1, "marks": [)" + mark + "]}";
}

const std::string kMark = R"({"type": "cluster", "name": "Mesh.Example.com.", "public_key": ")" +
                          std::string(64, 'a') + R"(", "seq": "42"})";

TEST(Interchange, NamesAreNormalised) {
  auto parsed = parse_interchange(doc_with(kMark));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->begin()->first.name, "mesh.example.com");
  EXPECT_EQ(parsed->begin()->second, 42u);
}

TEST(Interchange, DocumentsAreCappedAt16MiB) {
  // Valid JSON padded with whitespace: only the length is wrong.
  std::string doc = doc_with(kMark);
  doc.append(kMaxInterchangeLen - doc.size(), ' ');
  ASSERT_EQ(doc.size(), kMaxInterchangeLen);
  auto parsed = parse_interchange(doc);
  ASSERT_TRUE(parsed) << parsed.error().message();
  doc += ' ';
  parsed = parse_interchange(doc);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().field, "interchange document");
  EXPECT_NE(parsed.error().message().find("16 MiB"), std::string::npos) << parsed.error().message();
}

TEST(Interchange, StrictDocument) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "document"},
      {"[]", "document"},
      {R"({"marks": []})", "dmp_signer_interchange"},
      {R"({"dmp_signer_interchange": 2, "marks": []})", "dmp_signer_interchange"},
      {R"({"dmp_signer_interchange": "1", "marks": []})", "dmp_signer_interchange"},
      {R"({"dmp_signer_interchange": 1})", "marks"},
      {R"({"dmp_signer_interchange": 1, "marks": {}})", "marks"},
      {R"({"dmp_signer_interchange": 1, "marks": [], "extra": 1})", "extra"},
      {doc_with("5"), "marks[0]"},
      {doc_with(R"({"type": "cluster"})"), "marks[0].name"},
      {doc_with(kMark.substr(0, kMark.size() - 1) + R"(, "exp": "1"})"), "marks[0].exp"},
      {doc_with(R"({"type": "revocation", "name": "a", "public_key": ")" + std::string(64, 'a') +
                R"(", "seq": "1"})"),
       "marks[0].type"},
      {doc_with(R"({"type": "cluster", "name": "a..b", "public_key": ")" + std::string(64, 'a') +
                R"(", "seq": "1"})"),
       "marks[0].name"},
      {doc_with(R"({"type": "cluster", "name": "a", "public_key": "abc", "seq": "1"})"),
       "marks[0].public_key"},
      {doc_with(R"({"type": "cluster", "name": "a", "public_key": ")" + std::string(64, 'a') +
                R"(", "seq": 1})"),
       "marks[0].seq"},
      {doc_with(R"({"type": "cluster", "name": "a", "public_key": ")" + std::string(64, 'a') +
                R"(", "seq": "-1"})"),
       "marks[0].seq"},
      {doc_with(R"({"type": "cluster", "name": "a", "public_key": ")" + std::string(64, 'a') +
                R"(", "seq": "18446744073709551616"})"),
       "marks[0].seq"},
      // The same mark twice, differing only in name case and the trailing dot.
      {doc_with(kMark + ", " +
                R"({"type": "cluster", "name": "mesh.example.com", "public_key": ")" +
                std::string(64, 'a') + R"(", "seq": "1"})"),
       "marks[1]"},
  };
  for (const auto& [doc, field] : bad) {
    auto r = parse_interchange(doc);
    ASSERT_FALSE(r) << doc;
    EXPECT_EQ(r.error().reason, Reason::invalid_field) << doc;
    EXPECT_EQ(r.error().field, "interchange " + field) << doc << ": " << r.error().message();
  }
}

}  // namespace
}  // namespace dmp::ledger
