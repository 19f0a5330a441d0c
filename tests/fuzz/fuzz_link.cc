// libFuzzer target: the share-link parser (core/config.cc). Whatever the
// bytes, parsing must not crash, the config must be in bounds, the canonical
// link must round-trip, and no JSON may carry a raw '<'.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config.h"

using namespace flowlab;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string link(reinterpret_cast<const char*>(data), size);
  std::vector<ParseIssue> issues;
  Config c = parse_link(link, &issues);
  if (!validate(c).empty()) std::abort();
  const std::string canon = to_link(c);
  std::vector<ParseIssue> again;
  const Config d = parse_link(canon, &again);
  if (!again.empty() || to_link(d) != canon) std::abort();
  const std::string json = config_json(c) + issues_json(issues);
  if (json.find('<') != std::string::npos) std::abort();
  return 0;
}
