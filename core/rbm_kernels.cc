// Highway kernels of the RBM, compiled per target and dispatched like
// core/kernels.cc: vector loops over L lanes, then a scalar tail.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "rbm_kernels.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cmath>

#include "hwy/highway.h"
#include "kernels-inl.h"
#include "rbm_kernels.h"
#include "simd.h"

HWY_BEFORE_NAMESPACE();
namespace flowlab {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

namespace {
using D = hn::ScalableTag<float>;
using V = hn::Vec<D>;
}  // namespace

void SigmoidRows(const float* x, const float* bias, float* y, int rows, int cols) {
  const D d;
  const int L = int(hn::Lanes(d));
  for (int r = 0; r < rows; ++r) {
    const float* xr = x + size_t(r) * cols;
    float* yr = y + size_t(r) * cols;
    int j = 0;
    for (; j + L <= cols; j += L) {
      V v = hn::LoadU(d, xr + j);
      if (bias) v = hn::Add(v, hn::LoadU(d, bias + j));
      hn::StoreU(Sigmoid(d, v), d, yr + j);
    }
    for (; j < cols; ++j) {
      const float z = xr[j] + (bias ? bias[j] : 0.0f);
      yr[j] = SigmoidScalar(z);
    }
  }
}

void BernoulliFromUniform(const float* p, const float* u, float* s, size_t n) {
  const D d;
  const size_t L = hn::Lanes(d);
  const V one = hn::Set(d, 1.0f), zero = hn::Zero(d);
  size_t i = 0;
  for (; i + L <= n; i += L)
    hn::StoreU(hn::IfThenElse(hn::Lt(hn::LoadU(d, u + i), hn::LoadU(d, p + i)), one, zero), d, s + i);
  for (; i < n; ++i) s[i] = u[i] < p[i] ? 1.0f : 0.0f;
}

}  // namespace HWY_NAMESPACE
}  // namespace flowlab
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flowlab {
FLOWLAB_EXPORT(SigmoidRows);
FLOWLAB_EXPORT(BernoulliFromUniform);

void sigmoid_rows(const float* x, const float* bias, float* y, int rows, int cols) {
  FLOWLAB_DISPATCH(SigmoidRows)(x, bias, y, rows, cols);
}
void bernoulli_from_uniform(const float* p, const float* u, float* s, size_t n) {
  FLOWLAB_DISPATCH(BernoulliFromUniform)(p, u, s, n);
}
}  // namespace flowlab
#endif  // HWY_ONCE
