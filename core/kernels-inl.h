// σ(x) and silu'(x) for the Highway kernels (core/kernels.cc, core/rbm_kernels.cc), vector
// and scalar tail alike. Highway's -inl.h convention: included by a file that
// foreach_target re-includes, so it is compiled once per SIMD target.
#if defined(FLOWLAB_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FLOWLAB_KERNELS_INL_H_
#undef FLOWLAB_KERNELS_INL_H_
#else
#define FLOWLAB_KERNELS_INL_H_
#endif

#include <algorithm>
#include <cmath>

#include "hwy/contrib/math/math-inl.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace flowlab {
namespace HWY_NAMESPACE {

// σ(x) with the exponent clamped: hwy's Exp is only valid up to ~104, and
// σ is exactly 0 or 1 in float beyond |x| > 88 anyway.
template <class D, class V = hwy::HWY_NAMESPACE::Vec<D>>
HWY_INLINE V Sigmoid(D d, V x) {
  namespace hn = hwy::HWY_NAMESPACE;
  const V one = hn::Set(d, 1.0f);
  const V e = hn::Exp(d, hn::Min(hn::Neg(x), hn::Set(d, 88.0f)));
  return hn::Div(one, hn::Add(one, e));
}

// The same σ for the scalar tails.
HWY_INLINE float SigmoidScalar(float x) { return 1.0f / (1.0f + std::exp(std::min(-x, 88.0f))); }

// silu'(z) = σ·(1 + z·(1 − σ)) from s = σ(z).
template <class D, class V = hwy::HWY_NAMESPACE::Vec<D>>
HWY_INLINE V SiluGrad(D d, V z, V s) {
  namespace hn = hwy::HWY_NAMESPACE;
  const V one = hn::Set(d, 1.0f);
  return hn::Mul(s, hn::MulAdd(z, hn::Sub(one, s), one));
}
HWY_INLINE float SiluGradScalar(float z, float s) { return s * (1.0f + z * (1.0f - s)); }

}  // namespace HWY_NAMESPACE
}  // namespace flowlab
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
