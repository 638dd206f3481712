// dmp-sign-fido2-soft: the FIDO2 helper of the tests. The same helper code
// as the release dmp-sign-fido2 (hsm/fido2), with software tokens
// (soft_authenticator.hpp) in place of USB HID: the tokens are the state
// files listed, colon-separated, in DMP_TEST_FIDO2_TOKENS, and a device path
// is a state file's path. Built only with the tests, never installed, so no
// release binary can be pointed at a software token.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "helper_main.hpp"
#include "soft_authenticator.hpp"

namespace {

class SoftDevices final : public dmp::hsm::fido2::DeviceSource {
 public:
  std::vector<dmp::hsm::fido2::DeviceInfo> list() override {
    std::vector<dmp::hsm::fido2::DeviceInfo> out;
    const char* env = std::getenv("DMP_TEST_FIDO2_TOKENS");
    std::string_view rest = env != nullptr ? env : "";
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string path(rest.substr(0, colon));
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
      const auto state = dmp::soft_fido2::load_state(path);
      if (path.empty() || !state || !state->plugged_in) continue;  // unplugged: not listed
      out.push_back(
          {path, "dmp-signer soft token " + std::filesystem::path(path).filename().string()});
    }
    return out;
  }
  int open(fido_dev_t* dev, const std::string& path) override {
    return dmp::soft_fido2::open_soft_device(dev, path);
  }
};

}  // namespace

int main(int argc, char** argv) {
  SoftDevices devices;
  return dmp::hsm::fido2::helper_main(argc, argv, devices);
}
