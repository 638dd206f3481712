#include "common/cli_conventions.hpp"

#include <algorithm>

namespace dmp::cli {
namespace {

// "dmp-sign ledger" -> "ledger: ", the root -> "".
std::string command_path(const CLI::App& app) {
  std::string path;
  for (const CLI::App* a = &app; a->get_parent() != nullptr; a = a->get_parent()) {
    path = path.empty() ? a->get_name() : std::string(a->get_name()).append(" ").append(path);
  }
  return path.empty() ? path : path.append(": ");
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? std::string(" (did you mean '").append(*match).append("'?)") : std::string();
}

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty()) continue;
    names.push_back(sub->get_name());
    for (const std::string& alias : sub->get_aliases())
      names.push_back(alias);
  }
  return names;
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames())
      names.push_back("--" + name);
    for (const std::string& name : option->get_snames())
      names.push_back("-" + name);
  }
  return names;
}

CLI::App* find_subcommand(CLI::App& app, const std::string& word) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (!sub->get_name().empty() && sub->check_name(word)) return sub;
  }
  return nullptr;
}

// Whether a subcommand of `app` (at any depth) takes the option `name`.
bool belongs_to_a_subcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_option_no_throw(name) != nullptr || belongs_to_a_subcommand(*sub, name)) {
      return true;
    }
  }
  return false;
}

bool has_positionals(const CLI::App& app) {
  return !app.get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

bool looks_like_number(std::string_view word) {
  return word.size() > 1 && word[0] == '-' &&
         std::all_of(word.begin() + 1, word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  // Dashes are not letters of the name: "--ky" is one edit from "--key",
  // and two edits may not turn "--a" into "--no".
  const std::size_t dashes = word.find_first_not_of('-') == std::string_view::npos
                                 ? word.size()
                                 : word.find_first_not_of('-');
  const std::size_t letters = word.size() - dashes;
  // One edit for a short word ("--ky", "sing"), two from five letters on;
  // nothing for a single letter, which is close to everything.
  const std::size_t allowed = letters < 2 ? 0 : letters < 5 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::optional<std::string> unknown_word(CLI::App& app, int argc, const char* const* argv) {
  CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") return std::nullopt;  // the rest is positional
    const bool long_option = word.size() > 2 && word.starts_with("--");
    const bool short_option = !long_option && word.size() > 1 && word[0] == '-' && word[1] != '-' &&
                              !looks_like_number(word);
    if (long_option || short_option) {
      const std::size_t equals = word.find('=');
      const std::string name =
          long_option ? word.substr(0, equals) : word.substr(0, 2);  // "-j4" is -j with 4
      const CLI::Option* option = current->get_option_no_throw(name);
      if (option == nullptr && belongs_to_a_subcommand(*current, name)) {
        // "ledger --state-dir D": right option, subcommand missing; CLI11
        // says so ("A subcommand is required").
        return std::nullopt;
      }
      if (option == nullptr) {
        return command_path(*current) + "unknown option '" + name + "'" +
               suggestion(name, option_names(*current));
      }
      const bool value_attached = long_option ? equals != std::string::npos : word.size() > 2;
      if (!value_attached) {
        // Skip the values CLI11 will give this option, so a value that looks
        // like a word ("--comment sign") is not judged as one.
        const int needed = option->get_items_expected_min();
        for (int k = 0; k < needed && i + 1 < argc; ++k)
          ++i;
      }
      continue;
    }
    CLI::App* sub = find_subcommand(*current, word);
    if (sub != nullptr && !word.empty() && word[0] != '-') {
      current = sub;
      continue;
    }
    const std::vector<std::string> subcommands = subcommand_names(*current);
    if (!subcommands.empty() && !has_positionals(*current)) {
      return command_path(*current) + "unknown command '" + word + "'" +
             suggestion(word, subcommands);
    }
  }
  return std::nullopt;
}

}  // namespace dmp::cli
