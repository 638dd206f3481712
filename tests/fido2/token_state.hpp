// What a token keeps across power cycles, in a small file so that separate
// processes (a test and the helper it runs) see the same token. The test
// controls (touch, plugged in) live in the same file for the same reason.
// Two files are two different tokens.
#pragma once

#include <filesystem>
#include <optional>

#include "crypto.hpp"

namespace dmp::soft_fido2 {

// What the simulated user does when the token asks for a touch.
enum class Presence {
  kTouch,    // touches the token
  kNoTouch,  // walks away: the token times out (CTAP2_ERR_USER_ACTION_TIMEOUT)
  kDeny,     // declines (CTAP2_ERR_OPERATION_DENIED), as a token with a "no" button would
};

inline constexpr int kMaxPinRetries = 8;

struct TokenState {
  Bytes aaguid;                   // 16 bytes
  Bytes master_secret;            // 32 bytes: seals this token's credential ids
  std::optional<Bytes> pin_hash;  // LEFT(SHA-256(PIN), 16) once a PIN is set
  int pin_retries = kMaxPinRetries;
  uint32_t sign_count = 0;
  Presence presence = Presence::kTouch;
  bool plugged_in = true;

  bool operator==(const TokenState&) const = default;
};

// A fresh token: random AAGUID and master secret, no PIN.
TokenState new_token_state();
// Nullopt when the file is missing or not a state file.
std::optional<TokenState> load_state(const std::filesystem::path& file);
// Writes a temporary file next to `file`, fsyncs and renames it over `file`.
bool save_state(const std::filesystem::path& file, const TokenState& state);

}  // namespace dmp::soft_fido2
