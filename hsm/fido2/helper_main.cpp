#include "helper_main.hpp"

#include "dmp/hsm/helper_main.hpp"

namespace dmp::hsm::fido2 {

int helper_main(int argc, char** argv, DeviceSource& devices) {
  static constexpr helper::HelperIdentity kIdentity{"dmp-sign-fido2", "libfido2", "FIDO2",
                                                    "dmp-sign fido2 --help"};
  return helper::run_helper(argc, argv, kIdentity, [&devices](const helper::Message& request) {
    fido_init(0);
    return handle_request(request, devices);
  });
}

}  // namespace dmp::hsm::fido2
