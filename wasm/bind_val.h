// Helpers shared by the exercise bindings.
#pragma once
#include <emscripten/val.h>

#include <initializer_list>
#include <utility>
#include <vector>

namespace flowlab_bind {

// A copied Float64Array (safe across memory growth, unlike a view).
inline emscripten::val copy_f64(const std::vector<double>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data())).call<emscripten::val>("slice");
}

// A copied Float32Array.
inline emscripten::val copy_f32(const std::vector<float>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data())).call<emscripten::val>("slice");
}

// A copied Int32Array.
inline emscripten::val copy_i32(const std::vector<int>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data())).call<emscripten::val>("slice");
}

// o[name] as T, or fallback when o or the field is undefined/null.
template <class T>
T get(const emscripten::val& o, const char* name, T fallback) {
  if (o.isUndefined() || o.isNull()) return fallback;
  const emscripten::val x = o[name];
  if (x.isUndefined() || x.isNull()) return fallback;
  return x.as<T>();
}

// One property of object(): a name and any value val takes.
struct Field {
  const char* name;
  emscripten::val value;
  template <class T>
  Field(const char* n, T&& v) : name(n), value(std::forward<T>(v)) {}
};

// A JS object with these properties, in this order.
inline emscripten::val object(std::initializer_list<Field> fields) {
  emscripten::val o = emscripten::val::object();
  for (const Field& f : fields) o.set(f.name, f.value);
  return o;
}

}  // namespace flowlab_bind
