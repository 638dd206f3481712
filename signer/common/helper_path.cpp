#include "common/helper_path.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace dmp::cli {

namespace fs = std::filesystem;

Result<std::string> find_helper(const std::string& name, const std::string& override_path) {
  const auto executable = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
  };
  if (!override_path.empty()) {
    if (executable(override_path)) return override_path;
    return fail(Reason::token_unavailable, "",
                "helper " + override_path + " is not an executable file");
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path dir = self.parent_path();
    for (const fs::path& candidate : {dir / name, dir / ".." / "libexec" / "dmp-signer" / name})
      if (executable(candidate)) return candidate.lexically_normal().string();
  }
  return fail(Reason::token_unavailable, "",
              "the helper " + name +
                  " was not found next to dmp-sign nor in ../libexec/dmp-signer/; install it "
                  "with dmp-sign or give its path with --" +
                  (name == "dmp-sign-fido2" ? std::string("fido2-helper") : std::string("helper")) +
                  " PATH");
}

}  // namespace dmp::cli
