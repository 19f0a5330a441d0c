// Your own 2D points: the link encoding, CSV parsing with named errors, bounds,
// and training every flow-matching exercise on them.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "config.h"
#include "flow_matching.h"
#include "fm_ot.h"
#include "own_data.h"
#include "quality.h"

using namespace flowlab;

namespace {
OwnData make_set(int n) {
  OwnData d;
  for (int i = 0; i < n; ++i) {
    const double a = 6.283185307179586 * i / n;
    d.x.push_back(float(2.5 * std::cos(a) + (i % 2) * 0.3));
    d.x.push_back(float(1.5 * std::sin(a)));
    d.label.push_back(i % kOwnClasses);
  }
  return d;
}
std::string decode_error(const std::string& text) {
  OwnData d = make_set(3);
  std::string err;
  CHECK_FALSE(decode_own_data(text, &d, &err));
  CHECK(d.size() == 3);  // unchanged on error
  return err;
}
std::string csv_error(const std::string& text) {
  OwnData d = make_set(3);
  std::string err;
  CHECK_FALSE(parse_own_csv(text, &d, &err));
  CHECK(d.size() == 3);
  return err;
}
}  // namespace

TEST_CASE("own data: the link text round-trips, quantised to the 14-bit grid") {
  for (int n : {2, 3, 4, 5, 100, kOwnMaxLinkPoints}) {
    const OwnData d = make_set(n);
    const std::string s = encode_own_data(d);
    CHECK(s.rfind("1.", 0) == 0);
    CHECK(s.size() == 2 + (16 * size_t(n) + 2) / 3);
    OwnData e;
    std::string err;
    REQUIRE(decode_own_data(s, &e, &err));
    REQUIRE(e.size() == n);
    for (int i = 0; i < n; ++i) {
      CHECK(e.label[i] == d.label[i]);
      for (int k = 0; k < 2; ++k) {
        CHECK(std::fabs(e.x[2 * i + k] - d.x[2 * i + k]) <= 0.5f * 8.0f / 16383 + 1e-6f);
        CHECK(e.x[2 * i + k] == quantise_coordinate(d.x[2 * i + k]));
      }
    }
    CHECK(encode_own_data(e) == s);  // a decoded set encodes to the same text
  }
  CHECK((16 * size_t(kOwnMaxLinkPoints) + 2) / 3 + 2 <= 2736);  // the bound the header states
  // The corners of the square are representable exactly.
  CHECK(quantise_coordinate(-kOwnRange) == -kOwnRange);
  CHECK(quantise_coordinate(kOwnRange) == kOwnRange);
}

TEST_CASE("own data: malformed link text is refused with the reason") {
  const std::string good = encode_own_data(make_set(3));
  CHECK(decode_error("2." + good.substr(2)).find("version") != std::string::npos);
  CHECK(decode_error(good.substr(2)).find("version") != std::string::npos);
  CHECK(decode_error(good.substr(0, good.size() - 1)).find("no whole number of points") != std::string::npos);
  std::string bad = good;
  bad[5] = '+';
  CHECK(decode_error(bad).find("'+' at character 6") != std::string::npos);
  CHECK(decode_error(encode_own_data(make_set(1))).find("at least 2") != std::string::npos);
  OwnData c = make_set(2);
  c.label[1] = 7;
  CHECK(decode_error(encode_own_data(c)).find("point 2 has class 7") != std::string::npos);
  // Stray bits past the last point: the last character changed in its unused low bits.
  std::string stray = encode_own_data(make_set(2));  // 11 characters: 2 unused bits
  const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  stray.back() = b64[(std::string(b64).find(stray.back()) | 1)];
  CHECK(decode_error(stray).find("stray bits") != std::string::npos);
  CHECK(
      decode_error(std::string("1.") + std::string((16 * size_t(kOwnMaxPoints + 3) + 2) / 3, 'A')).find("more than") !=
      std::string::npos);
}

TEST_CASE("own data: CSV with and without header and class column") {
  OwnData d;
  std::string err;
  REQUIRE(parse_own_csv("x,y,class\n0.5,1,2\n-1,-2.25,0\r\n\n# a comment\n3,4,4\n", &d, &err));
  REQUIRE(d.size() == 3);
  CHECK(d.label[0] == 2);
  CHECK(d.label[2] == 4);
  CHECK(d.x[3] == quantise_coordinate(-2.25f));
  REQUIRE(parse_own_csv("1,2\n3,-4", &d, &err));
  CHECK(d.size() == 2);
  CHECK(d.label[1] == 0);
  CHECK(d.x[3] == -4.0f);
  // The CSV set and its link text are the same set.
  OwnData e;
  REQUIRE(decode_own_data(encode_own_data(d), &e, &err));
  CHECK(e.x == d.x);
  CHECK(e.label == d.label);
}

TEST_CASE("own data: each CSV error names the line and the field") {
  CHECK(csv_error("x,y\n1,2\n3,abc\n") == "line 3, field 2 (y): 'abc' is not a number");
  CHECK(csv_error("1,2\n3\n") == "line 2: 1 field; expected x,y or x,y,class");
  CHECK(csv_error("1,2\n1,2,3,4\n") == "line 2: 4 fields; expected x,y or x,y,class");
  CHECK(csv_error("1,2\n1,2,3\n") == "line 2: 3 fields, but the lines before have 2");
  CHECK(csv_error("1,2,0\n5,1,0\n") == "line 2, field 1 (x): 5 is outside [-4, 4] (scale your data into that square)");
  CHECK(csv_error("1,2,0\n1,1,1.5\n") == "line 2, field 3 (class): 1.5 is not a class 0..4");
  CHECK(csv_error("1,2,0\n1,1,5\n") == "line 2, field 3 (class): 5 is not a class 0..4");
  CHECK(csv_error("1,2\n1,nan\n") == "line 2, field 2 (y): 'nan' is not a number");
  CHECK(csv_error("1,2\n,1\n") == "line 2, field 1 (x): is empty");
  CHECK(csv_error("x,y\n1,2\n") == "the file has 1 point; at least 2 are needed");
  CHECK(csv_error("1,abc\n1,2\n3,4\n") == "line 1, field 2 (y): 'abc' is not a number");  // not taken for a header
  CHECK(csv_error("x,y\nx,y\n1,2\n") == "line 2, field 1 (x): 'x' is not a number");
  CHECK(csv_error("") == "the file has 0 points; at least 2 are needed");
  std::string big;
  for (int i = 0; i <= kOwnMaxPoints; ++i) big += "0.1,0.2\n";
  CHECK(csv_error(big) ==
        "line " + std::to_string(kOwnMaxPoints + 1) + ": more than " + std::to_string(kOwnMaxPoints) + " points");
}

TEST_CASE("own data: the share link carries the set, canonically, for the 2D flow-matching exercises") {
  const std::string s = encode_own_data(make_set(40));
  std::vector<ParseIssue> issues;
  Config c = parse_link("v=1&ex=fm-rings-cond&seed=3&data=" + s, &issues);
  CHECK(issues.empty());
  CHECK(c.data == s);
  const std::string link = to_link(c);
  CHECK(link.find("&data=" + s) != std::string::npos);
  CHECK(to_link(parse_link(link, nullptr)) == link);
  CHECK(config_json(c).find("\"data\":\"" + s + "\"") != std::string::npos);
  // A bad set is named and the built-in data kept; the other fields stay.
  issues.clear();
  c = parse_link("v=1&ex=fm-rings&seed=3&data=1.AB*", &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].field == "data");
  CHECK(issues[0].message.find("using the built-in data") != std::string::npos);
  CHECK(c.data.empty());
  CHECK(c.seed == 3);
  issues.clear();
  c = parse_link("v=1&ex=rbm&data=" + s, &issues);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].message == "is not a setting of rbm, ignored");
  Config v = default_config(0);
  v.data = "1.x";
  CHECK(validate(v).size() == 1);
  CHECK(v.data.empty());
}

TEST_CASE("own data: every flow-matching exercise trains on the set, drawn by the seed") {
  const OwnData d = make_set(60);
  const std::string s = encode_own_data(d);
  for (const char* ex : {"fm-checkerboard", "fm-ot", "fm-rings", "fm-rings-cond"}) {
    CAPTURE(std::string(ex));
    const Config c = parse_link(std::string("v=1&ex=") + ex + "&seed=2&hidden=16&depth=2&batch=64&data=" + s, nullptr);
    FlowMatching fm(fm_ot_config(c));
    REQUIRE(fm.rings().own);
    REQUIRE(fm.rings().size() == 60);
    CHECK(fm.conditional() == (std::string(ex) == "fm-rings-cond"));
    // The training set is the standardised own points with their classes.
    for (int i = 0; i < 60; ++i) {
      float p[2] = {fm.rings().x[2 * i], fm.rings().x[2 * i + 1]};
      fm.rings().unstandardise(p);
      CHECK(p[0] == doctest::Approx(d.x[2 * i] == 0 ? 0 : quantise_coordinate(d.x[2 * i])).epsilon(1e-4));
      CHECK(fm.rings().label[i] == d.label[i]);
    }
    const float first = fm.train_step();
    float last = first;
    for (int k = 0; k < 300; ++k) last = fm.train_step();
    CHECK(std::isfinite(last));
    CHECK(last < first);
    // Same link, same bits.
    FlowMatching again(fm_ot_config(c));
    for (int k = 0; k < 301; ++k) again.train_step();
    CHECK(again.losses() == fm.losses());
  }
  // A different set trains differently.
  Config a = parse_link("v=1&ex=fm-rings&seed=2&hidden=16&depth=2&batch=64&data=" + s, nullptr);
  Config b =
      parse_link("v=1&ex=fm-rings&seed=2&hidden=16&depth=2&batch=64&data=" + encode_own_data(make_set(61)), nullptr);
  FlowMatching fa(a), fb(b);
  CHECK(fa.train_step() != fb.train_step());
}

TEST_CASE("own data: the NLL of the training points falls as the model fits them") {
  const std::string s = encode_own_data(make_set(50));
  for (const char* ex : {"fm-rings", "fm-rings-cond"}) {
    CAPTURE(std::string(ex));
    FlowMatching fm(
        parse_link(std::string("v=1&ex=") + ex + "&seed=1&hidden=32&depth=2&batch=128&lr=0.005&data=" + s, nullptr));
    const OwnNllQuality before = own_nll_quality(fm, 50, 20);
    for (int k = 0; k < 800; ++k) fm.train_step();
    const OwnNllQuality after = own_nll_quality(fm, 50, 20);
    CHECK(after.n == 50);
    MESSAGE(std::string(ex), ": NLL ", before.nll, " → ", after.nll);
    CHECK(after.nll < before.nll - 0.5);
  }
}

TEST_CASE("own data: the per-class W2 of the conditional model covers the classes drawn") {
  OwnData d = make_set(60);
  for (int& c : d.label) c = c % 2 ? 3 : 0;  // classes 0 and 3 only
  FlowMatching fm(
      parse_link("v=1&ex=fm-rings-cond&seed=2&hidden=16&depth=2&batch=64&data=" + encode_own_data(d), nullptr));
  for (int k = 0; k < 50; ++k) fm.train_step();
  const ClassW2 w = class_w2(fm, 2, 100);
  REQUIRE(w.per_class.size() == 2);
  CHECK(w.classes == std::vector<int>{0, 3});
  CHECK(w.mean == doctest::Approx((w.per_class[0] + w.per_class[1]) / 2));
  CHECK(w.per_class[0] > 0);
  CHECK(std::isfinite(w.mean));
}
