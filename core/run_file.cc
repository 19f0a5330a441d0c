#include "run_file.h"

#include <array>
#include <cstring>

namespace flowlab {

namespace {
constexpr const char* kAdamStep = "the optimiser's step count does not match the training step";
}

void RunFile::f32(const char* name, const std::vector<Span>& spans, bool nonneg) {
  if (!ok()) return;
  size_t n = 0;
  for (const Span& s : spans) n += s.n;
  std::vector<float> v;
  if (writing()) {
    v.reserve(n);
    for (const Span& s : spans) v.insert(v.end(), s.p, s.p + s.n);
    w_->f32(name, v);
    return;
  }
  if (!(nonneg ? r_->f32_nonneg(name, &v, n, &error_) : r_->f32(name, &v, n, &error_))) return;
  size_t o = 0;
  for (const Span& s : spans) {
    std::copy(v.begin() + o, v.begin() + o + s.n, s.p);
    o += s.n;
  }
}

void RunFile::f32(const char* name, std::vector<float>& v) {
  if (!ok()) return;
  if (writing())
    w_->f32(name, v);
  else
    r_->f32(name, &v, SIZE_MAX, &error_);
}

void RunFile::losses(std::vector<float>& v) {
  f32("losses", v);
  n_losses_ = v.size();
}

void RunFile::f64_bits(const char* name, std::vector<double>& v) {
  if (!ok()) return;
  std::vector<uint64_t> bits(v.size());
  if (writing()) {
    if (!bits.empty()) std::memcpy(bits.data(), v.data(), bits.size() * sizeof(double));
    w_->u64(name, bits.data(), bits.size());
    return;
  }
  if (!r_->u64(name, &bits, SIZE_MAX, &error_)) return;
  v.resize(bits.size());
  if (!bits.empty()) std::memcpy(v.data(), bits.data(), bits.size() * sizeof(double));
}

void RunFile::adam(const std::string& prefix, Adam& a) {
  f32((prefix + ".m").c_str(), a.m.data(), a.m.size());
  f32((prefix + ".v").c_str(), {{a.v.data(), a.v.size()}}, true);
  adams_.push_back(&a);
}

void RunFile::adams(const std::string& prefix, std::vector<Adam>& as) {
  std::vector<Span> m, v;
  for (Adam& a : as) {
    m.push_back({a.m.data(), a.m.size()});
    v.push_back({a.v.data(), a.v.size()});
    adams_.push_back(&a);
  }
  f32((prefix + ".m").c_str(), m);
  f32((prefix + ".v").c_str(), v, true);
}

void RunFile::words(const char* name, const std::vector<Word>& ws) {
  if (!ok()) return;
  size_t n = 0;
  for (const Word& w : ws) n += w.kind == Word::Stream ? Rng::kStateWords : 1;
  std::vector<uint64_t> u(n);
  if (writing()) {
    uint64_t* p = u.data();
    for (const Word& w : ws) {
      if (w.kind == Word::Stream)
        w.rng->get_state(p), p += Rng::kStateWords;
      else
        *p++ = w.kind == Word::Equal ? w.value : uint64_t(*w.count);
    }
    w_->u64(name, u.data(), u.size());
    return;
  }
  if (!r_->u64(name, &u, n, &error_)) return;
  const uint64_t* p = u.data();
  for (const Word& w : ws) {
    switch (w.kind) {
      case Word::Step:
        *w.count = long(*p++);
        step_ = w.count;
        break;
      case Word::AdamT:
        *w.count = long(*p++);
        stored_t_.push_back(w.count);
        break;
      case Word::Equal:
        if (*p++ != w.value) {
          error_ = w.message;
          return;
        }
        break;
      case Word::Stream:
        // Checked before use: set_state keeps only the bits a live state has.
        if (!check_rng_state(p, w.message, &error_)) return;
        w.rng->set_state(p);
        p += Rng::kStateWords;
        break;
    }
  }
}

void RunFile::check(std::function<const char*()> fn) {
  if (!writing()) checks_.push_back(std::move(fn));
}

void RunFile::finish() {
  if (!r_->all_read(&error_) || (step_ && !check_step(uint64_t(*step_), n_losses_, &error_))) return;
  for (long* t : stored_t_)
    if (!step_ || *t != *step_) {
      error_ = kAdamStep;
      return;
    }
  for (auto& fn : checks_)
    if (const char* why = fn()) {
      error_ = why;
      return;
    }
  if (step_)
    for (Adam* a : adams_) a->t = *step_;
}

std::string save_run(const std::string& link, const char* kind, const std::function<void(RunFile&)>& list) {
  CheckpointWriter w;
  w.bytes("link", link);
  w.bytes("kind", kind);
  RunFile f;
  f.w_ = &w;
  list(f);
  return w.finish();
}

bool load_run(const std::string& data, const char* kind, const char* what, const std::function<void(RunFile&)>& list,
              std::string* error) {
  CheckpointReader r;
  if (!r.open(data, kind, what, error)) return false;
  const std::string backup = save_run("-", kind, list);
  RunFile f;
  f.r_ = &r;
  list(f);
  if (f.ok()) f.finish();
  if (f.ok()) return true;
  *error = f.error_;
  CheckpointReader b;
  std::string ignored;
  b.parse(backup, &ignored);
  RunFile g;
  g.r_ = &b;
  list(g);
  return false;
}

}  // namespace flowlab
