#include "input/strict_json.hpp"

#include <set>
#include <string>
#include <vector>

namespace dmp::input {

using json = nlohmann::json;

// Tracks the keys of every open object, and where each open container sits,
// to name a duplicate by its JSON path.
Result<json> parse_json_strictly(std::string_view text) {
  struct Open {
    bool array = false;
    std::size_t index = 0;       // arrays: the element being parsed
    std::string key;             // objects: the member being parsed
    std::set<std::string> keys;  // objects: the members seen so far
  };
  std::vector<Open> open;
  std::string duplicate;
  const auto path_to = [&open](const std::string& key) {
    std::string path;
    for (std::size_t i = 0; i + 1 < open.size(); ++i) {
      if (open[i].array) {
        path.append("[").append(std::to_string(open[i].index)).append("]");
      } else {
        path.append(path.empty() ? "" : ".").append(open[i].key);
      }
    }
    return path.empty() ? key : path + "." + key;
  };
  const auto element_done = [&open] {
    if (!open.empty() && open.back().array) ++open.back().index;
  };
  auto on_event = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        open.push_back(Open{});
        break;
      case json::parse_event_t::array_start:
        open.emplace_back().array = true;
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        element_done();
        break;
      case json::parse_event_t::key:
        if (!open.empty()) {
          open.back().key = parsed.get<std::string>();
          if (!open.back().keys.insert(open.back().key).second && duplicate.empty()) {
            duplicate = path_to(open.back().key);
          }
        }
        break;
      case json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  };
  try {
    json value = json::parse(text.begin(), text.end(), on_event, true, false);
    if (!duplicate.empty()) return fail(Reason::invalid_field, duplicate, "appears more than once");
    return value;
  } catch (const json::parse_error& e) {
    return fail(Reason::invalid_field, "json",
                "not valid JSON at byte " + std::to_string(e.byte) + ": " +
                    std::string(e.what()).substr(std::string(e.what()).rfind(':') + 2));
  } catch (const json::exception& e) {  // e.g. out_of_range: "number overflow" for 1e400
    return fail(
        Reason::invalid_field, "json",
        "not valid JSON: " + std::string(e.what()).substr(std::string(e.what()).rfind(']') + 2));
  }
}

}  // namespace dmp::input
