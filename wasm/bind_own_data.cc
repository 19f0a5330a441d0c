// Your own points (core/own_data.h): the page hands over drawn points or a
// CSV file's text and gets back the set's link text, or the core's message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>

#include "bind_val.h"
#include "own_data.h"

using namespace emscripten;
using namespace flowlab;

namespace {

// {data, points, labels, n, linkable} of a valid set, or {error}.
val result(const OwnData& d) {
  return flowlab_bind::object("data", encode_own_data(d), "points", flowlab_bind::to_js(d.x), "labels",
                              flowlab_bind::to_js(d.label), "n", d.size(), "linkable", d.size() <= kOwnMaxLinkPoints);
}
val failure(const std::string& error) { return flowlab_bind::object("error", error); }

// CSV text → the set, or the first problem naming its line and field.
val own_data_csv(const std::string& text) {
  OwnData d;
  std::string error;
  return parse_own_csv(text, &d, &error) ? result(d) : failure(error);
}
// A set's link text → its points, or why it is not one.
val own_data_decode(const std::string& text) {
  OwnData d;
  std::string error;
  return decode_own_data(text, &d, &error) ? result(d) : failure("the point set " + error);
}
// Drawn points (flat x,y pairs, clamped to the square) and a class each → the set.
val own_data_encode(val points, val labels) {
  OwnData d;
  d.x = convertJSArrayToNumberVector<float>(points);
  d.label = convertJSArrayToNumberVector<int>(labels);
  if (d.x.size() != 2 * d.label.size()) return failure("points and classes differ in number");
  if (d.size() > kOwnMaxPoints) return failure("more than " + std::to_string(kOwnMaxPoints) + " points");
  for (float& v : d.x) v = std::isfinite(v) ? std::clamp(v, -kOwnRange, kOwnRange) : 0.0f;
  for (int& c : d.label) c = std::clamp(c, 0, 15);
  OwnData back;
  std::string error;
  if (!decode_own_data(encode_own_data(d), &back, &error)) return failure("the point set " + error);
  return result(back);
}

val own_data_bounds() {
  return flowlab_bind::object("range", kOwnRange, "classes", kOwnClasses, "minPoints", kOwnMinPoints, "maxLinkPoints",
                              kOwnMaxLinkPoints, "maxPoints", kOwnMaxPoints);
}

}  // namespace

EMSCRIPTEN_BINDINGS(flowlab_own_data) {
  FLOWLAB_FUNCTIONS(&own_data_csv, &own_data_decode, &own_data_encode, &own_data_bounds);
}
