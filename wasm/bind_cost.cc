// The cost model (core/cost.h) for the worker: what a link's step, figures and
// analyses would cost, asked before anything is allocated.
#include <emscripten/bind.h>

#include <cstdio>

#include "config.h"
#include "cost.h"

using namespace flowlab;

namespace {
std::string work_json(const Work& w) {
  char s[96];
  std::snprintf(s, sizeof s, "{\"flops\":%.6g,\"bytes\":%.6g,\"seconds\":%.6g}", w.flops, w.bytes, w.seconds());
  return s;
}
// {"modelBytes":…,"step":{flops,bytes,seconds},"figures":{…},"analyses":{name:{…}},"budget":{…}}
std::string link_cost_json(const std::string& link) {
  std::vector<ParseIssue> issues;
  const LinkCost k = link_cost(parse_link(link, &issues));
  std::string a;
  for (const auto& [name, w] : k.analyses) a += (a.empty() ? "" : ",") + json_quote(name) + ":" + work_json(w);
  char budget[160];
  std::snprintf(budget, sizeof budget, "{\"flopsPerSecond\":%.6g,\"callSeconds\":%.6g,\"memoryBytes\":%.6g}",
                kFlopsPerSecond, kCallSeconds, kMemoryBytes);
  char model[48];
  std::snprintf(model, sizeof model, "%.6g", k.model_bytes);
  return std::string("{\"modelBytes\":") + model + ",\"step\":" + work_json(k.step) + ",\"figures\":" +
         work_json(k.figures) + ",\"analyses\":{" + a + "},\"budget\":" + budget + "}";
}
std::string analysis_refusal_of(const std::string& link, const std::string& name) {
  std::vector<ParseIssue> issues;
  return analysis_refusal(parse_link(link, &issues), name);
}
}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_cost) {
  emscripten::function("linkCost", &link_cost_json);
  emscripten::function("analysisRefusal", &analysis_refusal_of);
}
