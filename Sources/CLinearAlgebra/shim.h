#ifndef NETATLAS_CLINEARALGEBRA_SHIM_H
#define NETATLAS_CLINEARALGEBRA_SHIM_H
// OpenBLAS (CBLAS interface) and LAPACKE. Debian's libopenblas-dev provides cblas.h and the
// OpenBLAS thread control functions; liblapacke-dev provides lapacke.h (Debian's OpenBLAS
// carries no LAPACKE symbols of its own, so both libraries are linked).
#include <cblas.h>
#include <lapacke.h>
// mallopt, for AllocatorTuning (glibc).
#include <malloc.h>

void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
