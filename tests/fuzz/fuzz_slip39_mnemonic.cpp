// libFuzzer target: the input is the text of one SLIP-39 share mnemonic
// (signer/backup/slip39). Aborts when an invariant breaks:
//   - a refusal is Reason::key_format, one line of printable ASCII (no byte of
//     the input is echoed), and "word N" names the first token that is not a
//     SLIP-39 word;
//   - an accepted share has every field in the range the standard gives, and
//     re-encodes to the input's words, lower case, one space apart (the format
//     has one spelling per share), which decode to the same share;
//   - every word of an accepted share is its own autocompletion, from its
//     first four letters on.
#include <sodium.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "backup/slip39.hpp"

namespace {

namespace slip39 = dmp::backup::slip39;

void require(bool condition, const char* invariant) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_slip39_mnemonic: invariant violated: %s\n", invariant);
  std::abort();
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The white-space separated tokens, as the format defines words.
std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (!is_space(c)) {
      current += c;
    } else if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::string lower(std::string word) {
  for (char& c : word) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return word;
}

bool printable_line(const std::string& text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return !text.empty();
}

void check_refusal(const dmp::Error& error, const std::vector<std::string>& words) {
  require(error.reason == dmp::Reason::key_format, "refusals are key_format");
  require(printable_line(error.message()), "a refusal is one line of printable ASCII");
  if (error.field.rfind("word ", 0) != 0) {
    require(error.field.empty(), "a refusal names a word or nothing");
    return;
  }
  const std::size_t n = std::stoul(error.field.substr(5));
  require(n >= 1 && n <= words.size(), "the word named is in the input");
  require(!slip39::word_index(words[n - 1]), "the word named is not a SLIP-39 word");
  for (std::size_t i = 0; i + 1 < n; ++i) {
    require(slip39::word_index(words[i]).has_value(), "the word named is the first unknown one");
  }
}

void check_ranges(const slip39::Share& share) {
  require(share.identifier <= 0x7fff, "identifier has 15 bits");
  require(share.iteration_exponent >= 0 && share.iteration_exponent <= 15, "exponent has 4 bits");
  require(share.group_index >= 0 && share.group_index <= 15, "group index has 4 bits");
  require(share.member_index >= 0 && share.member_index <= 15, "member index has 4 bits");
  require(share.group_count >= 1 && share.group_count <= 16, "group count is 1..16");
  require(share.group_threshold >= 1 && share.group_threshold <= share.group_count,
          "group threshold is 1..group count");
  require(share.member_threshold >= 1 && share.member_threshold <= 16, "member threshold 1..16");
  require(share.value.size() >= slip39::kMinSecretLen && share.value.size() % 2 == 0,
          "share value is 16 bytes or more, even");
}

bool same_share(const slip39::Share& a, const slip39::Share& b) {
  return a.identifier == b.identifier && a.extendable == b.extendable &&
         a.iteration_exponent == b.iteration_exponent && a.group_index == b.group_index &&
         a.group_threshold == b.group_threshold && a.group_count == b.group_count &&
         a.member_index == b.member_index && a.member_threshold == b.member_threshold &&
         a.value.equals(b.value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool sodium_ready = sodium_init() >= 0;
  require(sodium_ready, "libsodium initialises");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> words = tokens(text);
  auto share = slip39::decode_mnemonic(text);
  if (!share) {
    check_refusal(share.error(), words);
    return 0;
  }
  check_ranges(*share);
  std::string normalised;
  for (const std::string& word : words) {
    const std::string lowered = lower(word);
    require(slip39::autocomplete(lowered) == lowered, "a word is its own autocompletion");
    require(slip39::autocomplete(lowered.substr(0, 4)) == lowered,
            "four letters autocomplete to the word");
    normalised += (normalised.empty() ? "" : " ") + lowered;
  }
  auto encoded = slip39::encode_mnemonic(*share);
  require(encoded.has_value(), "an accepted share encodes");
  const std::string_view again(reinterpret_cast<const char*>(encoded->data()), encoded->size());
  require(again == normalised, "a share re-encodes to its normalised words");
  auto decoded = slip39::decode_mnemonic(again);
  require(decoded.has_value() && same_share(*decoded, *share), "the encoding decodes to the share");
  return 0;
}
