#include "output/wire_formats.hpp"

#include <sodium.h>

#include "dmp/hsm/signing_key.hpp"
#include "dmp/zone.hpp"
#include "output/record_json.hpp"

namespace dmp::output {

std::string format_publication(Format format, const Publication& p, const std::string& wire,
                               std::uint32_t ttl) {
  const std::string owner = p.owner + ".";
  const std::string txt = std::to_string(ttl) + " TXT " + quote_txt_strings(wire) + "\n";
  switch (format) {
    case Format::wire:
      return wire;
    case Format::zone:
      return owner + " " + std::to_string(ttl) + " IN TXT " + quote_txt_strings(wire) + "\n";
    case Format::nsupdate:
      // Same shape as the reference DNSUpdatePublisher: replace the RRset;
      // an append-only RRset (rotate.*) keeps every record it had.
      return "zone " + p.zone + ".\n" +
             (p.append_only ? std::string() : "update delete " + owner + " TXT\n") + "update add " +
             owner + " " + txt + "send\n";
    case Format::json: {
      // The record's keys (as dmp-verify --json has them), then these two.
      OrderedJson out = p.fields;
      out["fingerprint"] = hsm::fingerprint(p.signing_key);
      out["wire"] = wire;
      return out.dump() + "\n";
    }
  }
  return wire;
}

std::string format_wire(Format format, const Record& record, const std::string& wire,
                        std::uint32_t ttl) {
  return format_publication(format,
                            Publication{rrset_name(record), signed_name(record), false,
                                        record_fields(record), signing_key_of(record)},
                            wire, ttl);
}

const std::map<std::string, Format>& format_names() {
  static const std::map<std::string, Format> names{{"wire", Format::wire},
                                                   {"zone", Format::zone},
                                                   {"nsupdate", Format::nsupdate},
                                                   {"json", Format::json}};
  return names;
}

std::string file_suffix(Format format) {
  switch (format) {
    case Format::wire:
      return ".wire";
    case Format::zone:
      return ".zone";
    case Format::nsupdate:
      return ".nsupdate";
    case Format::json:
      return ".json";
  }
  return ".wire";
}

}  // namespace dmp::output
