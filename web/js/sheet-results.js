// @ts-check
// What sheet 003 prints for its own RealNVP (§1.5): ln p and ln p_z of the five
// points (core/datasets.h kSheetPoints, in that order), shown beside the lab's.
export const SHEET_LOGP = [-1.7171, -1.81, -1.78, -19.98, -13.4];
export const SHEET_LOGPZ = [-2.43, -3.033, -2.035, -21.33, -15.35];
