#include "input/record_reader.hpp"

#include <utility>

#include "common/time_text.hpp"
#include "dmp/codec.hpp"
#include "dmp/zone.hpp"

namespace dmp::cli {
namespace {

// A TXT record as the caller sees it: no owner for a `dig +short` line.
RecordInput input_of(TxtRecord&& record) {
  return RecordInput{
      std::move(record.joined),
      record.owner.empty() ? std::nullopt : std::optional<std::string>(std::move(record.owner))};
}

// "cluster.mesh.example.com." or "(no owner)" for a `dig +short` line.
std::string owner_text(const RecordInput& record) {
  return record.owner ? *record.owner : std::string("(no owner)");
}

// "cluster mesh.example.com seq 5, exp 2027-12-04T00:00:00Z" as the wire
// says (unverified: for telling records apart), or its prefix when it does
// not decode.
std::string wire_summary(const std::string& wire) {
  const auto type = record_type_of_wire(wire);
  if (type && (*type == RecordType::cluster || *type == RecordType::bootstrap)) {
    if (auto opened = open_wire(wire, *type)) {
      if (auto record = decode_body(*type, opened->blob.body)) {
        return std::string(record_type_name(*type)) + " " + signed_name(*record) + " seq " +
               std::to_string(seq_of(*record)) + ", exp " + format_rfc3339_utc(exp_of(*record));
      }
    }
  }
  return wire.substr(0, wire.find(';', 7) + 1) + "...";
}

}  // namespace

Result<std::vector<RecordInput>> read_records(std::string_view content) {
  // kWireStart cannot begin a sensible owner name, so the forms never overlap.
  if (content.starts_with(kWireStart)) {
    if (content.ends_with('\n')) content.remove_suffix(1);
    return std::vector<RecordInput>{RecordInput{std::string(content), std::nullopt}};
  }
  auto txt = parse_txt_records(content);
  if (!txt) return txt.error();
  if (txt->empty()) {
    // No TXT record at all: neither a wire nor a record holding one. The
    // one-record parser names what is missing ("record type TXT missing").
    auto single = parse_txt_record(content);
    if (!single) return fail(Reason::bad_prefix, single.error().field, single.error().rule);
    return fail(Reason::bad_prefix, "zone", "no TXT record found");
  }
  std::vector<RecordInput> records;
  for (TxtRecord& record : *txt) {
    if (record.joined.starts_with(kWireStart)) records.push_back(input_of(std::move(record)));
  }
  // One TXT record that is not a DMP record goes to the verifier, which
  // names the prefix it lacks (bad_prefix), as for a bare text.
  if (records.empty() && txt->size() == 1) {
    return std::vector<RecordInput>{input_of(std::move(txt->front()))};
  }
  if (records.empty()) {
    return fail(Reason::malformed, "zone",
                "none of the " + std::to_string(txt->size()) +
                    " TXT records is a DMP record (one starts with \"v=dmp1;\")");
  }
  return records;
}

Result<RecordInput> read_record(std::string_view content, std::optional<std::size_t> choose) {
  auto records = read_records(content);
  if (!records) return records.error();
  return choose_record(std::move(*records), choose);
}

Result<RecordInput> choose_record(std::vector<RecordInput> records,
                                  std::optional<std::size_t> choose) {
  const std::size_t count = records.size();
  if (choose) {
    if (*choose == 0 || *choose > count) {
      return fail(Reason::usage, "--record",
                  std::to_string(*choose) + " is not one of the input's " + std::to_string(count) +
                      " DMP records (1 to " + std::to_string(count) + ")");
    }
    return std::move(records[*choose - 1]);
  }
  if (count > 1) {
    std::string list;
    for (std::size_t i = 0; i < count && i < 4; ++i) {
      const RecordInput& r = records[i];
      list += (i ? "; " : "") + std::to_string(i + 1) + ": " + owner_text(r) + " " +
              wire_summary(r.wire);
    }
    if (count > 4) list += "; ...";
    return fail(Reason::malformed, "zone",
                "the input holds " + std::to_string(count) + " DMP records (" + list +
                    ", as they say, unverified); choose one with --record N");
  }
  return std::move(records.front());
}

}  // namespace dmp::cli
