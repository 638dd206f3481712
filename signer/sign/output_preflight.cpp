#include "sign/output_preflight.hpp"

#include <fcntl.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "common/file_io.hpp"

namespace dmp::cli {
namespace {

namespace fs = std::filesystem;

bool is_standard_output(const std::string& path) {
  return path.empty() || path == "-";
}

Failure refused(const std::string& path, const std::string& why) {
  return fail(Reason::output_refused, "output " + path, why);
}

// The absolute path with "." and ".." and symlinks resolved as far as the
// path exists: two spellings of one place compare equal.
std::string canonical_of(const std::string& path) {
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(fs::absolute(path, error), error);
  return error ? path : resolved.lexically_normal().string();
}

bool is_inside(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

std::optional<std::pair<dev_t, ino_t>> identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return std::pair(st.st_dev, st.st_ino);
}

// What an existing regular file holds, as far as a refusal needs to know:
// any key file or ledger, including ones the command was not told about
// (a backup key beside the wire, another state directory).
std::optional<std::string> guarded_content(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char head[kGuardedHeadLen] = {};
  const ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  return guarded_text(std::string_view(head, n > 0 ? static_cast<std::size_t>(n) : 0), true);
}

std::string parent_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// The files no output may replace, resolved once per run: a batch of N
// outputs against its N inputs costs N lookups, not N * N path resolutions.
struct ProtectedIndex {
  std::string state_dir;  // as given, "" when none
  std::string state_dir_canonical;
  std::map<std::string, std::string> by_path;  // canonical path -> what it is
  std::map<std::pair<dev_t, ino_t>, std::string> by_inode;
};

ProtectedIndex index_protected(const OutputTargets& targets) {
  ProtectedIndex index;
  index.state_dir = targets.state_dir;
  if (!targets.state_dir.empty()) index.state_dir_canonical = canonical_of(targets.state_dir);
  for (const ProtectedFile& file : targets.protected_files) {
    if (file.path.empty() || is_standard_output(file.path)) continue;
    index.by_path.emplace(canonical_of(file.path), file.what);
    if (const auto id = identity_of(file.path)) index.by_inode.emplace(*id, file.what);
  }
  return index;
}

Status check_one(const std::string& path, const std::string& canonical,
                 const ProtectedIndex& guarded) {
  if (!guarded.state_dir.empty() && is_inside(canonical, guarded.state_dir_canonical)) {
    return refused(path, "is inside the state directory " + guarded.state_dir +
                             " (the ledger and its head live there); write outputs elsewhere");
  }
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    return refused(path, "is " + file_kind_text(st.st_mode) +
                             "; outputs are written only as regular files (or - for standard "
                             "output)");
  }
  // By name, then as the same file under another name (a hard link).
  auto what = guarded.by_path.find(canonical);
  if (what == guarded.by_path.end() && exists) {
    if (const auto id = identity_of(path)) {
      if (auto same = guarded.by_inode.find(*id); same != guarded.by_inode.end()) {
        return refused(path, "is " + same->second + "; writing the output there would destroy it");
      }
    }
  }
  if (what != guarded.by_path.end()) {
    return refused(path, "is " + what->second + "; writing the output there would destroy it");
  }
  if (exists) {
    if (const auto content = guarded_content(path)) {
      return refused(path, "holds " + *content + "; an output never replaces one");
    }
  }
  const std::string dir = parent_of(path);
  struct stat dir_st {};
  if (::stat(dir.c_str(), &dir_st) != 0) {
    return refused(path, "its directory " + dir + " does not exist; create it first");
  }
  if (!S_ISDIR(dir_st.st_mode)) return refused(path, dir + " is not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return refused(path, "its directory " + dir + " is not writable");
  }
  return ok();
}

}  // namespace

std::optional<std::string> guarded_text(std::string_view head, bool bare_hex) {
  if (head.starts_with("-----BEGIN DMP ")) return "a DMP key file";
  if (head.starts_with("dmp-signer ledger")) return "a dmp-signer ledger";
  // The reference generator's operator-ed25519.hex (comment lines first).
  if (head.find("operator_seed_hex=") != std::string_view::npos) {
    return "a seed file (operator_seed_hex=)";
  }
  // 64 hex digits alone: a bare seed (dmp-sign import, openssl rand -hex 32)
  // or a public key, which no output replaces either.
  if (!bare_hex) return std::nullopt;
  std::size_t begin = 0, end = head.size();
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (begin < end && space(head[begin]))
    ++begin;
  while (end > begin && space(head[end - 1]))
    --end;
  const std::string_view core = head.substr(begin, end - begin);
  if (core.size() == 64 && std::all_of(core.begin(), core.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    return "64 hex digits alone (a bare seed or key file)";
  }
  return std::nullopt;
}

Status preflight_outputs(const OutputTargets& targets) {
  const ProtectedIndex guarded = index_protected(targets);
  std::set<std::string> seen;
  for (const std::string& path : targets.outputs) {
    if (is_standard_output(path)) continue;
    const std::string canonical = canonical_of(path);
    if (auto checked = check_one(path, canonical, guarded); !checked) return checked;
    if (!seen.insert(canonical).second) {
      return refused(path, "is named twice among this run's outputs");
    }
  }
  return ok();
}

}  // namespace dmp::cli
