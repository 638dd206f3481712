#include "backup/share_sheet.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "dmp/encoding.hpp"

namespace dmp::backup {
namespace {

// Text built straight into guarded memory: the sheet holds a secret, so it
// never passes through a std::string.
class SecretText {
 public:
  SecretText() : buffer_(kMaxShareSheetLen) {}
  SecretText& operator<<(std::string_view text) {
    const std::size_t room = buffer_.size() - used_;
    const std::size_t n = text.size() < room ? text.size() : room;  // sheets are far smaller
    std::memcpy(buffer_.data() + used_, text.data(), n);
    used_ += n;
    return *this;
  }
  hsm::SecretBuffer finish() && {
    buffer_.truncate(used_);
    return std::move(buffer_);
  }

 private:
  hsm::SecretBuffer buffer_;
  std::size_t used_ = 0;
};

std::string of(int count, std::string_view what) {
  return std::to_string(count) + " " + std::string(what) + (count == 1 ? "" : "s");
}

std::vector<std::string_view> words_of(std::string_view mnemonic) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < mnemonic.size()) {
    const std::size_t end = std::min(mnemonic.find(' ', pos), mnemonic.size());
    if (end > pos) words.push_back(mnemonic.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

// "#  1 academic     12 facility     23 prospect" rows: three columns read
// top to bottom, as the words are copied onto a steel plate or a card.
void numbered_columns(SecretText& out, const std::vector<std::string_view>& words) {
  constexpr std::size_t kColumns = 3;
  const std::size_t rows = (words.size() + kColumns - 1) / kColumns;
  for (std::size_t row = 0; row < rows; ++row) {
    out << "#";
    for (std::size_t column = 0; column < kColumns; ++column) {
      const std::size_t i = column * rows + row;
      if (i >= words.size()) break;
      char number[24];
      std::snprintf(number, sizeof number, " %2zu ", i + 1);
      out << number << words[i];
      if (column + 1 < kColumns && i + rows < words.size()) {
        out << std::string(12 - words[i].size(), ' ');
      }
    }
    out << "\n";
  }
}

bool is_space(std::uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r';
}

}  // namespace

hsm::SecretBuffer format_share_sheet(const slip39::Share& share, std::string_view mnemonic,
                                     const SheetFacts& facts) {
  // How many members this share's group has is not in the share itself
  // (only its threshold is); the sheet says what the holder needs to know.
  const std::vector<std::string_view> words = words_of(mnemonic);
  SecretText out;
  out << "# dmp-signer SLIP-39 share. SECRET: together with the other shares of its\n"
      << "# threshold it restores the signing key. Keep it apart from the other shares.\n"
      << "#\n"
      << "# share:       group " << std::to_string(share.group_index + 1) << " of "
      << std::to_string(share.group_count) << ", member " << std::to_string(share.member_index + 1)
      << "\n";
  if (!facts.copy_note.empty()) out << "#              " << facts.copy_note << "\n";
  out << "# threshold:   " << std::to_string(share.member_threshold) << " share"
      << (share.member_threshold == 1 ? "" : "s") << " of group "
      << std::to_string(share.group_index + 1);
  if (share.group_count > 1) {
    out << "; " << std::to_string(share.group_threshold) << " of the "
        << of(share.group_count, "group");
  }
  out << "\n"
      << "# set:         identifier " << std::to_string(share.identifier)
      << (share.extendable ? ", extendable" : "") << ", iteration exponent "
      << std::to_string(share.iteration_exponent) << "\n"
      << "# restores:    public key " << encoding::hex_encode(facts.public_key) << "\n"
      << "# fingerprint: " << facts.fingerprint << "\n"
      << "# made:        " << facts.date << "\n";
  if (!facts.png_name.empty()) out << "# QR code:     " << facts.png_name << "\n";
  out << "#\n"
      << "# The one line below that does not start with '#' is the share, "
      << std::to_string(words.size()) << " words. Restore with\n"
      << "#   dmp-sign backup restore --out NEW.key --share-file THIS-FILE ...\n"
      << "# or type the words when asked (the first four letters of each suffice).\n"
      << "#\n";
  out << mnemonic << "\n";
  out << "#\n";
  numbered_columns(out, words);
  return std::move(out).finish();
}

Result<hsm::SecretBuffer> sheet_mnemonic(std::span<const std::uint8_t> sheet) {
  if (sheet.size() > kMaxShareSheetLen) {
    return fail(Reason::key_format, "share file",
                "longer than " + std::to_string(kMaxShareSheetLen) + " bytes; not a share sheet");
  }
  std::size_t found_begin = 0, found_end = 0, found = 0, line_number = 0, found_line = 0;
  for (std::size_t pos = 0; pos < sheet.size();) {
    std::size_t end = pos;
    while (end < sheet.size() && sheet[end] != '\n')
      ++end;
    ++line_number;
    std::size_t first = pos, last = end;
    while (first < last && is_space(sheet[first]))
      ++first;
    while (last > first && is_space(sheet[last - 1]))
      --last;
    if (first < last && sheet[first] != '#') {
      if (++found > 1) {
        return fail(Reason::key_format, "share file",
                    "line " + std::to_string(line_number) + " is a second line without '#' (line " +
                        std::to_string(found_line) + " is the first); a sheet holds one share");
      }
      found_begin = first;
      found_end = last;
      found_line = line_number;
    }
    pos = end + 1;
  }
  if (found == 0) {
    return fail(Reason::key_format, "share file",
                "no share: every line is a comment ('#') or blank");
  }
  hsm::SecretBuffer mnemonic(found_end - found_begin);
  std::memcpy(mnemonic.data(), sheet.data() + found_begin, mnemonic.size());
  return mnemonic;
}

std::string sheet_file_name(const slip39::Share& share, std::string_view extension) {
  return "share-" + std::to_string(share.group_index + 1) + "-" +
         std::to_string(share.member_index + 1) + "." + std::string(extension);
}

}  // namespace dmp::backup
