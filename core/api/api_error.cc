#include "core/api/api_error.h"

#include <exception>

#include "core/sys/error.h"
#include "nettopo/error.h"

namespace nettopo::api {

void rethrow_as_api_error() {
  try {
    throw;
  } catch (const api::Error&) {
    throw;
  } catch (const UsageError& failure) {
    throw api::Error(failure.what(), 2);
  } catch (const ExitStatusError& failure) {
    throw api::Error(failure.what(), failure.status());
  } catch (const std::exception& failure) {
    throw api::Error(failure.what(), 1);
  }
}

}  // namespace nettopo::api
