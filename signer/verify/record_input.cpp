#include "verify/record_input.hpp"

#include <utility>

#include "dmp/zone.hpp"

namespace dmp::cli {
namespace {

// Every record prefix starts with this; it cannot begin a sensible owner name
// (';' starts a comment in master files), so the two forms never overlap.
// Not "v=dmp1;": a wire of another version ("v=dmp2;...") is a bad_prefix,
// not a zone text whose TXT is missing.
constexpr std::string_view kWireStart = "v=dmp";

}  // namespace

Result<RecordInput> parse_record_input(std::string_view content) {
  if (content.starts_with(kWireStart)) {
    if (content.ends_with('\n')) content.remove_suffix(1);
    return RecordInput{std::string(content), std::nullopt};
  }
  auto record = parse_txt_record(content);
  if (!record) return record.error();
  return RecordInput{std::move(record->joined), std::move(record->owner)};
}

}  // namespace dmp::cli
