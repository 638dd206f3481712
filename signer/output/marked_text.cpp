#include "output/marked_text.hpp"

#include <string_view>

#include "output/terminal_text.hpp"

namespace dmp::output {
namespace {

// Select Graphic Rendition: reverse video makes even a changed space show;
// the colour says which side of the arrow it is on.
constexpr std::string_view kBeforeOn = "\x1b[7;31m";
constexpr std::string_view kAfterOn = "\x1b[7;32m";
constexpr std::string_view kOff = "\x1b[0m";

void render_line(const MarkedLine& line, MarkStyle style, std::string& out) {
  for (const Segment& segment : line.segments()) {
    if (style == MarkStyle::colour && segment.mark != Mark::none) {
      out += segment.mark == Mark::before ? kBeforeOn : kAfterOn;
      out += segment.text;
      out += kOff;
    } else {
      out += segment.text;
    }
  }
  out += '\n';
  if (style != MarkStyle::carets || !line.has_marks()) return;
  std::string carets;
  for (const Segment& segment : line.segments()) {
    carets.append(display_width(segment.text), segment.mark == Mark::none ? ' ' : '^');
  }
  carets.erase(carets.find_last_not_of(' ') + 1);
  out += carets + '\n';
}

}  // namespace

MarkedLine& MarkedLine::add(std::string_view raw, Mark mark) {
  if (raw.empty()) return *this;
  std::string text = terminal_safe(raw);
  if (!segments_.empty() && segments_.back().mark == mark) {
    segments_.back().text += text;
  } else {
    segments_.push_back(Segment{std::move(text), mark});
  }
  return *this;
}

MarkedLine& MarkedLine::add(const MarkedLine& other) {
  for (const Segment& segment : other.segments_) {
    if (!segments_.empty() && segments_.back().mark == segment.mark) {
      segments_.back().text += segment.text;
    } else {
      segments_.push_back(segment);
    }
  }
  return *this;
}

bool MarkedLine::has_marks() const {
  for (const Segment& segment : segments_) {
    if (segment.mark != Mark::none) return true;
  }
  return false;
}

std::string MarkedLine::plain() const {
  std::string text;
  for (const Segment& segment : segments_)
    text += segment.text;
  return text;
}

std::size_t MarkedLine::width() const {
  return display_width(plain());
}

MarkedLine& MarkedText::line(std::string_view raw) {
  lines_.emplace_back(raw);
  return lines_.back();
}

void MarkedText::add(MarkedLine line) {
  lines_.push_back(std::move(line));
}

void MarkedText::add(const MarkedText& more) {
  lines_.insert(lines_.end(), more.lines_.begin(), more.lines_.end());
}

void MarkedText::add_lines(std::string_view raw) {
  while (!raw.empty()) {
    const std::size_t end = raw.find('\n');
    line(raw.substr(0, end));
    if (end == std::string_view::npos) break;
    raw.remove_prefix(end + 1);
  }
}

std::string render_marked(const MarkedText& text, MarkStyle style) {
  std::string out;
  for (const MarkedLine& line : text.lines())
    render_line(line, style, out);
  return out;
}

std::size_t display_width(std::string_view escaped) {
  std::size_t width = 0;
  for (const char c : escaped) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++width;  // not a continuation byte
  }
  return width;
}

MarkStyle choose_mark_style(bool is_terminal, const char* no_color, const char* term) {
  if (!is_terminal) return MarkStyle::carets;
  if (no_color != nullptr && *no_color != '\0') return MarkStyle::carets;
  if (term == nullptr || std::string_view(term).empty() || std::string_view(term) == "dumb") {
    return MarkStyle::carets;
  }
  return MarkStyle::colour;
}

}  // namespace dmp::output
