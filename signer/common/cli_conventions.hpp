// Command-line conventions shared by dmp-sign and dmp-verify, on top of CLI11:
//  - an unknown subcommand or option is named, with a "did you mean"
//    suggestion, before CLI11 would report something less helpful ("A
//    subcommand is required", or "--key is required" for a mistyped --ky);
//  - an option that takes one of a few names lists the names, never the
//    numbers they map to.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/edit_distance.hpp"

namespace dmp::cli {

// The candidate closest to `word`, if it is close enough to be what was
// meant: one edit for a word of 2 to 4 letters (dashes not counted), two
// from 5 letters on, none for a single letter.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// Walks the command line through `app`'s subcommands and options the way
// CLI11 will, and returns the one-line complaint about the first word that
// is neither, e.g. "ledger: unknown command 'shwo' (did you mean 'show'?)"
// or "sign: unknown option '--ky' (did you mean '--key'?)". Nothing when
// every word is known (CLI11 then judges the rest: values, required options).
std::optional<std::string> unknown_word(CLI::App& app, int argc, const char* const* argv);

// A validator for an option whose value is one of `names` (any case): it
// replaces the value with what CLI11 converts to the target (the enum's
// number, as CLI::CheckedTransformer does), but describes itself and its
// errors by the names alone: "{sensitive,moderate,interactive}".
template <class Enum>
CLI::Validator named_choice(const std::map<std::string, Enum>& names) {
  std::string list;
  for (const auto& entry : names)
    list.append(list.empty() ? "" : ",").append(entry.first);
  CLI::Validator validator(
      [names, list](std::string& value) -> std::string {
        for (const auto& [name, choice] : names) {
          if (CLI::detail::to_lower(value) == CLI::detail::to_lower(name)) {
            value = std::to_string(static_cast<long long>(choice));
            return {};
          }
        }
        return "'" + value + "' is not one of " + list;
      },
      "{" + list + "}");
  return validator;
}

}  // namespace dmp::cli
