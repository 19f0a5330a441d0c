// Share links: parsed and printed by the core, so the page and node agree.
#include <emscripten/bind.h>

#include "checkpoint.h"
#include "config.h"

using namespace flowlab;

namespace {
// {"config":{…},"link":"v=1&…","issues":[{"field":…,"message":…}]}
std::string parse_link_json(const std::string& link) {
  std::vector<ParseIssue> issues;
  const Config c = parse_link(link, &issues);
  return "{\"config\":" + config_json(c) + ",\"link\":\"" + to_link(c) + "\",\"issues\":" + issues_json(issues) + "}";
}
// {"link":"…","issues":[…]} (the stored link's problems, from the link
// parser) or {"error":"…"} for the bytes of a checkpoint file.
std::string checkpoint_link_json(const std::string& data) {
  std::string error;
  const std::string link = checkpoint_link(data, &error);
  if (link.empty()) return "{\"error\":" + json_quote(error) + "}";
  std::vector<ParseIssue> issues;
  parse_link(link, &issues);
  return "{\"link\":" + json_quote(link) + ",\"issues\":" + issues_json(issues) + "}";
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_config) {
  emscripten::function("checkpointLink", &checkpoint_link_json);
  emscripten::function("parseLink", &parse_link_json);
  emscripten::function("schema", &schema_json);
}
