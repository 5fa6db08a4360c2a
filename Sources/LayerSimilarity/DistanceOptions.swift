/// How the pairwise distances `C_ik` between two samples' representations are measured.
public enum DistanceMetric: String, Sendable, CaseIterable, Codable {
  /// `C_ik = ||x_i - x_k||`, the default.
  case euclidean
  /// `C_ik = ||x_i - x_k||^2`.
  case squaredEuclidean
  /// `C_ik = 1 - <x_i, x_k> / (||x_i|| ||x_k||)`, in `[0, 2]`; undefined for zero vectors.
  case cosine
}

/// How a distance matrix `C` is rescaled after it is computed.
///
/// Gromov-Wasserstein compares absolute distances, so without normalization it mostly measures
/// the scale of each layer (norms grow with depth); the entropic solver's `epsilon` is absolute
/// too. Normalizing makes spaces of any scale comparable.
public enum DistanceNormalization: String, Sendable, CaseIterable, Codable {
  /// Divides `C` by the mean of all `n^2` entries (diagonal zeros included), so `mean(C) = 1`.
  /// The default.
  case mean
  /// Divides `C` by its largest entry, so `max(C) = 1`.
  case max
  /// Keeps the raw distances.
  case none
}
