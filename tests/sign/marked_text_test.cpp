// The marked review text (signer/output/marked_text, text_diff): every piece
// escaped once, carets under the changed characters, colour only through
// SGR sequences, and colour only where a person with a colour terminal is.
#include "output/marked_text.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "output/text_diff.hpp"

namespace dmp::output {
namespace {

std::string marked_part(const MarkedLine& line, Mark mark) {
  std::string out;
  for (const auto& s : line.segments())
    if (s.mark == mark) out += s.text;
  return out;
}

TEST(MarkedText, EachPieceIsEscapedOnceWhenAdded) {
  MarkedLine line("n1\x1b[2K");
  MarkedLine outer("node ");
  outer.add(line);  // already escaped: kept as it is
  EXPECT_EQ(outer.plain(), "node n1\\x1b[2K");
  MarkedText text;
  text.line("a\nb");  // a field's newline does not start a line
  EXPECT_EQ(render_marked(text, MarkStyle::carets), "a\\x0ab\n");
}

TEST(MarkedText, TheChangedPartIsBetweenTheCommonStartAndEnd) {
  auto dns = mark_change("203.0.113.12:53", "203.0.113.21:53");
  EXPECT_EQ(marked_part(dns.before, Mark::before), "12");
  EXPECT_EQ(marked_part(dns.after, Mark::after), "21");
  auto host = mark_change("n3.mesh.example.com", "n3.mesh.example.corn");
  EXPECT_EQ(marked_part(host.before, Mark::before), "m");
  EXPECT_EQ(marked_part(host.after, Mark::after), "rn");
  auto same = mark_change("same", "same");
  EXPECT_FALSE(same.before.has_marks());
  EXPECT_FALSE(same.after.has_marks());
}

TEST(MarkedText, CaretsStandUnderTheMarkedCharacters) {
  auto change = mark_change("10.0.0.12", "10.0.0.21");
  MarkedText text;
  text.line("dns: ").add(change.before).add(" -> ").add(change.after);
  EXPECT_EQ(render_marked(text, MarkStyle::carets),
            "dns: 10.0.0.12 -> 10.0.0.21\n"
            "            ^^           ^^\n");
}

TEST(MarkedText, CaretsCountColumnsNotBytes) {
  auto change = mark_change("h\xc3\xa9llo.example", "h\xc3\xa9lo.example");
  MarkedText text;
  text.line().add(change.before).add(" ").add(change.after);
  const std::string out = render_marked(text, MarkStyle::carets);
  const std::string carets = out.substr(out.find('\n') + 1);
  // "héllo.example" is 13 columns; the dropped "l" is column 3 (0-based).
  EXPECT_EQ(carets.find('^'), 3u) << out;
  EXPECT_EQ(display_width("h\xc3\xa9llo"), 5u);
}

TEST(MarkedText, ColourWritesOnlySgrSequences) {
  auto change = mark_change("n1\x1b[31m.example.com", "n1\x1b[32m.example.com");
  MarkedText text;
  text.line().add(change.before).add(" -> ").add(change.after);
  const std::string out = render_marked(text, MarkStyle::colour);
  EXPECT_NE(out.find('\x1b'), std::string::npos) << "marks are coloured";
  // Without the renderer's own SGR sequences, no ESC byte is left: the
  // field's ESC shows as \x1b.
  const std::string rest = std::regex_replace(out, std::regex("\x1b\\[[0-9;]*m"), "");
  EXPECT_EQ(rest.find('\x1b'), std::string::npos) << rest;
  EXPECT_NE(rest.find("n1\\x1b[31m.example.com -> n1\\x1b[32m.example.com"), std::string::npos)
      << rest;
}

TEST(MarkedText, ColourOnlyOnAColourTerminal) {
  EXPECT_EQ(choose_mark_style(true, nullptr, "xterm-256color"), MarkStyle::colour);
  EXPECT_EQ(choose_mark_style(true, "", "xterm"), MarkStyle::colour);
  EXPECT_EQ(choose_mark_style(true, "1", "xterm"), MarkStyle::carets);
  EXPECT_EQ(choose_mark_style(true, nullptr, "dumb"), MarkStyle::carets);
  EXPECT_EQ(choose_mark_style(true, nullptr, nullptr), MarkStyle::carets);
  EXPECT_EQ(choose_mark_style(false, nullptr, "xterm"), MarkStyle::carets);
}

}  // namespace
}  // namespace dmp::output
