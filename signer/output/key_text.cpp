#include "output/key_text.hpp"

#include "dmp/encoding.hpp"
#include "dmp/hsm/signing_key.hpp"

namespace dmp::output {

std::string key_text(const PublicKey& key) {
  return encoding::hex_encode(key) + "  " + hsm::fingerprint(key);
}

MarkedChange mark_key_change(const PublicKey& before, const PublicKey& after) {
  MarkedChange hex = mark_change(encoding::hex_encode(before), encoding::hex_encode(after));
  const MarkedChange fingerprint = mark_change(hsm::fingerprint(before), hsm::fingerprint(after));
  hex.before.add("  ").add(fingerprint.before);
  hex.after.add("  ").add(fingerprint.after);
  return hex;
}

}  // namespace dmp::output
