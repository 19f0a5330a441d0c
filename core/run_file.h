// One writer and one reader of run files (core/checkpoint.h) for every
// exercise. An exercise lists the sections of its training state once, in
// file order, in a function of a RunFile&; save_run walks that list writing,
// load_run walks it reading straight into the model, then checks what every
// training state must satisfy:
//   - the step count equals the number of losses (one loss per step),
//   - every RNG state is one the generator can be in,
//   - every Adam's step count stored in the file equals the training step
//     (one Adam step per training step; Adams whose count is not stored get it),
// then the exercise's own checks. If anything fails, the model is read back
// from a copy of its state taken before: a refused file changes nothing.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checkpoint.h"
#include "mlp.h"
#include "rng.h"

namespace flowlab {

class RunFile {
 public:
  struct Span {
    float* p;
    size_t n;
  };
  // One entry of a u64 "words" section: the step, an Adam's step count, a
  // value the file must repeat (else `message`), or an RNG's whole state
  // (Rng::kStateWords words; `message` names the stream).
  struct Word {
    enum Kind { Step, AdamT, Equal, Stream } kind;
    long* count = nullptr;
    uint64_t value = 0;
    Rng* rng = nullptr;
    const char* message = nullptr;
  };
  static Word step(long& s) { return {Word::Step, &s}; }
  static Word adam_t(Adam& a) { return {Word::AdamT, &a.t}; }
  static Word equal(uint64_t v, const char* message) { return {Word::Equal, nullptr, v, nullptr, message}; }
  static Word stream(Rng& r, const char* what) { return {Word::Stream, nullptr, 0, &r, what}; }

  bool writing() const { return w_ != nullptr; }

  // f32 of a fixed size, gathered from (written) or scattered into (read)
  // the spans in order; `nonneg`: values must be ≥ 0.
  void f32(const char* name, const std::vector<Span>& spans, bool nonneg = false);
  void f32(const char* name, float* p, size_t n) { f32(name, {{p, n}}); }
  // f32 of any length (histories, data, chains).
  void f32(const char* name, std::vector<float>& v);
  // The loss history: one value per step.
  void losses(std::vector<float>& v);
  // Doubles that may be NaN, stored as their bits (f32 sections must be finite).
  void f64_bits(const char* name, std::vector<double>& v);
  // Adam's moments as "<prefix>.m" and "<prefix>.v" (its step count goes in a
  // words section, or is the training step).
  void adam(const std::string& prefix, Adam& a);
  // Several Adams over consecutive slices of one flat parameter vector.
  void adams(const std::string& prefix, std::vector<Adam>& as);
  void words(const char* name, const std::vector<Word>& ws);
  // The exercise's own check after reading: nullptr if fine, else the message.
  void check(std::function<const char*()> fn);

 private:
  friend std::string save_run(const std::string&, const char*, const std::function<void(RunFile&)>&);
  friend bool load_run(const std::string&, const char*, const char*, const std::function<void(RunFile&)>&,
                       std::string*);
  bool ok() const { return error_.empty(); }
  void finish();  // the checks shared by every training state, then the exercise's

  CheckpointWriter* w_ = nullptr;
  const CheckpointReader* r_ = nullptr;
  std::string error_;
  long* step_ = nullptr;
  size_t n_losses_ = 0;
  std::vector<Rng*> rngs_;
  std::vector<const char*> rng_names_;
  std::vector<long*> stored_t_;
  std::vector<Adam*> adams_;
  std::vector<std::function<const char*()>> checks_;
};

// The run file of a model: its link, its kind, then the sections `list` names.
std::string save_run(const std::string& link, const char* kind, const std::function<void(RunFile&)>& list);
// Reads a run file of `kind` (`what` names that model in messages) into the
// model `list` describes; false with a message, and the model unchanged, if
// the file is not one of this model.
bool load_run(const std::string& data, const char* kind, const char* what, const std::function<void(RunFile&)>& list,
              std::string* error);

// save() and load() of an exercise, written once: M derives from
// RunFileModel<M>, befriends it, lists its training state in a member
// sections(RunFile&) (writing only reads the model: the one list serves both
// ways) and names its file's kind kRunKind and itself kRunWhat (in messages).
template <class M>
class RunFileModel {
 public:
  std::string save(const std::string& link) const {
    M& m = const_cast<M&>(static_cast<const M&>(*this));
    return save_run(link, M::kRunKind, [&m](RunFile& f) { m.sections(f); });
  }
  bool load(const std::string& data, std::string* error) {
    M& m = static_cast<M&>(*this);
    return load_run(
        data, M::kRunKind, M::kRunWhat, [&m](RunFile& f) { m.sections(f); }, error);
  }
};

}  // namespace flowlab
