// Text for a person, with the characters that changed marked. A line is a
// list of pieces; every piece is escaped by terminal_safe when it is added,
// and only then, so what a MarkedLine holds is always safe to print and is
// never escaped a second time (twice would show an ESC as `\\x1b`).
// render_marked is the only code that writes terminal control sequences
// (colours): the one place to look for what reaches the terminal besides
// escaped text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dmp::output {

// Which side of a change a marked piece belongs to.
enum class Mark : std::uint8_t { none, before, after };

struct Segment {
  std::string text;  // escaped by terminal_safe
  Mark mark = Mark::none;
};

class MarkedLine {
 public:
  MarkedLine() = default;
  explicit MarkedLine(std::string_view raw) { add(raw); }

  // Escapes `raw` and appends it.
  MarkedLine& add(std::string_view raw, Mark mark = Mark::none);
  // Appends the pieces of another line (already escaped, kept as they are).
  MarkedLine& add(const MarkedLine& other);

  const std::vector<Segment>& segments() const { return segments_; }
  bool has_marks() const;
  std::string plain() const;  // the escaped text, without marks
  std::size_t width() const;  // display_width of plain()

 private:
  std::vector<Segment> segments_;
};

class MarkedText {
 public:
  // Starts a new line with `raw` (escaped) and returns it for more pieces.
  MarkedLine& line(std::string_view raw = {});
  void add(MarkedLine line);
  void add(const MarkedText& more);
  // Text this program assembled around values that cannot hold a line break
  // (numbers, fingerprints, fixed words): one line per '\n', each escaped;
  // a final '\n' ends the last line. A field from a record, a file or the
  // user goes through line().add() instead, where its '\n' shows as \x0a.
  void add_lines(std::string_view raw);

  const std::vector<MarkedLine>& lines() const { return lines_; }
  bool empty() const { return lines_.empty(); }

 private:
  std::vector<MarkedLine> lines_;
};

enum class MarkStyle {
  colour,  // marked characters in reverse video: red in the old value, green in the new
  carets,  // under each line with marks, a line with '^' under every marked character
};

// Every line, each followed by '\n'.
std::string render_marked(const MarkedText& text, MarkStyle style);

// Columns escaped text takes on a terminal: one per code point. Escaped text
// holds printable ASCII and printable UTF-8 only; double-width and combining
// characters are not told apart (host names and endpoints are ASCII).
std::size_t display_width(std::string_view escaped);

// Colour only on a terminal, never with NO_COLOR set to anything non-empty
// (no-color.org), nor when TERM is unset or "dumb". Otherwise carets, which
// mean the same without colour (a log, a pipe, a screen reader).
MarkStyle choose_mark_style(bool is_terminal, const char* no_color, const char* term);

}  // namespace dmp::output
