// The marked review text (signer/output/marked_text, text_diff): every piece
// escaped once, carets under the changed characters, colour only through
// SGR sequences, and colour only where a person with a colour terminal is.
// And the renderer under it (terminal_text): each escaped class up to its
// last code point, and a backslash that can never forge an escape.
#include "output/marked_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <string_view>

#include "output/terminal_text.hpp"
#include "output/text_diff.hpp"

namespace dmp::output {
namespace {

std::string marked_part(const MarkedLine& line, Mark mark) {
  std::string out;
  for (const auto& s : line.segments())
    if (s.mark == mark) out += s.text;
  return out;
}

// "a" + inner + "b", appended (GCC 12 warns falsely, -Wrestrict, on
// `"a" + std::string`).
std::string between_a_and_b(std::string_view inner) {
  return std::string("a").append(inner).append("b");
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

// --- the renderer -----------------------------------------------------------------

std::string utf8(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return out;
}

TEST(TerminalText, EveryEscapedClassIsEscapedToItsLastCodePoint) {
  struct Case {
    std::uint32_t cp;
    const char* escaped;
    const char* kind;
  };
  for (const Case& c : {
           Case{0x00, "\\x00", "control"},       Case{0x1f, "\\x1f", "control"},
           Case{0x7f, "\\x7f", "control"},       Case{0x80, "\\u0080", "control"},
           Case{0x9f, "\\u009f", "control"},     Case{0x061c, "\\u061c", "bidi"},
           Case{0x200e, "\\u200e", "bidi"},      Case{0x200f, "\\u200f", "bidi"},
           Case{0x202a, "\\u202a", "bidi"},      Case{0x202e, "\\u202e", "bidi"},
           Case{0x2066, "\\u2066", "bidi"},      Case{0x2069, "\\u2069", "bidi"},
           Case{0x200b, "\\u200b", "invisible"}, Case{0x200d, "\\u200d", "invisible"},
           Case{0x2060, "\\u2060", "invisible"}, Case{0xfeff, "\\ufeff", "invisible"},
           Case{0x2028, "\\u2028", "invisible"}, Case{0x2029, "\\u2029", "invisible"},
           Case{0x00ad, "\\u00ad", "invisible"},
       }) {
    const std::string text = between_a_and_b(utf8(c.cp));
    EXPECT_EQ(terminal_safe(text), between_a_and_b(c.escaped)) << std::hex << c.cp;
    const auto unsafe = first_unsafe_character(text);
    ASSERT_TRUE(unsafe) << std::hex << c.cp;
    EXPECT_EQ(unsafe->offset, 1u);
    EXPECT_EQ(unsafe->code_point, c.cp);
    EXPECT_NE(describe_unsafe(*unsafe).find(c.kind), std::string::npos) << describe_unsafe(*unsafe);
  }
  // Their printable neighbours pass unchanged.
  for (const std::uint32_t cp : {0x20u, 0x7eu, 0xa1u, 0x2010u, 0x2030u, 0x2070u}) {
    const std::string text = utf8(cp);
    EXPECT_EQ(terminal_safe(text), text) << std::hex << cp;
    EXPECT_FALSE(first_unsafe_character(text)) << std::hex << cp;
  }
}

TEST(TerminalText, ABackslashCannotForgeAnEscape) {
  // The text "\x1b" (backslash, x, 1, b) and the ESC byte must not look alike.
  EXPECT_EQ(terminal_safe("n1\\x1b[2K"), "n1\\\\x1b[2K");
  EXPECT_EQ(terminal_safe("n1\x1b[2K"), "n1\\x1b[2K");
  EXPECT_EQ(terminal_safe_lines("a\\\nb"), "a\\\\\nb");
  EXPECT_FALSE(first_unsafe_character("a\\b")) << "a backslash is escaped, not refused";
}

}  // namespace
}  // namespace dmp::output

namespace dmp::output {
namespace {

// Characters that render as nothing or as a space other than U+0020 would
// let "ex\u034fample.com" be reviewed as "example.com": each is escaped
// (and so refused in a record to sign), at both ends of its range.
TEST(TerminalText, DefaultIgnorableSpacesAndPrivateUseAreEscaped) {
  for (std::uint32_t cp :
       {0x00a0u,  0x034fu,  0x115fu,  0x1160u,  0x1680u,  0x17b4u,  0x17b5u,  0x180bu,  0x180fu,
        0x2000u,  0x200au,  0x202fu,  0x205fu,  0x2064u,  0x206fu,  0x3000u,  0x3164u,  0xe000u,
        0xf8ffu,  0xfe00u,  0xfe0fu,  0xffa0u,  0xfff0u,  0xfffbu,  0x1bca0u, 0x1bca3u, 0x1d173u,
        0x1d17au, 0xe0000u, 0xe0041u, 0xe0fffu, 0xf0000u, 0x10fffdu}) {
    const std::string text = between_a_and_b(utf8(cp));
    EXPECT_EQ(terminal_safe(text).find(utf8(cp)), std::string::npos) << std::hex << cp;
    const auto unsafe = first_unsafe_character(text);
    ASSERT_TRUE(unsafe) << std::hex << cp;
    EXPECT_EQ(unsafe->code_point, cp);
  }
  // Their neighbours stay printable.
  for (std::uint32_t cp : {0x00e9u, 0x034eu, 0x1161u, 0x17b6u, 0x3165u, 0xfe10u, 0xfffcu, 0xfffdu,
                           0x1d172u, 0x1f600u}) {
    EXPECT_EQ(terminal_safe(between_a_and_b(utf8(cp))), between_a_and_b(utf8(cp)))
        << std::hex << cp;
  }
}

}  // namespace
}  // namespace dmp::output
