// Helpers shared by the exercise bindings.
#pragma once
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cctype>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace flowlab_bind {

// Every array leaves wasm as a copy owned by JS (a view into wasm memory goes
// stale when the memory grows), typed after T: Float32Array for float,
// Float64Array for double, Int32Array for int, Uint8Array for unsigned char.
template <class T>
emscripten::val to_js(const T* p, size_t n) {
  return emscripten::val(emscripten::typed_memory_view(n, p)).call<emscripten::val>("slice");
}
template <class T>
emscripten::val to_js(const std::vector<T>& v) {
  return to_js(v.data(), v.size());
}
template <class T>
emscripten::val to_js(std::initializer_list<T> v) {
  return to_js(v.begin(), v.size());
}

// A JS object of name, value pairs, in this order: object("n", 3, "ok", true).
inline void set_fields(emscripten::val&) {}
template <class T, class... Rest>
void set_fields(emscripten::val& o, const char* name, T&& value, Rest&&... rest) {
  o.set(name, emscripten::val(std::forward<T>(value)));
  set_fields(o, std::forward<Rest>(rest)...);
}
template <class... A>
emscripten::val object(A&&... fields) {
  static_assert(sizeof...(A) % 2 == 0, "object(name, value, name, value, ...)");
  emscripten::val o = emscripten::val::object();
  set_fields(o, std::forward<A>(fields)...);
  return o;
}

// JS names are the C++ names in camelCase (round_trip → roundTrip, exact_available_ →
// exactAvailable), read from the macro's own text, so each function is named once:
//   FLOWLAB_METHODS(cls, &H::sample, &H::round_trip);  FLOWLAB_FUNCTIONS(&sheet_points);
// embind copies a name when it registers it, so the strings need not outlive the call.
inline std::vector<std::string> js_names(const char* text) {
  std::vector<std::string> names(1);
  bool up = false;
  for (const char* c = text; *c; ++c) {
    switch (*c) {
      case ',':
        names.emplace_back();
        up = false;
        break;
      case ':':  // "&H::name": the class goes
        names.back().clear();
        break;
      case '&':
      case ' ': break;
      case '_': up = true; break;
      default: names.back() += up ? char(std::toupper(static_cast<unsigned char>(*c))) : *c; up = false;
    }
  }
  return names;
}

template <class C, class... F>
const C& methods(const C& cls, const char* text, F... fns) {
  const std::vector<std::string> names = js_names(text);
  size_t i = 0;
  (cls.function(names[i++].c_str(), fns), ...);
  return cls;
}

template <class... F>
void functions(const char* text, F... fns) {
  const std::vector<std::string> names = js_names(text);
  size_t i = 0;
  (emscripten::function(names[i++].c_str(), fns), ...);
}

#define FLOWLAB_METHODS(cls, ...) flowlab_bind::methods(cls, #__VA_ARGS__, __VA_ARGS__)
#define FLOWLAB_FUNCTIONS(...) flowlab_bind::functions(#__VA_ARGS__, __VA_ARGS__)

}  // namespace flowlab_bind
