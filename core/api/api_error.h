#pragma once

// The boundary between nettopo's own exceptions and the API's one.

namespace nettopo::api {

/// Inside a catch block: rethrows the exception being handled as an api::Error with the same
/// text; UsageError gets exit code 2, ExitStatusError its status, anything else 1.
[[noreturn]] void rethrow_as_api_error();

}  // namespace nettopo::api
