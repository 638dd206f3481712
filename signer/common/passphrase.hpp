// Where a passphrase comes from: the terminal (no echo), a 0600 file, or an
// inherited file descriptor. Never argv, never the environment.
#pragma once

#include <optional>
#include <string>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"

namespace dmp::cli {

inline constexpr std::size_t kMaxPassphraseLen = 1024;
inline constexpr std::size_t kShortPassphraseLen = 12;  // below this: a warning

struct PassphraseSource {
  std::optional<std::string> file;  // --passphrase-file: first line, file must be 0600
  std::optional<int> fd;            // --passphrase-fd: read up to newline/EOF
  // Neither: prompt on /dev/tty.
};

enum class PassphrasePurpose {
  unlock,  // an existing key: asked once
  create,  // a new key: asked twice on a terminal; empty refused; short warned
};

// Reads the passphrase into guarded memory. `prompt` is shown on the
// terminal, e.g. "Passphrase for operator.key: ". Warnings go to stderr.
Result<hsm::SecretBuffer> read_passphrase(const PassphraseSource& source, const std::string& prompt,
                                          PassphrasePurpose purpose);

}  // namespace dmp::cli
