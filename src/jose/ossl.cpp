#include "jose/ossl.hpp"

#include <openssl/err.h>

namespace sg::jose::ossl {

void clear_errors() {
  ERR_clear_error();
}

}  // namespace sg::jose::ossl
