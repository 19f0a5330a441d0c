// Your own 2D data: a point set with a class per point (0..kOwnClasses−1),
// from a drawing (carried by the share link) or a CSV file (carried by the
// .flowlab run). The core parses both; the page never does.
//
// Link form (field `data`): "1." then URL-safe base64 (A–Z a–z 0–9 - _, no
// padding) of 4 bytes a point, big-endian: x (14 bits), y (14 bits), class
// (4 bits). x and y lie in [−kOwnRange, kOwnRange], quantised to 2^14 − 1
// steps (≈ 0.0005); a decoded set encodes back to the same text.
#pragma once
#include <string>
#include <vector>

#include "datasets.h"

namespace flowlab {

constexpr int kOwnDataVersion = 1;
constexpr float kOwnRange = 4;  // |x|, |y| ≤ 4
constexpr int kOwnClasses = 5;  // classes 0..4 (the conditional model's embeddings)
constexpr int kOwnMinPoints = 2;
constexpr int kOwnMaxLinkPoints = 512;  // a set the page puts into the share link (≤ 2 736 characters)
constexpr int kOwnMaxPoints = 20000;    // any set (a CSV travels inside the .flowlab run)

struct OwnData {
  std::vector<float> x;    // n × 2, in the drawing's coordinates
  std::vector<int> label;  // class of each point
  int size() const { return int(label.size()); }
};

// The nearest representable coordinate (the link's quantisation).
float quantise_coordinate(float v);
// The link text of a set (coordinates quantised, classes as given); d must be valid.
std::string encode_own_data(const OwnData& d);
// Reads the link text; false with *error (naming the problem) when it is not
// a valid set; *out is then unchanged.
bool decode_own_data(const std::string& text, OwnData* out, std::string* error);
// CSV text "x,y" or "x,y,class" a line (a header line first is optional; blank
// lines and '#' comments are skipped). false with *error naming the line (and
// the field) of the first problem; *out is then unchanged. Coordinates are
// quantised as in the link, so a CSV set and its link text train alike.
bool parse_own_csv(const std::string& text, OwnData* out, std::string* error);

// The set as the fixed training data of the 2D exercises: standardised per
// axis like the rings (mean 0, std 1), labels kept; `own` is set.
Rings own_rings(const OwnData& d);

}  // namespace flowlab
