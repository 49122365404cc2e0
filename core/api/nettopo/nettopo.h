#pragma once

// The nettopo C++ API in one include: LabFile, Lab, Error (docs/api.md). The GoogleTest
// fixtures are in nettopo/testing.h.

#include "nettopo/error.h"     // IWYU pragma: export
#include "nettopo/lab.h"       // IWYU pragma: export
#include "nettopo/lab_file.h"  // IWYU pragma: export
