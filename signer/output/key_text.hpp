// How a public key is shown to a person: always its 64 hex digits with its
// fingerprint beside them, "<hex>  dmp1:xxxx-xxxx-xxxx-xxxx", the form
// `dmp-sign keygen`, `ledger show` and the key-change messages print, so
// a key can be compared with a paper note either way.
#pragma once

#include <string>

#include "dmp/records.hpp"
#include "output/text_diff.hpp"

namespace dmp::output {

std::string key_text(const PublicKey& key);

// Two keys as key_text shows them, the hex and the fingerprint each marked
// on its own (one span across both would swallow the separator).
MarkedChange mark_key_change(const PublicKey& before, const PublicKey& after);

}  // namespace dmp::output
