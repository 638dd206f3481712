// dmp-sign-pkcs11: the PKCS#11 helper of dmp-sign. Loads the module a
// request names and answers that one request (token_ops.hpp).
#include "dmp/hsm/helper_main.hpp"
#include "token_ops.hpp"

int main(int argc, char** argv) {
  static constexpr dmp::hsm::helper::HelperIdentity kIdentity{"dmp-sign-pkcs11", "PKCS#11 modules",
                                                              "PKCS#11", "dmp-sign pkcs11 --help"};
  return dmp::hsm::helper::run_helper(argc, argv, kIdentity, dmp::hsm::pkcs11::handle_request);
}
