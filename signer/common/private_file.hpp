// Files that hold secrets: read only when private to us (like ssh's
// "unprotected private key file" check), written only by exclusive create or
// atomic replace, never left half-written.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "dmp/hsm/secret_buffer.hpp"
#include "dmp/result.hpp"

namespace dmp::cli {

// Reads a regular file (symlinks refused) of at most `max_size` bytes into
// guarded memory. Refused with Reason::insecure_file when it is group/world
// accessible or owned by another user, naming the chmod/chown that fixes it.
Result<hsm::SecretBuffer> read_private_file(const std::string& path, std::size_t max_size,
                                            const std::string& what);

// Creates `path` with mode 0600 holding `bytes`, only if it does not exist
// (Reason::already_exists), in a directory that is not group/world-writable
// (Reason::insecure_file). Written to a temporary file, fsync'd, then linked
// into place and the directory fsync'd: a crash leaves no partial key file.
Status create_private_file(const std::string& path, std::span<const std::uint8_t> bytes);

// The checks of create_private_file, made early so the operator is not asked
// for a passphrase only to be refused afterwards.
Status check_can_create_private_file(const std::string& path);

// The directory check of replace_private_file, made before any prompt.
Status check_can_replace_private_file(const std::string& path);

// Replaces an existing `path` atomically (temp + fsync + rename + directory
// fsync), keeping mode 0600. The old content stays intact until the rename.
Status replace_private_file(const std::string& path, std::span<const std::uint8_t> bytes);

// Writes a non-secret output (a wire, a zone line) atomically: temp file in
// the same directory, fsync, rename over `path`, directory fsync. Readers
// see the old file or the complete new one, never a partial one.
Status publish_file(const std::string& path, std::span<const std::uint8_t> bytes);

// As publish_file, but only if `path` does not exist (Reason::already_exists),
// checked atomically by link(2).
Status publish_new_file(const std::string& path, std::span<const std::uint8_t> bytes);

}  // namespace dmp::cli
