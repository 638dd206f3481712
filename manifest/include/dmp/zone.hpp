// TXT presentation format (RFC 1035 §5.1) for publishing and checking wires:
// split a wire into 255-byte character-strings like every reference writer
// (§8), and read a zone-file TXT line back. Pure text functions, no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmp/api.hpp"
#include "dmp/result.hpp"

DMP_API_BEGIN
namespace dmp {

inline constexpr std::size_t kMaxTxtStringLen = 255;
// Zone text longer than this is refused before parsing (a wire is at most
// 1200 bytes; escapes can at most quadruple it, plus owner and comments).
inline constexpr std::size_t kMaxZoneTextLen = 16 * 1024;
// `dig` output holding a whole RRset (and DNSSEC signatures) may be longer.
inline constexpr std::size_t kMaxRecordsTextLen = 64 * 1024;

// Consecutive 255-byte pieces from the start of `wire`; the last is shorter.
std::vector<std::string> split_txt_strings(std::string_view wire);

// `"piece1" "piece2" ...`: the pieces quoted for zone files and nsupdate.
// Bytes '"' and '\\' are escaped (a wire never contains them).
std::string quote_txt_strings(std::string_view wire);

struct TxtRecord {
  std::string owner;                 // as written (escapes kept), trailing dot kept; empty for
                                     // a `dig +short` line, which has none
  std::optional<std::uint32_t> ttl;  // when present
  std::string joined;                // all character-strings joined, unescaped
};

// Seconds in one BIND time unit: s m h d w (either case); 0 for any other
// character. Shared by TTLs here and the signer's durations ("365d").
std::uint64_t time_unit_seconds(char unit) noexcept;

// One TXT resource record in master-file syntax: `owner [ttl] [IN] TXT "..." ...`
// (ttl in seconds or BIND units like 1h30m; ttl and class in either order), parentheses across
// lines, ';' comments, \X and \DDD escapes. Blank and comment-only lines around it are ignored; a
// second record, a non-TXT type or unbalanced quotes/parentheses are refused with Reason::malformed
// and the rule broken.
Result<TxtRecord> parse_txt_record(std::string_view zone_text);

// Every TXT record of a zone-file excerpt, of `dig` output (its header and
// section lines are ';' comments) or of `dig +short` output (each line the
// quoted character-strings alone, so no owner), in order, each joined as
// above. Records of another type (CNAME, RRSIG, SOA), and lines that are no
// record (a quoted word followed by others), are skipped, unless a word of
// theirs starts with "v=dmp" (a DMP record hidden there is refused, not
// passed over); $TTL N is ignored, any other directive refused. A record that is TXT but broken,
// unbalanced quotes or parentheses, or text over kMaxRecordsTextLen are Reason::malformed.
Result<std::vector<TxtRecord>> parse_txt_records(std::string_view text);

// Owner names compare like DNS names: label by label after unescaping
// (\X, \DDD), ASCII case-insensitive, one trailing dot ignored on either side.
bool owner_matches(std::string_view owner, std::string_view rrset_name);

}  // namespace dmp
DMP_API_END
