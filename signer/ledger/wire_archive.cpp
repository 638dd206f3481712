#include "ledger/wire_archive.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "common/file_io.hpp"
#include "common/private_file.hpp"

namespace dmp::ledger {
namespace {

// A wire is at most 1200 bytes and a rotation request a few KiB.
constexpr std::size_t kMaxArchivedLen = 64 * 1024;

std::string archive_dir(const std::string& state_dir) {
  return state_dir + "/wires";
}

}  // namespace

std::string archive_path(const std::string& state_dir, std::uint64_t entry_index) {
  return archive_dir(state_dir) + "/" + std::to_string(entry_index);
}

Status archive_output(const std::string& state_dir, std::uint64_t entry_index,
                      std::string_view text) {
  const std::string dir = archive_dir(state_dir);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return fail(Reason::io_error, dir,
                std::string("cannot create the wire archive: ") + std::strerror(errno));
  }
  return cli::publish_file(
      archive_path(state_dir, entry_index),
      std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<std::string> read_archived(const std::string& state_dir, std::uint64_t entry_index) {
  const std::string path = archive_path(state_dir, entry_index);
  auto read = cli::read_file_capped(path, kMaxArchivedLen);
  if (!read) {
    return fail(Reason::io_error, "",
                "ledger entry " + std::to_string(entry_index) + " has no archived output (" +
                    read.error().message() + ")");
  }
  if (read->over_cap) return fail(Reason::too_long, path, "larger than 64 KiB");
  return std::move(read->bytes);
}

}  // namespace dmp::ledger
