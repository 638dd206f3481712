#include "output/wire_formats.hpp"

#include <sodium.h>

#include "dmp/hsm/signing_key.hpp"
#include "dmp/zone.hpp"
#include "output/record_text.hpp"

namespace dmp::output {

std::string format_wire(Format format, const Record& record, const std::string& wire,
                        std::uint32_t ttl) {
  const std::string owner = rrset_name(record) + ".";
  switch (format) {
    case Format::wire:
      return wire;
    case Format::zone:
      return owner + " " + std::to_string(ttl) + " IN TXT " + quote_txt_strings(wire) + "\n";
    case Format::nsupdate:
      // Same shape as the reference DNSUpdatePublisher: replace the RRset.
      return "zone " + signed_name(record) + ".\n" + "update delete " + owner + " TXT\n" +
             "update add " + owner + " " + std::to_string(ttl) + " TXT " + quote_txt_strings(wire) +
             "\n" + "send\n";
    case Format::json: {
      nlohmann::json out = record_json(record);
      out["wire"] = wire;
      out["fingerprint"] = hsm::fingerprint(signing_key_of(record));
      return out.dump() + "\n";
    }
  }
  return wire;
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
