// Share links: parsed and printed by the core, so the page and node agree.
#include <emscripten/bind.h>

#include "config.h"

using namespace flowlab;

namespace {
// {"config":{…},"link":"v=1&…","issues":[{"field":…,"message":…}]}
std::string parse_link_json(const std::string& link) {
  std::vector<ParseIssue> issues;
  const Config c = parse_link(link, &issues);
  return "{\"config\":" + config_json(c) + ",\"link\":\"" + to_link(c) +
         "\",\"issues\":" + issues_json(issues) + "}";
}
}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_config) {
  emscripten::function("parseLink", &parse_link_json);
  emscripten::function("schema", &schema_json);
}
