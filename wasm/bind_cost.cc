// The cost model (core/cost.h) for the worker: what a link's step, figures and
// analyses would cost, asked before anything is allocated.
#include <emscripten/bind.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

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
  return std::string("{\"modelBytes\":") + model + ",\"step\":" + work_json(k.step) +
         ",\"figures\":" + work_json(k.figures) + ",\"analyses\":{" + a + "},\"budget\":" + budget + "}";
}
// Analysis arguments as "name=number&…" (js/api.js flattens them; arrays as
// a=length&aSum=sum); a value that is not a number counts as absent.
AnalysisArgs args_of(const std::string& s) {
  AnalysisArgs a;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find('&', i);
    if (j == std::string::npos) j = s.size();
    const size_t eq = s.find('=', i);
    if (eq < j) {
      char* end = nullptr;
      const std::string v = s.substr(eq + 1, j - eq - 1);
      const double x = std::strtod(v.c_str(), &end);
      if (!v.empty() && end == v.c_str() + v.size() && std::isfinite(x)) a[s.substr(i, eq - i)] = x;
    }
    i = j + 1;
  }
  return a;
}
std::string analysis_refusal_of(const std::string& link, const std::string& name, const std::string& args) {
  std::vector<ParseIssue> issues;
  return analysis_refusal(parse_link(link, &issues), name, args_of(args));
}
std::string analysis_cost_of(const std::string& link, const std::string& name, const std::string& args) {
  std::vector<ParseIssue> issues;
  return work_json(analysis_cost(parse_link(link, &issues), name, args_of(args)));
}
}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_cost) {
  emscripten::function("linkCost", &link_cost_json);
  emscripten::function("analysisRefusal", &analysis_refusal_of);
  emscripten::function("analysisCost", &analysis_cost_of);
}
