// Finding node and the installed slip39 npm package (tests/backup/npm.cmake
// installs it with npm ci into DMP_SLIP39_NPM_DIR), for the tests that run
// tests/backup/npm/slip39_tool.js.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#ifndef DMP_SLIP39_NPM_DIR
#error "DMP_SLIP39_NPM_DIR must name the directory with node_modules/slip39 and slip39_tool.js"
#endif

namespace dmp::test::npm {

// node on PATH, else Debian's /usr/bin/node or /usr/bin/nodejs; empty when
// there is none. run_process takes a path, not a name to look up.
inline std::string find_node() {
  std::vector<std::filesystem::path> dirs;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(':'), rest.size());
      if (end > 0) dirs.emplace_back(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  dirs.emplace_back("/usr/bin");
  for (std::string_view name : {"node", "nodejs"}) {
    for (const auto& dir : dirs) {
      const auto candidate = dir / name;
      std::error_code ignored;
      if (std::filesystem::is_regular_file(candidate, ignored) &&
          ::access(candidate.c_str(), X_OK) == 0) {
        return candidate.string();
      }
    }
  }
  return "";
}

inline const std::filesystem::path& tool_dir() {
  static const std::filesystem::path dir = DMP_SLIP39_NPM_DIR;
  return dir;
}

inline bool package_installed() {
  std::error_code ignored;
  return std::filesystem::is_regular_file(tool_dir() / "node_modules/slip39/package.json",
                                          ignored) &&
         std::filesystem::is_regular_file(tool_dir() / "slip39_tool.js", ignored);
}

}  // namespace dmp::test::npm
