// The signing ledger through the real dmp-sign: seq strictly increases per
// (type, normalised name, key), identical re-emits, seq "auto", --previous,
// the review's diff, tamper detection (`ledger verify` and `sign` both refuse
// with exit 11, and sign writes nothing), torn-tail repair, export/import and
// the lock.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "ledger/ledger_format.hpp"
#include "sign/sign_test_support.hpp"

namespace dmp::test {
namespace {

class LedgerCli : public ::testing::Test {
 protected:
  void SetUp() override { pub_ = ws_.keygen(); }

  ProcessResult sign_input(const nlohmann::json& input, const std::string& out,
                           std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--out", ws_.path(out).string()});
    extra.push_back(ws_.write_input(out + ".json", input));
    return ws_.sign(extra);
  }

  // A refusal of one record with `code`/`reason`; nothing written.
  ProcessResult expect_refused(const nlohmann::json& input, int code, const std::string& reason,
                               std::vector<std::string> extra = {}) {
    const std::string ledger_before = read_file(ws_.ledger_file());
    const std::string head_before = read_file(ws_.head_file());
    auto r = sign_input(input, "refused.wire", std::move(extra));
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_TRUE(one_line_refusal(r, reason));
    EXPECT_FALSE(fs::exists(ws_.path("refused.wire")));
    EXPECT_EQ(read_file(ws_.ledger_file()), ledger_before);
    EXPECT_EQ(read_file(ws_.head_file()), head_before);
    return r;
  }

  SignWorkspace ws_;
  std::string pub_;
};

nlohmann::json with_nodes(nlohmann::json input, int count) {
  input["nodes"].erase(input["nodes"].begin() + count, input["nodes"].end());
  return input;
}

// --- seq ---------------------------------------------------------------------------

TEST_F(LedgerCli, EqualSeqWithAnotherBodyIsRefused) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  auto r = expect_refused(with_nodes(cluster_input("mesh.example.com", 5), 2), kExitSeq,
                          "seq_not_increasing");
  EXPECT_NE(r.err.find("use 6"), std::string::npos) << r.err;
}

TEST_F(LedgerCli, LowerSeqIsRefusedAndTheNextSeqSuggested) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  auto r = expect_refused(cluster_input("mesh.example.com", 4), kExitSeq, "seq_not_increasing");
  EXPECT_NE(r.err.find("use 6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"auto\""), std::string::npos) << r.err;
  expect_refused(cluster_input("mesh.example.com", 0), kExitSeq, "seq_not_increasing");
}

TEST_F(LedgerCli, IdenticalBodyAtTheHighWaterSeqIsReemitted) {
  const std::string first = ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  auto r = sign_input(cluster_input("mesh.example.com", 5), "b.wire");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("re-emit"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(ws_.path("b.wire")), first);  // byte-identical
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entry_field(entries[0], 2), "sign");
  EXPECT_EQ(entry_field(entries[1], 2), "reemit");
  EXPECT_EQ(entry_field(entries[1], 6), "5");
  EXPECT_EQ(entry_field(entries[1], 8), entry_field(entries[0], 8));  // same body hash
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
}

TEST_F(LedgerCli, ReemitBelowTheHighWaterSeqIsRefused) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  ws_.sign_ok(cluster_input("mesh.example.com", 6), "b.wire");
  expect_refused(cluster_input("mesh.example.com", 5), kExitSeq, "seq_not_increasing");
}

TEST_F(LedgerCli, SeqAutoIsOneAboveTheHighWaterMark) {
  auto seq_in = [&](const std::string& wire) {
    auto r = ws_.run({"inspect", "--json", ws_.path(wire)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::stoull(nlohmann::json::parse(r.out)["seq"].get<std::string>());
  };
  ws_.sign_ok(cluster_input("mesh.example.com", "auto"), "a.wire");
  EXPECT_EQ(seq_in("a.wire"), 1u);
  ws_.sign_ok(cluster_input("mesh.example.com", "auto"), "b.wire");
  EXPECT_EQ(seq_in("b.wire"), 2u);
  ws_.sign_ok(cluster_input("mesh.example.com", 10), "c.wire");
  ws_.sign_ok(cluster_input("mesh.example.com", "auto"), "d.wire");
  EXPECT_EQ(seq_in("d.wire"), 11u);
  // Another name starts at 1.
  ws_.sign_ok(cluster_input("other.example.com", "auto"), "e.wire");
  EXPECT_EQ(seq_in("e.wire"), 1u);
}

TEST_F(LedgerCli, MarksArePerTypeNormalisedNameAndKey) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  // Same name in other case and with a trailing dot: the same mark.
  expect_refused(with_nodes(cluster_input("MESH.Example.com.", 5), 1), kExitSeq,
                 "seq_not_increasing");
  // Another type, another name, another key: marks of their own.
  ws_.sign_ok(bootstrap_input("mesh.example.com", 1), "b.wire");
  ws_.sign_ok(cluster_input("mesh2.example.com", 1), "c.wire");
  const fs::path other_key = ws_.path("other.key");
  ws_.keygen(other_key);
  // Another key for a known name is a key change, signed only when said so.
  auto r = ws_.sign({"--out", ws_.path("d.wire"), "--allow-key-change",
                     ws_.write_input("d.json", cluster_input("mesh.example.com", 6))},
                    other_key);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ws_.ledger_entries().size(), 4u);
}

// --- --previous ------------------------------------------------------------------

TEST_F(LedgerCli, VerifiedPreviousRaisesTheFloor) {
  // Published from another laptop's ledger with the same key.
  ws_.sign({"--out", ws_.path("published.wire"),
            ws_.write_input("p.json", cluster_input("mesh.example.com", 7))},
           {}, ws_.path("other-state"));
  ASSERT_TRUE(fs::exists(ws_.path("published.wire")));
  auto r =
      expect_refused(with_nodes(cluster_input("mesh.example.com", 7), 2), kExitSeq,
                     "seq_not_increasing", {"--previous", ws_.path("published.wire").string()});
  EXPECT_NE(r.err.find("use 8"), std::string::npos) << r.err;
  ws_.sign_ok(cluster_input("mesh.example.com", "auto"), "next.wire",
              {"--previous", ws_.path("published.wire").string()});
  auto j = nlohmann::json::parse(ws_.run({"inspect", "--json", ws_.path("next.wire")}).out);
  EXPECT_EQ(j["seq"], "8");
}

TEST_F(LedgerCli, ReviewShowsTheDiffAgainstPrevious) {
  ws_.sign({"--out", ws_.path("published.wire"),
            ws_.write_input("p.json", cluster_input("mesh.example.com", 7))},
           {}, ws_.path("other-state"));
  auto input = cluster_input("mesh.example.com", 8);
  input["nodes"][0]["http_endpoint"] = "https://n1-new.mesh.example.com:8053";  // changed
  input["nodes"][2]["node_id"] = "n04";                                         // n03 -> n04
  auto r = sign_input(input, "next.wire", {"--previous", ws_.path("published.wire").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("changes against --previous (verified)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("seq: 7 -> 8"), std::string::npos) << r.err;
  // Same endpoints, new node_id: shown as that one field changing, not as
  // a removal and an addition to compare by eye.
  EXPECT_NE(r.err.find("~ node n03\n        node_id: n03 -> n04\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("~ node n01\n        http_endpoint: https://n1.mesh.example.com:8053 -> "
                       "https://n1-new.mesh.example.com:8053\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("\n" + std::string(69, ' ') + "^^^^\n"), std::string::npos)
      << "carets under the inserted \"-new\": " << r.err;
  EXPECT_EQ(r.err.find("- node"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("+ node"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("node n02"), std::string::npos) << r.err;  // unchanged: not listed
}

TEST_F(LedgerCli, ReviewShowsTheDiffAgainstTheLedger) {
  ws_.sign_ok(cluster_input("mesh.example.com", 1), "a.wire");
  auto r = sign_input(with_nodes(cluster_input("mesh.example.com", 2), 2), "b.wire");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("changes against the ledger's last signature"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("- node n03"), std::string::npos) << r.err;
}

TEST_F(LedgerCli, PreviousThatDoesNotVerifyIsRefusedUnlessAllowed) {
  SignWorkspace other;
  other.keygen();
  other.sign_ok(cluster_input("mesh.example.com", 7), "foreign.wire");
  auto r = expect_refused(cluster_input("mesh.example.com", "auto"), kExitInvalid, "bad_signature",
                          {"--previous", other.path("foreign.wire").string()});
  EXPECT_NE(r.err.find("--allow-unverified-previous"), std::string::npos) << r.err;
  // Garbage is refused too.
  write_file(ws_.path("garbage.wire"), "v=dmp1;t=cluster;!!!");
  expect_refused(cluster_input("mesh.example.com", "auto"), kExitInvalid, "bad_base64",
                 {"--previous", ws_.path("garbage.wire").string()});

  auto ok = sign_input(
      cluster_input("mesh.example.com", "auto"), "next.wire",
      {"--previous", other.path("foreign.wire").string(), "--allow-unverified-previous"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find("UNVERIFIED"), std::string::npos) << ok.err;
  auto j = nlohmann::json::parse(ws_.run({"inspect", "--json", ws_.path("next.wire")}).out);
  EXPECT_EQ(j["seq"], "8");  // its seq still counts
}

TEST_F(LedgerCli, PreviousOfAnotherTypeOrNameIsRefused) {
  ws_.sign({"--out", ws_.path("boot.wire"), ws_.write_input("b.json", bootstrap_input())}, {},
           ws_.path("other-state"));
  expect_refused(cluster_input("mesh.example.com", "auto"), kExitInvalid, "invalid_field",
                 {"--previous", ws_.path("boot.wire").string()});
  ws_.sign({"--out", ws_.path("other.wire"),
            ws_.write_input("o.json", cluster_input("other.example.com", 3))},
           {}, ws_.path("other-state"));
  expect_refused(cluster_input("mesh.example.com", "auto"), kExitInvalid, "name_mismatch",
                 {"--previous", ws_.path("other.wire").string()});
}

// --- tamper detection ------------------------------------------------------------

class LedgerTamper : public LedgerCli {
 protected:
  void SetUp() override {
    LedgerCli::SetUp();
    for (int seq = 1; seq <= 3; ++seq) {
      ws_.sign_ok(cluster_input("mesh.example.com", seq),
                  std::string("s").append(std::to_string(seq)) + ".wire");
    }
    ASSERT_EQ(ws_.ledger_entries().size(), 3u);
    ASSERT_EQ(ws_.ledger("verify").exit_code, 0);
  }

  void rewrite(const std::vector<std::string>& entry_lines) {
    std::string text = std::string(ledger::kHeaderLine) + "\n";
    for (const auto& l : entry_lines)
      text += l + "\n";
    write_file(ws_.ledger_file(), text);
  }

  // `ledger verify` and `sign` refuse with exit 11; `what` is in the message.
  void expect_detected(const std::string& what) {
    auto v = ws_.ledger("verify");
    EXPECT_EQ(v.exit_code, kExitLedger) << v.out << v.err;
    EXPECT_TRUE(one_line_refusal(v, "ledger_corrupt"));
    EXPECT_NE(v.err.find(what), std::string::npos) << v.err;
    EXPECT_EQ(ws_.ledger("show").exit_code, kExitLedger);
    EXPECT_EQ(ws_.ledger("export", {"--out", "-"}).exit_code, kExitLedger);
    auto r = expect_refused(cluster_input("mesh.example.com", 10), kExitLedger, "ledger_corrupt");
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  }
};

TEST_F(LedgerTamper, EditedByteNamesTheLine) {
  auto l = ws_.ledger_entries();
  std::string& seq = l[1];
  // Raise the seq of entry 2 from 2 to 3 in place.
  const std::string needle = " 2 " + entry_field(seq, 7) + " ";
  ASSERT_NE(seq.find(needle), std::string::npos);
  seq.replace(seq.find(needle), needle.size(), " 3 " + entry_field(seq, 7) + " ");
  rewrite(l);
  expect_detected("ledger line 3");
}

TEST_F(LedgerTamper, EditedBodyNamesTheLine) {
  auto l = ws_.ledger_entries();
  std::string& line = l[2];
  const std::size_t body = line.find(entry_field(line, 9));
  line[body + 10] = line[body + 10] == 'A' ? 'B' : 'A';
  rewrite(l);
  expect_detected("ledger line 4");
}

TEST_F(LedgerTamper, DroppedEntryNamesTheLine) {
  auto l = ws_.ledger_entries();
  l.erase(l.begin() + 1);
  rewrite(l);
  expect_detected("ledger line 3");
}

TEST_F(LedgerTamper, DroppedFirstEntryNamesTheLine) {
  auto l = ws_.ledger_entries();
  l.erase(l.begin());
  rewrite(l);
  expect_detected("ledger line 2");
}

TEST_F(LedgerTamper, ReorderedEntriesNameTheLine) {
  auto l = ws_.ledger_entries();
  std::swap(l[1], l[2]);
  rewrite(l);
  expect_detected("ledger line 3");
}

TEST_F(LedgerTamper, TruncatedLastEntryIsCaughtByTheHead) {
  auto l = ws_.ledger_entries();
  l.pop_back();
  rewrite(l);
  expect_detected("truncated");
}

TEST_F(LedgerTamper, DeletedHeadIsCaught) {
  fs::remove(ws_.head_file());
  expect_detected("head");
  EXPECT_FALSE(fs::exists(ws_.head_file()));  // not silently recreated
}

TEST_F(LedgerTamper, RewrittenLedgerIsCaughtByTheHead) {
  // A whole new, self-consistent chain of the same length: only the head knows.
  auto parsed = ledger::parse_ledger(read_file(ws_.ledger_file()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  std::vector<ledger::Entry> forged;
  for (auto e : *parsed) {
    e.seq = 1000 + e.seq;
    forged.push_back(ledger::seal_entry(e, forged.empty() ? nullptr : &forged.back()));
  }
  std::vector<std::string> l;
  for (const auto& e : forged)
    l.push_back(ledger::format_entry(e));
  rewrite(l);
  expect_detected("rewritten");
}

TEST_F(LedgerTamper, ResealedMiddleEntryBreaksTheChainAfterIt) {
  // Entry 2's seq lowered and its own hash resealed over its (intact) prev:
  // its index, body and hash all check out, and the head pins only entry 3,
  // whose hash still covers the stale prev. Only the chain link of entry 3
  // to entry 2 tells.
  auto parsed = ledger::parse_ledger(read_file(ws_.ledger_file()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto entries = *parsed;
  ASSERT_EQ(entries.size(), 3u);
  ledger::Entry middle = entries[1];
  ASSERT_EQ(middle.seq, 2u);
  middle.seq = 1;
  entries[1] = ledger::seal_entry(middle, &entries[0]);
  ASSERT_NE(entries[1].hash, entries[2].prev);
  std::vector<std::string> l;
  for (const auto& e : entries)
    l.push_back(ledger::format_entry(e));
  rewrite(l);
  expect_detected("ledger line 4");
  EXPECT_NE(ws_.ledger("verify").err.find("does not chain"), std::string::npos);
}

TEST_F(LedgerTamper, RewrittenMiddleEntryWithRelinkedSuccessorIsCaught) {
  // Entry 2 rewritten and resealed, and entry 3's prev pointed at it without
  // resealing entry 3: the head still pins entry 3's hash, so only that
  // hash covering prev tells.
  auto parsed = ledger::parse_ledger(read_file(ws_.ledger_file()));
  ASSERT_TRUE(parsed) << parsed.error().message();
  auto entries = *parsed;
  ASSERT_EQ(entries.size(), 3u);
  ledger::Entry middle = entries[1];
  middle.seq = 1;
  entries[1] = ledger::seal_entry(middle, &entries[0]);
  entries[2].prev = entries[1].hash;  // relinked, not resealed
  std::vector<std::string> l;
  for (const auto& e : entries)
    l.push_back(ledger::format_entry(e));
  rewrite(l);
  expect_detected("ledger line 4");
}

TEST_F(LedgerTamper, AppendedGarbageLineNamesTheLine) {
  auto l = ws_.ledger_entries();
  l.push_back("4 1900000000 sign cluster mesh.example.com hand made");
  rewrite(l);
  expect_detected("ledger line 5");
}

// Entries well chained after the three there, as a batch append writes them.
std::vector<std::string> with_appended_imports(const SignWorkspace& ws, int count) {
  auto parsed = ledger::parse_ledger(read_file(ws.ledger_file()));
  EXPECT_TRUE(parsed);
  auto entries = *parsed;
  auto l = ws.ledger_entries();
  for (int i = 0; i < count; ++i) {
    ledger::Entry e = entries.back();
    e.event = ledger::Event::import;
    e.body.clear();
    e.seq = 100 + static_cast<std::uint64_t>(i);
    entries.push_back(ledger::seal_entry(e, &entries.back()));
    l.push_back(ledger::format_entry(entries.back()));
  }
  return l;
}

std::string announcing(const std::string& head, const std::string& batch) {
  return head.substr(0, head.size() - 1) + " " + batch + "\n";
}

TEST_F(LedgerTamper, AppendedWellChainedEntriesAreCaughtByTheHead) {
  rewrite(with_appended_imports(ws_, 2));
  expect_detected("beyond its head");
}

TEST_F(LedgerTamper, EntriesOfAnAnnouncedBatchAreCaughtUp) {
  // What a crash between a batch's fsync and its head update leaves: the
  // head announced three, the three are there.
  const std::string head = read_file(ws_.head_file());
  rewrite(with_appended_imports(ws_, 3));
  write_file(ws_.head_file(), announcing(head, "+3"));
  auto v = ws_.ledger("verify");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  auto s = ws_.sign({"--out", ws_.path("s.wire"),
                     ws_.write_input("s.json", cluster_input("mesh.example.com", 200))});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // Said once, like a torn line: the batch's wires were never written.
  EXPECT_NE(s.err.find("an interrupted batch of 3 entries left 3 in the ledger"), std::string::npos)
      << s.err;
  EXPECT_EQ(split_fields(read_file(ws_.head_file())).size(), 2u);
  EXPECT_EQ(split_fields(read_file(ws_.head_file()))[0], "7");
  EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
}

TEST_F(LedgerTamper, MoreEntriesThanTheBatchAnnouncedAreCaught) {
  const std::string head = read_file(ws_.head_file());
  rewrite(with_appended_imports(ws_, 3));
  write_file(ws_.head_file(), announcing(head, "+2"));
  expect_detected("3 entries beyond its head, which allows 2");
}

TEST_F(LedgerTamper, AnnouncedBatchThatNeverCameIsCleared) {
  // A crash after the announcement, before the batch's lines were written.
  const std::string head = read_file(ws_.head_file());
  write_file(ws_.head_file(), announcing(head, "+5"));
  ws_.sign_ok(cluster_input("mesh.example.com", 200), "s.wire");
  const auto fields = split_fields(read_file(ws_.head_file()));
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0], "4");
}

TEST_F(LedgerTamper, HeadInAnotherSpellingIsCaught) {
  const std::string head = read_file(ws_.head_file());
  for (const auto& [text, rule] : std::vector<std::pair<std::string, std::string>>{
           {announcing(head, "+1"), "2 to 1048576"},
           {announcing(head, "+1048577"), "2 to 1048576"},
           {"03" + head.substr(1), "leading zeros"},
           {head.substr(0, head.size() - 1), "newline"},
           {"3 " + std::string(64, 'A') + "\n", "lower-case hex"}}) {
    SCOPED_TRACE(text);
    write_file(ws_.head_file(), text);
    expect_detected(rule);
  }
}

TEST_F(LedgerTamper, EditedHeadIsCaught) {
  const std::string head = read_file(ws_.head_file());
  ASSERT_EQ(head.rfind("3 ", 0), 0u) << head;
  write_file(ws_.head_file(), std::string("2").append(head.substr(1)));
  expect_detected("ledger entry 2");
}

TEST_F(LedgerTamper, TornLastLineIsRepairedByTheNextSign) {
  const std::string intact = read_file(ws_.ledger_file());
  // What a crash in the middle of appending entry 4 leaves.
  write_file(ws_.ledger_file(), intact + "4 1900000000 sign cluster mesh.exam");
  EXPECT_EQ(ws_.ledger("verify").exit_code, kExitLedger);  // verify never writes
  ws_.sign_ok(cluster_input("mesh.example.com", 4), "s4.wire");
  auto v = ws_.ledger("verify");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  const auto entries = ws_.ledger_entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entry_field(entries[3], 6), "4");
  EXPECT_EQ(read_file(ws_.ledger_file()).rfind(intact, 0), 0u);
}

TEST_F(LedgerTamper, CommittedLastEntryWithoutNewlineIsNotDropped) {
  // The head records entry 3, so its line is not a torn append: refusing
  // must leave it alone rather than "repair" it away.
  std::string text = read_file(ws_.ledger_file());
  text.pop_back();
  write_file(ws_.ledger_file(), text);
  auto r = sign_input(cluster_input("mesh.example.com", 10), "x.wire");
  EXPECT_EQ(r.exit_code, kExitLedger) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "ledger_corrupt"));
  EXPECT_EQ(read_file(ws_.ledger_file()), text);
  EXPECT_FALSE(fs::exists(ws_.path("x.wire")));
}

// --- show / export / import -------------------------------------------------------

TEST_F(LedgerCli, ShowListsEveryEntry) {
  ws_.sign_ok(cluster_input("mesh.example.com", 1), "a.wire");
  ws_.sign_ok(bootstrap_input("example.com", 9), "b.wire");
  auto r = ws_.ledger("show");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 entries"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("mesh.example.com"), std::string::npos);
  r = ws_.ledger("show", {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["type"], "bootstrap");
  EXPECT_EQ(j[1]["seq"], "9");
  EXPECT_EQ(j[1]["signing_key_hex"], pub_);
}

TEST_F(LedgerCli, EmptyOrMissingLedgerVerifies) {
  auto r = ws_.ledger("verify");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 entries"), std::string::npos);
}

TEST_F(LedgerCli, ExportImportRoundTripIntoAFreshStateDir) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  ws_.sign_ok(bootstrap_input("example.com", 3), "b.wire");
  ws_.sign_ok(cluster_input("other.example.com", 40), "c.wire");
  auto r = ws_.ledger("export", {"--out", ws_.path("marks.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto exported = nlohmann::json::parse(read_file(ws_.path("marks.json")));
  EXPECT_EQ(exported["dmp_signer_interchange"], 1);
  ASSERT_EQ(exported["marks"].size(), 3u);

  const fs::path fresh = ws_.path("fresh-state");
  r = ws_.run({"ledger", "import", "--state-dir", fresh, ws_.path("marks.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("3 raised"), std::string::npos) << r.out;
  r = ws_.run({"ledger", "export", "--state-dir", fresh, "--out", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out), exported);
  EXPECT_EQ(ws_.run({"ledger", "verify", "--state-dir", fresh}).exit_code, 0);

  // The new laptop continues above the old one's marks.
  auto refused = ws_.sign({"--out", ws_.path("x.wire"),
                           ws_.write_input("x.json", cluster_input("mesh.example.com", 5))},
                          {}, fresh);
  EXPECT_EQ(refused.exit_code, kExitSeq) << refused.err;
  EXPECT_NE(refused.err.find("use 6"), std::string::npos) << refused.err;
  auto next = ws_.sign({"--out", ws_.path("y.wire"),
                        ws_.write_input("y.json", cluster_input("mesh.example.com", "auto"))},
                       {}, fresh);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(nlohmann::json::parse(ws_.run({"inspect", "--json", ws_.path("y.wire")}).out)["seq"],
            "6");
}

TEST_F(LedgerCli, ImportNeverLowersAMark) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  ASSERT_EQ(ws_.ledger("export", {"--out", ws_.path("marks.json").string()}).exit_code, 0);
  auto doc = nlohmann::json::parse(read_file(ws_.path("marks.json")));
  doc["marks"][0]["seq"] = "2";
  write_file(ws_.path("lower.json"), doc.dump());
  const std::string before = read_file(ws_.ledger_file());
  auto r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("lower.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 raised"), std::string::npos) << r.out;
  EXPECT_EQ(read_file(ws_.ledger_file()), before);
  // Equal is no change either; higher raises.
  doc["marks"][0]["seq"] = "5";
  write_file(ws_.path("equal.json"), doc.dump());
  ASSERT_EQ(
      ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("equal.json")}).exit_code,
      0);
  EXPECT_EQ(read_file(ws_.ledger_file()), before);
  doc["marks"][0]["seq"] = "9";
  write_file(ws_.path("higher.json"), doc.dump());
  r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("higher.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 raised"), std::string::npos) << r.out;
  ASSERT_EQ(ws_.ledger_entries().size(), 2u);
  EXPECT_EQ(entry_field(ws_.ledger_entries()[1], 2), "import");
  EXPECT_EQ(entry_field(ws_.ledger_entries()[1], 6), "9");
  expect_refused(cluster_input("mesh.example.com", 9), kExitSeq, "seq_not_increasing");
}

TEST_F(LedgerCli, ImportOfABadDocumentChangesNothing) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  const std::string before = read_file(ws_.ledger_file());
  write_file(ws_.path("bad.json"),
             R"({"dmp_signer_interchange": 1, "marks": [{"type": "cluster"}]})");
  auto r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("bad.json")});
  EXPECT_EQ(r.exit_code, kExitInvalid) << r.err;
  EXPECT_TRUE(one_line_refusal(r, "invalid_field"));
  EXPECT_EQ(read_file(ws_.ledger_file()), before);
}

// --- the lock -------------------------------------------------------------------

// Holds <state>/lock with flock(2) the way another dmp-sign would.
class HeldLock {
 public:
  explicit HeldLock(const fs::path& state) {
    fs::create_directories(state);
    fs::permissions(state, fs::perms::owner_all);
    fd_ = ::open((state / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::flock(fd_, LOCK_EX | LOCK_NB), 0);
  }
  ~HeldLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

 private:
  int fd_ = -1;
};

TEST_F(LedgerCli, ImportIsRefusedWhileAnotherProcessHoldsTheLock) {
  ws_.sign_ok(cluster_input("mesh.example.com", 5), "a.wire");
  ASSERT_EQ(ws_.ledger("export", {"--out", ws_.path("marks.json").string()}).exit_code, 0);
  const std::string before = read_file(ws_.ledger_file());
  {
    HeldLock lock(ws_.state());
    auto r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("marks.json")});
    EXPECT_EQ(r.exit_code, kExitLockBusy) << r.err;
    EXPECT_TRUE(one_line_refusal(r, "lock_busy"));
    // Reading does not need the lock.
    EXPECT_EQ(ws_.ledger("verify").exit_code, 0);
  }
  EXPECT_EQ(read_file(ws_.ledger_file()), before);
  auto r = ws_.run({"ledger", "import", "--state-dir", ws_.state(), ws_.path("marks.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(LedgerCli, SignGivesUpAfterLockWait) {
  HeldLock lock(ws_.state());
  const auto start = std::chrono::steady_clock::now();
  auto r = expect_refused(cluster_input("mesh.example.com", 1), kExitLockBusy, "lock_busy",
                          {"--lock-wait", "0.5"});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(500));  // it did wait as long as it was told
  EXPECT_LT(elapsed, std::chrono::seconds(20));
  EXPECT_NE(r.err.find("--lock-wait"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dmp::test
