#include "backup/slip39.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

namespace dmp::backup::slip39 {
namespace {

constexpr std::array<std::string_view, kWordCount> kWords = {
#include "backup/slip39_wordlist.inc"
};

// ---- the share layout ---------------------------------------------------------------------------

constexpr unsigned kRadixBits = 10;
constexpr std::uint16_t kWordMask = 1023;
constexpr std::size_t kHeaderWords = 4;  // id | ext | e (2 words), GI | Gt | g | I | t (2 words)
constexpr std::size_t kChecksumWords = 3;
constexpr std::size_t kMetadataWords = kHeaderWords + kChecksumWords;
constexpr std::size_t kMaxPaddingBits = 8;
constexpr std::uint16_t kMaxIdentifier = 0x7fff;
constexpr std::size_t kMaxWordLen = 8;  // no word is longer, so a longer token is no word
constexpr std::size_t kPrefixLen = 4;   // no two words share their first four letters

constexpr std::string_view kCustomization = "shamir";
constexpr std::string_view kCustomizationExtendable = "shamir_extendable";

// ---- Shamir and the cipher ----------------------------------------------------------------------

constexpr int kDigestX = 254;
constexpr int kSecretX = 255;
constexpr std::size_t kDigestLen = 4;
constexpr std::uint32_t kBaseIterations = 10000;
constexpr int kRounds = 4;

Failure unreadable(std::string field, std::string rule) {
  return fail(Reason::key_format, std::move(field), std::move(rule));
}

Failure out_of_range(std::string field, std::string rule) {
  return fail(Reason::invalid_field, std::move(field), std::move(rule));
}

std::string numbered(std::string_view what, std::size_t number) {
  return std::string(what) + " " + std::to_string(number);
}

hsm::SecretBuffer copy_of(std::span<const std::uint8_t> bytes) {
  hsm::SecretBuffer copy(bytes.size());
  if (!bytes.empty()) std::memcpy(copy.data(), bytes.data(), bytes.size());
  return copy;
}

void fill_random(const RandomSource& random, std::span<std::uint8_t> out) {
  if (random) {
    random(out);
    return;
  }
  if (sodium_init() < 0) std::abort();  // no key material from an unseeded generator
  randombytes_buf(out.data(), out.size());
}

// ---- word list ----------------------------------------------------------------------------------

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The token in lower case, in `buffer` (wiped by the caller: it may be a word of a share), or
// nullopt when it is too long to be a word.
std::optional<std::string_view> lower_token(std::string_view token,
                                            std::array<char, kMaxWordLen>& buffer) {
  if (token.size() > buffer.size()) return std::nullopt;
  std::transform(token.begin(), token.end(), buffer.begin(), ascii_lower);
  return std::string_view(buffer.data(), token.size());
}

// ---- mnemonic words in guarded memory -----------------------------------------------------------

// The word indices of one mnemonic. All but the first four words encode the share value, so they
// are kept in a SecretBuffer too: sodium_malloc puts a buffer at the end of its page, so one of
// even size starts at an even address and holds std::uint16_t correctly aligned.
class WordBuffer {
 public:
  explicit WordBuffer(std::size_t count) : bytes_(count * sizeof(std::uint16_t)) {
    if (reinterpret_cast<std::uintptr_t>(bytes_.data()) % alignof(std::uint16_t) != 0) std::abort();
  }
  std::size_t size() const noexcept { return bytes_.size() / sizeof(std::uint16_t); }
  std::span<std::uint16_t> words() noexcept {
    return {reinterpret_cast<std::uint16_t*>(bytes_.data()), size()};
  }
  std::span<const std::uint16_t> words() const noexcept {
    return {reinterpret_cast<const std::uint16_t*>(bytes_.data()), size()};
  }

 private:
  hsm::SecretBuffer bytes_;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Calls visit(token) for every white-space separated token, stopping early (and returning false)
// when visit does.
template <class Visit>
bool for_each_token(std::string_view text, Visit visit) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_space(text[pos]))
      ++pos;
    std::size_t end = pos;
    while (end < text.size() && !is_space(text[end]))
      ++end;
    if (end > pos && !visit(text.substr(pos, end - pos))) return false;
    pos = end;
  }
  return true;
}

// The number of words, counted no further than one past the limit.
std::size_t count_words(std::string_view text) {
  std::size_t count = 0;
  for_each_token(text, [&count](std::string_view) { return ++count <= kMaxMnemonicWords; });
  return count;
}

Result<WordBuffer> mnemonic_words(std::string_view text) {
  const std::size_t count = count_words(text);
  if (count == 0) return unreadable("", "no words (a share has at least 20)");
  if (count > kMaxMnemonicWords) {
    return unreadable(
        "", "more than " + std::to_string(kMaxMnemonicWords) + " words (no share is that long)");
  }
  WordBuffer buffer(count);
  std::size_t position = 0;
  std::size_t unknown = 0;  // the first word not in the list, counted from 1
  for_each_token(text, [&](std::string_view token) {
    const auto index = word_index(token);
    if (!index) {
      unknown = position + 1;
      return false;
    }
    buffer.words()[position++] = static_cast<std::uint16_t>(*index);
    return true;
  });
  if (unknown != 0) return unreadable(numbered("word", unknown), "not a SLIP-39 word");
  return buffer;
}

// ---- the share value's bits ---------------------------------------------------------------------

// Bits of padding before the share value in `value_words` words: the value is a whole number of
// 16-bit units, so the padding is what is left over; more than 8 bits means no valid length.
std::size_t padding_bits(std::size_t value_words) {
  return (kRadixBits * value_words) % 16;
}

std::size_t value_words_for(std::size_t value_len) {
  return (8 * value_len + kRadixBits - 1) / kRadixBits;
}

// Writes `value` as 10-bit words, big-endian, after `padding` zero bits.
void pack_value(std::span<const std::uint8_t> value, std::size_t padding,
                std::span<std::uint16_t> out) {
  std::uint32_t acc = 0;
  std::size_t bits = padding;
  std::size_t next = 0;
  for (std::uint8_t byte : value) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= kRadixBits) {
      bits -= kRadixBits;
      out[next++] = static_cast<std::uint16_t>((acc >> bits) & kWordMask);
    }
    acc &= (1u << bits) - 1;
  }
  sodium_memzero(&acc, sizeof acc);
}

// The inverse of pack_value; false when a padding bit is set.
bool unpack_value(std::span<const std::uint16_t> words, std::size_t padding,
                  std::span<std::uint8_t> out) {
  if ((words[0] >> (kRadixBits - padding)) != 0) return false;
  std::uint32_t acc = 0;
  std::size_t bits = 0;
  std::size_t next = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    acc = (acc << kRadixBits) | words[i];
    bits += kRadixBits - (i == 0 ? padding : 0);  // the padding bits are zero: drop them
    while (bits >= 8) {
      bits -= 8;
      out[next++] = static_cast<std::uint8_t>(acc >> bits);
    }
    acc &= (1u << bits) - 1;
  }
  sodium_memzero(&acc, sizeof acc);
  return true;
}

// ---- RS1024 -------------------------------------------------------------------------------------

constexpr std::array<std::uint32_t, 10> kGenerator = {
    0xe0e040,   0x1c1c080,  0x3838100,  0x7070200,  0xe0e0009,
    0x1c0c2412, 0x38086c24, 0x3090fc48, 0x21b1f890, 0x3f3f120,
};

// One step of the spec's rs1024_polymod. The state depends on the share value, so the generator
// terms are masked in rather than chosen by a branch.
std::uint32_t polymod_step(std::uint32_t chk, std::uint32_t value) {
  const std::uint32_t top = chk >> 20;
  chk = ((chk & 0xfffff) << kRadixBits) ^ value;
  for (unsigned i = 0; i < kGenerator.size(); ++i)
    chk ^= kGenerator[i] & (0u - ((top >> i) & 1u));
  return chk;
}

std::uint32_t polymod(bool extendable, std::span<const std::uint16_t> words,
                      std::size_t zero_words) {
  std::uint32_t chk = 1;
  for (char c : extendable ? kCustomizationExtendable : kCustomization) {
    chk = polymod_step(chk, static_cast<std::uint8_t>(c));
  }
  for (std::uint16_t word : words)
    chk = polymod_step(chk, word);
  for (std::size_t i = 0; i < zero_words; ++i)
    chk = polymod_step(chk, 0);
  return chk;
}

// ---- GF(256) ------------------------------------------------------------------------------------

struct GfTables {
  std::array<std::uint8_t, 255> exp{};
  std::array<std::uint8_t, 256> log{};
};

// Powers of the generator x + 1 modulo the Rijndael polynomial x^8 + x^4 + x^3 + x + 1.
constexpr GfTables make_gf_tables() {
  GfTables tables;
  unsigned poly = 1;
  for (unsigned i = 0; i < 255; ++i) {
    tables.exp[i] = static_cast<std::uint8_t>(poly);
    tables.log[poly] = static_cast<std::uint8_t>(i);
    poly = (poly << 1) ^ poly;
    if (poly & 0x100) poly ^= 0x11b;
  }
  return tables;
}

constexpr GfTables kGf = make_gf_tables();

// a * b without tables or branches: the tables serve only the public share indexes, so no memory
// access or branch depends on a secret byte.
std::uint8_t gf_mul(std::uint8_t a, std::uint8_t b) {
  unsigned product = 0;
  unsigned shifted = a;
  for (unsigned bit = 0; bit < 8; ++bit) {
    product ^= shifted & (0u - ((b >> bit) & 1u));
    shifted = (shifted << 1) ^ (0x11bu & (0u - (shifted >> 7)));
  }
  return static_cast<std::uint8_t>(product);
}

// The Lagrange basis polynomial of points[i], evaluated at x: the product over j != i of
// (x - x_j) / (x_i - x_j), where subtraction is xor. x is none of the points' x, which are
// pairwise distinct, so no factor is zero.
std::uint8_t lagrange_basis(std::span<const Point> points, std::size_t i, int x) {
  int log = 0;
  for (std::size_t j = 0; j < points.size(); ++j) {
    if (j == i) continue;
    log += kGf.log[static_cast<unsigned>(x ^ points[j].x)];
    log -= kGf.log[static_cast<unsigned>(points[i].x ^ points[j].x)];
  }
  return kGf.exp[static_cast<unsigned>(((log % 255) + 255) % 255)];
}

// The spec's Interpolate(x, points), for points already checked: pairwise distinct x in 0..255,
// values all of one length.
hsm::SecretBuffer interpolate(std::span<const Point> points, int x) {
  for (const Point& point : points) {
    if (point.x == x) return copy_of(point.y.span());
  }
  hsm::SecretBuffer result(points.front().y.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::uint8_t basis = lagrange_basis(points, i, x);
    const std::uint8_t* y = points[i].y.data();
    for (std::size_t k = 0; k < result.size(); ++k)
      result.data()[k] ^= gf_mul(y[k], basis);
  }
  return result;
}

// The first 4 bytes of HMAC-SHA256(key = random_part, msg = secret).
void shared_secret_digest(std::span<const std::uint8_t> random_part,
                          std::span<const std::uint8_t> secret,
                          std::span<std::uint8_t, kDigestLen> out) {
  crypto_auth_hmacsha256_state state;
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_init(&state, random_part.data(), random_part.size());
  crypto_auth_hmacsha256_update(&state, secret.data(), secret.size());
  crypto_auth_hmacsha256_final(&state, mac.data());
  std::memcpy(out.data(), mac.data(), out.size());
  sodium_memzero(mac.data(), mac.size());
  sodium_memzero(&state, sizeof state);
}

Status check_secret_length(std::size_t length, const std::string& field) {
  if (length < kMinSecretLen) {
    return out_of_range(field, "shorter than 16 bytes (" + std::to_string(length) + ")");
  }
  if (length % 2 != 0) {
    return out_of_range(field, "an odd number of bytes (" + std::to_string(length) +
                                   "); SLIP-39 takes 16-bit units");
  }
  if (length > kMaxSecretLen) {
    return out_of_range(field, "longer than " + std::to_string(kMaxSecretLen) + " bytes (" +
                                   std::to_string(length) + ")");
  }
  return ok();
}

Status check_points(std::span<const Point> points) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].x < 0 || points[i].x > 255) return unreadable("", "share index outside 0..255");
    if (points[i].y.size() != points[0].y.size()) {
      return unreadable("", "share values of different lengths");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (points[j].x == points[i].x) return unreadable("", "two shares with the same index");
    }
  }
  return ok();
}

// ---- PBKDF2 and the Feistel network -------------------------------------------------------------

// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2). The password's keyed HMAC state is made once and copied for
// every U_j, which halves the hashing and gives the same bytes as keying each HMAC afresh.
void pbkdf2_hmac_sha256(std::span<const std::uint8_t> password, std::span<const std::uint8_t> salt,
                        std::uint32_t iterations, std::span<std::uint8_t> out) {
  crypto_auth_hmacsha256_state keyed;
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&keyed, password.data(), password.size());
  hsm::SecretBuffer u(crypto_auth_hmacsha256_BYTES);
  hsm::SecretBuffer t(crypto_auth_hmacsha256_BYTES);
  for (std::uint32_t block = 1; (block - 1) * t.size() < out.size(); ++block) {
    const std::array<std::uint8_t, 4> counter = {
        static_cast<std::uint8_t>(block >> 24), static_cast<std::uint8_t>(block >> 16),
        static_cast<std::uint8_t>(block >> 8), static_cast<std::uint8_t>(block)};
    state = keyed;
    crypto_auth_hmacsha256_update(&state, salt.data(), salt.size());
    crypto_auth_hmacsha256_update(&state, counter.data(), counter.size());
    crypto_auth_hmacsha256_final(&state, u.data());
    std::memcpy(t.data(), u.data(), t.size());
    for (std::uint32_t j = 1; j < iterations; ++j) {
      state = keyed;
      crypto_auth_hmacsha256_update(&state, u.data(), u.size());
      crypto_auth_hmacsha256_final(&state, u.data());
      for (std::size_t k = 0; k < t.size(); ++k)
        t.data()[k] ^= u.data()[k];
    }
    const std::size_t offset = (block - 1) * t.size();
    std::memcpy(out.data() + offset, t.data(), std::min(t.size(), out.size() - offset));
  }
  sodium_memzero(&keyed, sizeof keyed);
  sodium_memzero(&state, sizeof state);
}

Status check_passphrase(std::span<const std::uint8_t> passphrase) {
  for (std::uint8_t c : passphrase) {
    if (c < 32 || c > 126) {
      return out_of_range("passphrase",
                          "must be printable ASCII (code points 32-126), as SLIP-39 requires");
    }
  }
  return ok();
}

Status check_iteration_exponent(int iteration_exponent) {
  if (iteration_exponent < 0 || iteration_exponent > kMaxIterationExponent) {
    return out_of_range("iteration exponent",
                        "must be 0 to 15 (" + std::to_string(iteration_exponent) + ")");
  }
  return ok();
}

// Non-extendable shares salt the rounds with the identifier, extendable ones with nothing, so that
// new shares of the same secret may get a new identifier.
hsm::SecretBuffer round_salt(std::uint16_t identifier, bool extendable, std::size_t half) {
  const std::size_t prefix = extendable ? 0 : kCustomization.size() + 2;
  hsm::SecretBuffer salt(prefix + half);
  if (!extendable) {
    std::memcpy(salt.data(), kCustomization.data(), kCustomization.size());
    salt.data()[kCustomization.size()] = static_cast<std::uint8_t>(identifier >> 8);
    salt.data()[kCustomization.size() + 1] = static_cast<std::uint8_t>(identifier);
  }
  return salt;
}

// The spec's Encrypt (rounds 0, 1, 2, 3) or Decrypt (3, 2, 1, 0):
// (L, R) = (R, L xor F(i, R)), F(i, R) = PBKDF2(i || passphrase, salt || R, (10000 << e) / 4).
Result<hsm::SecretBuffer> feistel(std::span<const std::uint8_t> input,
                                  std::span<const std::uint8_t> passphrase, int iteration_exponent,
                                  std::uint16_t identifier, bool extendable, bool decrypting) {
  if (input.size() % 2 != 0 || input.empty()) {
    return out_of_range(
        decrypting ? "encrypted master secret" : "master secret",
        "not an even, non-zero number of bytes (" + std::to_string(input.size()) + ")");
  }
  if (auto rule = check_iteration_exponent(iteration_exponent); !rule) return rule.error();
  if (auto rule = check_passphrase(passphrase); !rule) return rule.error();
  const std::size_t half = input.size() / 2;
  const std::uint32_t iterations = (kBaseIterations << iteration_exponent) / kRounds;
  hsm::SecretBuffer left = copy_of(input.first(half));
  hsm::SecretBuffer right = copy_of(input.subspan(half));
  hsm::SecretBuffer salt = round_salt(identifier, extendable, half);
  hsm::SecretBuffer password(1 + passphrase.size());
  if (!passphrase.empty()) std::memcpy(password.data() + 1, passphrase.data(), passphrase.size());
  hsm::SecretBuffer round_key(half);
  for (int step = 0; step < kRounds; ++step) {
    password.data()[0] = static_cast<std::uint8_t>(decrypting ? kRounds - 1 - step : step);
    std::memcpy(salt.data() + salt.size() - half, right.data(), half);
    pbkdf2_hmac_sha256(password.span(), salt.span(), iterations, round_key.span());
    for (std::size_t k = 0; k < half; ++k)
      left.data()[k] ^= round_key.data()[k];
    std::swap(left, right);
  }
  hsm::SecretBuffer output(input.size());
  std::memcpy(output.data(), right.data(), half);
  std::memcpy(output.data() + half, left.data(), half);
  return output;
}

// ---- share fields -------------------------------------------------------------------------------

Status check_range(int value, int low, int high, const char* field) {
  if (value < low || value > high) {
    return out_of_range(field, "must be " + std::to_string(low) + " to " + std::to_string(high) +
                                   " (" + std::to_string(value) + ")");
  }
  return ok();
}

Status check_share_fields(const Share& share) {
  if (share.identifier > kMaxIdentifier) {
    return out_of_range("identifier",
                        "does not fit in 15 bits (" + std::to_string(share.identifier) + ")");
  }
  for (auto rule : {check_iteration_exponent(share.iteration_exponent),
                    check_range(share.group_index, 0, kMaxShareCount - 1, "group index"),
                    check_range(share.group_count, 1, kMaxShareCount, "group count"),
                    check_range(share.group_threshold, 1, share.group_count, "group threshold"),
                    check_range(share.member_index, 0, kMaxShareCount - 1, "member index"),
                    check_range(share.member_threshold, 1, kMaxShareCount, "member threshold"),
                    check_secret_length(share.value.size(), "share value")}) {
    if (!rule) return rule;
  }
  return ok();
}

// The four header words: id | ext | e, then GI | Gt | g | I | t, 20 bits each.
void write_header(const Share& share, std::span<std::uint16_t> words) {
  const std::uint32_t id_exp = (std::uint32_t{share.identifier} << 5) |
                               (std::uint32_t{share.extendable} << 4) |
                               static_cast<std::uint32_t>(share.iteration_exponent);
  const std::uint32_t params = (static_cast<std::uint32_t>(share.group_index) << 16) |
                               (static_cast<std::uint32_t>(share.group_threshold - 1) << 12) |
                               (static_cast<std::uint32_t>(share.group_count - 1) << 8) |
                               (static_cast<std::uint32_t>(share.member_index) << 4) |
                               static_cast<std::uint32_t>(share.member_threshold - 1);
  words[0] = static_cast<std::uint16_t>(id_exp >> kRadixBits);
  words[1] = static_cast<std::uint16_t>(id_exp & kWordMask);
  words[2] = static_cast<std::uint16_t>(params >> kRadixBits);
  words[3] = static_cast<std::uint16_t>(params & kWordMask);
}

void read_header(std::span<const std::uint16_t> words, Share& share) {
  const std::uint32_t id_exp = (std::uint32_t{words[0]} << kRadixBits) | words[1];
  const std::uint32_t params = (std::uint32_t{words[2]} << kRadixBits) | words[3];
  share.identifier = static_cast<std::uint16_t>(id_exp >> 5);
  share.extendable = ((id_exp >> 4) & 1) != 0;
  share.iteration_exponent = static_cast<int>(id_exp & 0xf);
  share.group_index = static_cast<int>(params >> 16);
  share.group_threshold = static_cast<int>((params >> 12) & 0xf) + 1;
  share.group_count = static_cast<int>((params >> 8) & 0xf) + 1;
  share.member_index = static_cast<int>((params >> 4) & 0xf);
  share.member_threshold = static_cast<int>(params & 0xf) + 1;
}

// The extendable flag, needed before the checksum can be checked: it picks the customization.
bool extendable_flag(std::span<const std::uint16_t> words) {
  return ((words[1] >> 4) & 1) != 0;
}

Status check_word_count(std::size_t count) {
  if (count < kMinMnemonicWords) {
    return unreadable("", std::to_string(count) + " words; a share has at least " +
                              std::to_string(kMinMnemonicWords) + " (insufficient length)");
  }
  if (padding_bits(count - kMetadataWords) > kMaxPaddingBits) {
    return unreadable("", std::to_string(count) +
                              " words hold no valid master secret length (a whole number of "
                              "16-bit units after at most 8 bits of padding)");
  }
  return ok();
}

hsm::SecretBuffer mnemonic_text(std::span<const std::uint16_t> words) {
  std::size_t length = words.size() - 1;  // the spaces
  for (std::uint16_t word : words)
    length += kWords[word].size();
  hsm::SecretBuffer text(length);
  std::size_t next = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text.data()[next++] = ' ';
    const std::string_view word = kWords[words[i]];
    std::memcpy(text.data() + next, word.data(), word.size());
    next += word.size();
  }
  return text;
}

// ---- combining ----------------------------------------------------------------------------------

std::string share_name(std::size_t position) {
  return numbered("share", position + 1);
}

// "(2; share 1 has 1)": a share's value next to the first share's.
std::string versus_first(long value, long first) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
  return std::string("(")
      .append(std::to_string(value))
      .append("; share 1 has ")
      .append(std::to_string(first))
      .append(")");
}

// The spec's first check: one identifier, extendable flag, iteration exponent, group threshold,
// group count and share length for the whole set.
Status check_same_set(const Share& first, const Share& share, std::size_t position) {
  const std::string field = share_name(position);
  if (share.identifier != first.identifier) {
    return unreadable(field, "from another set (identifier " + std::to_string(share.identifier) +
                                 ", not share 1's " + std::to_string(first.identifier) + ")");
  }
  if (share.extendable != first.extendable) {
    return unreadable(field, std::string("mixed extendable flags (") +
                                 (share.extendable ? "extendable" : "not extendable") +
                                 "; share 1 is " +
                                 (first.extendable ? "extendable" : "not extendable") + ")");
  }
  if (share.iteration_exponent != first.iteration_exponent) {
    return unreadable(field, "mixed iteration exponents " +
                                 versus_first(share.iteration_exponent, first.iteration_exponent));
  }
  if (share.group_threshold != first.group_threshold) {
    return unreadable(field, "mixed group thresholds " +
                                 versus_first(share.group_threshold, first.group_threshold));
  }
  if (share.group_count != first.group_count) {
    return unreadable(field,
                      "mixed group counts " + versus_first(share.group_count, first.group_count));
  }
  if (share.value.size() != first.value.size()) {
    return unreadable(field, "mixed share lengths in bytes " +
                                 versus_first(static_cast<long>(share.value.size()),
                                              static_cast<long>(first.value.size())));
  }
  return ok();
}

struct Group {
  int index = 0;
  std::vector<std::size_t> members;  // positions in the shares given
};

// Sorts the shares into groups, in the order their groups first appear, refusing a member
// threshold that differs within a group and a member given twice.
Result<std::vector<Group>> sort_into_groups(std::span<const Share> shares) {
  std::vector<Group> groups;
  for (std::size_t position = 0; position < shares.size(); ++position) {
    const Share& share = shares[position];
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&share](const Group& g) { return g.index == share.group_index; });
    if (group == groups.end()) {
      groups.push_back(Group{share.group_index, {position}});
      continue;
    }
    const std::string where = " in group " + std::to_string(share.group_index + 1);
    const std::size_t leader = group->members.front();
    if (share.member_threshold != shares[leader].member_threshold) {
      return unreadable(share_name(position), "member threshold " +
                                                  std::to_string(share.member_threshold) + where +
                                                  " differs from " + share_name(leader) + "'s " +
                                                  std::to_string(shares[leader].member_threshold));
    }
    for (std::size_t other : group->members) {
      if (shares[other].member_index == share.member_index) {
        return unreadable(share_name(position),
                          "duplicate share: group " + std::to_string(share.group_index + 1) +
                              " member " + std::to_string(share.member_index + 1) + " is also " +
                              share_name(other));
      }
    }
    group->members.push_back(position);
  }
  return groups;
}

// Exactly the group threshold of groups, each with exactly its member threshold of shares.
Status check_counts(std::span<const Share> shares, const std::vector<Group>& groups) {
  const std::size_t needed = static_cast<std::size_t>(shares.front().group_threshold);
  if (groups.size() < needed) {
    return unreadable("", "too few groups: " + std::to_string(groups.size()) + " of the " +
                              std::to_string(needed) + " needed");
  }
  if (groups.size() > needed) {
    return unreadable("", "too many groups: " + std::to_string(groups.size()) +
                              " given, the set takes exactly " + std::to_string(needed));
  }
  for (const Group& group : groups) {
    const std::size_t members = group.members.size();
    const auto threshold = static_cast<std::size_t>(shares[group.members.front()].member_threshold);
    const std::string field = numbered("group", static_cast<std::size_t>(group.index) + 1);
    if (members < threshold) {
      return unreadable(field, "too few shares: " + std::to_string(members) + " of the " +
                                   std::to_string(threshold) + " needed");
    }
    if (members > threshold) {
      return unreadable(field, "too many shares: " + std::to_string(members) +
                                   " given, the group takes exactly " + std::to_string(threshold));
    }
  }
  return ok();
}

Result<Point> recover_group(std::span<const Share> shares, const Group& group) {
  std::vector<Point> points;
  for (std::size_t position : group.members) {
    points.push_back(Point{shares[position].member_index, copy_of(shares[position].value.span())});
  }
  auto secret = recover_secret(shares[group.members.front()].member_threshold, points);
  if (!secret) {
    Error error = std::move(secret).error();
    return error.within(numbered("group", static_cast<std::size_t>(group.index) + 1));
  }
  return Point{group.index, std::move(*secret)};
}

}  // namespace

// ---- word list ----------------------------------------------------------------------------------

std::span<const std::string_view> wordlist() noexcept {
  return kWords;
}

std::optional<int> word_index(std::string_view word) noexcept {
  std::array<char, kMaxWordLen> buffer{};
  std::optional<int> index;
  if (const auto lower = lower_token(word, buffer)) {
    const auto it = std::lower_bound(kWords.begin(), kWords.end(), *lower);
    if (it != kWords.end() && *it == *lower) index = static_cast<int>(it - kWords.begin());
  }
  sodium_memzero(buffer.data(), buffer.size());
  return index;
}

std::optional<std::string_view> autocomplete(std::string_view prefix) noexcept {
  std::array<char, kMaxWordLen> buffer{};
  std::optional<std::string_view> word;
  const auto lower = lower_token(prefix, buffer);
  if (lower && lower->size() >= kPrefixLen) {
    const auto it = std::lower_bound(kWords.begin(), kWords.end(), *lower);
    if (it != kWords.end() && it->starts_with(*lower)) word = *it;
  }
  sodium_memzero(buffer.data(), buffer.size());
  return word;
}

// ---- RS1024 -------------------------------------------------------------------------------------

std::array<std::uint16_t, 3> rs1024_checksum(std::span<const std::uint16_t> data, bool extendable) {
  const std::uint32_t chk = polymod(extendable, data, kChecksumWords) ^ 1;
  return {static_cast<std::uint16_t>((chk >> 20) & kWordMask),
          static_cast<std::uint16_t>((chk >> 10) & kWordMask),
          static_cast<std::uint16_t>(chk & kWordMask)};
}

bool rs1024_verify(std::span<const std::uint16_t> words, bool extendable) {
  return polymod(extendable, words, 0) == 1;
}

// ---- share mnemonics ----------------------------------------------------------------------------

Share clone(const Share& share) {
  Share copy;
  copy.identifier = share.identifier;
  copy.extendable = share.extendable;
  copy.iteration_exponent = share.iteration_exponent;
  copy.group_index = share.group_index;
  copy.group_threshold = share.group_threshold;
  copy.group_count = share.group_count;
  copy.member_index = share.member_index;
  copy.member_threshold = share.member_threshold;
  copy.value = copy_of(share.value.span());
  return copy;
}

Result<Share> decode_mnemonic(std::string_view mnemonic) {
  auto buffer = mnemonic_words(mnemonic);
  if (!buffer) return std::move(buffer).error();
  const std::span<const std::uint16_t> words = std::as_const(*buffer).words();
  if (auto rule = check_word_count(words.size()); !rule) return rule.error();
  if (!rs1024_verify(words, extendable_flag(words))) {
    return unreadable("",
                      "checksum does not match: a word is wrong, missing, extra or out of place");
  }
  Share share;
  read_header(words, share);
  if (share.group_threshold > share.group_count) {
    return unreadable("", "group threshold " + std::to_string(share.group_threshold) +
                              " is greater than the group count " +
                              std::to_string(share.group_count));
  }
  const auto value_words = words.subspan(kHeaderWords, words.size() - kMetadataWords);
  const std::size_t padding = padding_bits(value_words.size());
  share.value = hsm::SecretBuffer((kRadixBits * value_words.size() - padding) / 8);
  if (!unpack_value(value_words, padding, share.value.span())) {
    return unreadable("", "invalid padding: the bits before the share value are not all zero");
  }
  return share;
}

Result<hsm::SecretBuffer> encode_mnemonic(const Share& share) {
  if (auto rule = check_share_fields(share); !rule) return rule.error();
  const std::size_t value_words = value_words_for(share.value.size());
  WordBuffer buffer(kMetadataWords + value_words);
  const std::span<std::uint16_t> words = buffer.words();
  write_header(share, words);
  pack_value(share.value.span(), kRadixBits * value_words - 8 * share.value.size(),
             words.subspan(kHeaderWords, value_words));
  const auto data = std::as_const(buffer).words().first(words.size() - kChecksumWords);
  const auto checksum = rs1024_checksum(data, share.extendable);
  std::copy(checksum.begin(), checksum.end(), words.end() - kChecksumWords);
  return mnemonic_text(std::as_const(buffer).words());
}

// ---- Shamir's secret sharing --------------------------------------------------------------------

Result<std::vector<Point>> split_secret(int threshold, int count,
                                        std::span<const std::uint8_t> secret,
                                        const RandomSource& random) {
  if (auto rule = check_range(count, 1, kMaxShareCount, "share count"); !rule) return rule.error();
  if (auto rule = check_range(threshold, 1, count, "threshold"); !rule) return rule.error();
  if (auto rule = check_secret_length(secret.size(), "secret"); !rule) return rule.error();
  std::vector<Point> points;
  if (threshold == 1) {  // every share is the secret; no digest
    for (int x = 0; x < count; ++x)
      points.push_back(Point{x, copy_of(secret)});
    return points;
  }
  // The curve through threshold − 2 random points, the digest at 254 and the secret at 255.
  std::vector<Point> base;
  for (int x = 0; x < threshold - 2; ++x) {
    base.push_back(Point{x, hsm::SecretBuffer(secret.size())});
    fill_random(random, base.back().y.span());
  }
  Point digest{kDigestX, hsm::SecretBuffer(secret.size())};
  const auto random_part = digest.y.span().subspan(kDigestLen);
  fill_random(random, random_part);
  shared_secret_digest(random_part, secret, digest.y.span().first<kDigestLen>());
  base.push_back(std::move(digest));
  base.push_back(Point{kSecretX, copy_of(secret)});
  std::vector<Point> computed;
  for (int x = threshold - 2; x < count; ++x)
    computed.push_back(Point{x, interpolate(base, x)});
  // The random points are shares too: x = 0..threshold − 3.
  for (int x = 0; x < threshold - 2; ++x)
    points.push_back(std::move(base[static_cast<std::size_t>(x)]));
  for (Point& point : computed)
    points.push_back(std::move(point));
  return points;
}

Result<hsm::SecretBuffer> recover_secret(int threshold, std::span<const Point> points) {
  if (threshold < 1 || points.size() != static_cast<std::size_t>(threshold)) {
    return unreadable("", "needs exactly " + std::to_string(threshold) + " shares, not " +
                              std::to_string(points.size()));
  }
  if (auto rule = check_points(points); !rule) return rule.error();
  if (threshold == 1) return copy_of(points.front().y.span());
  hsm::SecretBuffer secret = interpolate(points, kSecretX);
  const hsm::SecretBuffer digest = interpolate(points, kDigestX);
  std::array<std::uint8_t, kDigestLen> expected{};
  shared_secret_digest(digest.span().subspan(kDigestLen), secret.span(), expected);
  const bool matches = sodium_memcmp(expected.data(), digest.data(), kDigestLen) == 0;
  sodium_memzero(expected.data(), expected.size());
  if (!matches) {
    return unreadable("", "invalid digest: the shares are not of one split, or one was altered");
  }
  return secret;
}

// ---- encryption of the master secret ------------------------------------------------------------

Result<hsm::SecretBuffer> encrypt(std::span<const std::uint8_t> master_secret,
                                  std::span<const std::uint8_t> passphrase, int iteration_exponent,
                                  std::uint16_t identifier, bool extendable) {
  return feistel(master_secret, passphrase, iteration_exponent, identifier, extendable, false);
}

Result<hsm::SecretBuffer> decrypt(std::span<const std::uint8_t> encrypted_master_secret,
                                  std::span<const std::uint8_t> passphrase, int iteration_exponent,
                                  std::uint16_t identifier, bool extendable) {
  return feistel(encrypted_master_secret, passphrase, iteration_exponent, identifier, extendable,
                 true);
}

// ---- splitting and combining --------------------------------------------------------------------

namespace {

Status check_groups(int group_threshold, std::span<const GroupSpec> groups) {
  if (groups.empty()) return out_of_range("groups", "none given");
  if (groups.size() > static_cast<std::size_t>(kMaxShareCount)) {
    return out_of_range("groups", "more than 16 (" + std::to_string(groups.size()) + ")");
  }
  if (auto rule =
          check_range(group_threshold, 1, static_cast<int>(groups.size()), "group threshold");
      !rule) {
    return rule;
  }
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const GroupSpec& group = groups[i];
    const std::string field = numbered("group", i + 1);
    if (group.member_count < 1 || group.member_count > kMaxShareCount) {
      return out_of_range(
          field, "member count must be 1 to 16 (" + std::to_string(group.member_count) + ")");
    }
    if (group.member_threshold < 1 || group.member_threshold > group.member_count) {
      return out_of_range(field, "member threshold must be 1 to the member count " +
                                     std::to_string(group.member_count) + " (" +
                                     std::to_string(group.member_threshold) + ")");
    }
    if (group.member_threshold == 1 && group.member_count > 1) {
      return out_of_range(field, "1-of-" + std::to_string(group.member_count) +
                                     " makes copies of one share; use 1-of-1 and copy it");
    }
  }
  return ok();
}

std::uint16_t random_identifier(const RandomSource& random) {
  std::array<std::uint8_t, 2> bytes{};
  fill_random(random, bytes);
  return static_cast<std::uint16_t>(((bytes[0] << 8) | bytes[1]) & kMaxIdentifier);
}

}  // namespace

Result<std::vector<std::vector<Share>>> split(std::span<const std::uint8_t> master_secret,
                                              std::span<const std::uint8_t> passphrase,
                                              int group_threshold,
                                              std::span<const GroupSpec> groups,
                                              const SplitOptions& options) {
  if (auto rule = check_secret_length(master_secret.size(), "master secret"); !rule) {
    return rule.error();
  }
  if (auto rule = check_passphrase(passphrase); !rule) return rule.error();
  if (auto rule = check_iteration_exponent(options.iteration_exponent); !rule) return rule.error();
  if (auto rule = check_groups(group_threshold, groups); !rule) return rule.error();

  const std::uint16_t identifier = random_identifier(options.random);
  auto encrypted = encrypt(master_secret, passphrase, options.iteration_exponent, identifier,
                           options.extendable);
  if (!encrypted) return std::move(encrypted).error();
  auto group_shares = split_secret(group_threshold, static_cast<int>(groups.size()),
                                   encrypted->span(), options.random);
  if (!group_shares) return std::move(group_shares).error();

  std::vector<std::vector<Share>> result;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Point& group_share = (*group_shares)[g];
    auto members = split_secret(groups[g].member_threshold, groups[g].member_count,
                                group_share.y.span(), options.random);
    if (!members) return std::move(members).error();
    std::vector<Share>& shares = result.emplace_back();
    for (Point& member : *members) {
      Share& share = shares.emplace_back();
      share.identifier = identifier;
      share.extendable = options.extendable;
      share.iteration_exponent = options.iteration_exponent;
      share.group_index = group_share.x;
      share.group_threshold = group_threshold;
      share.group_count = static_cast<int>(groups.size());
      share.member_index = member.x;
      share.member_threshold = groups[g].member_threshold;
      share.value = std::move(member.y);
    }
  }
  return result;
}

Result<hsm::SecretBuffer> combine(std::span<const Share> shares,
                                  std::span<const std::uint8_t> passphrase) {
  if (auto rule = check_passphrase(passphrase); !rule) return rule.error();
  if (shares.empty()) return unreadable("", "no shares given");
  for (std::size_t position = 0; position < shares.size(); ++position) {
    if (auto rule = check_share_fields(shares[position]); !rule) {
      return std::move(rule).error().within(share_name(position));
    }
    if (auto rule = check_same_set(shares.front(), shares[position], position); !rule) {
      return rule.error();
    }
  }
  auto groups = sort_into_groups(shares);
  if (!groups) return std::move(groups).error();
  if (auto rule = check_counts(shares, *groups); !rule) return rule.error();

  std::vector<Point> group_shares;
  for (const Group& group : *groups) {
    auto group_share = recover_group(shares, group);
    if (!group_share) return std::move(group_share).error();
    group_shares.push_back(std::move(*group_share));
  }
  const Share& first = shares.front();
  auto encrypted = recover_secret(first.group_threshold, group_shares);
  if (!encrypted) return std::move(encrypted).error();
  return decrypt(encrypted->span(), passphrase, first.iteration_exponent, first.identifier,
                 first.extendable);
}

Result<hsm::SecretBuffer> combine_mnemonics(std::span<const std::string_view> mnemonics,
                                            std::span<const std::uint8_t> passphrase) {
  std::vector<Share> shares;
  for (std::size_t position = 0; position < mnemonics.size(); ++position) {
    auto share = decode_mnemonic(mnemonics[position]);
    if (!share) return std::move(share).error().within(share_name(position));
    shares.push_back(std::move(*share));
  }
  return combine(shares, passphrase);
}

}  // namespace dmp::backup::slip39
